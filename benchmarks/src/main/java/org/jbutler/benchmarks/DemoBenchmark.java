package org.jbutler.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.jbutler.ap.Demo;
import org.jbutler.cli.ExitCodes;
import picocli.CommandLine;

/**
 * The end-to-end demo's wall time and the time of each of its stages (generate, ingest, define
 * visits, calibrations, the pipeline at -j 2), run in this process (after a warm-up run, so the
 * figures are the work's and not class loading's).
 */
final class DemoBenchmark implements Benchmark {

  @Override
  public String name() {
    return "demo";
  }

  @Override
  public String description() {
    return "the demo end to end and per stage (in process, after one warm-up run)";
  }

  @Override
  public void run(Reporter reporter) throws Exception {
    Harness.inTempDir(
        dir -> {
          run(dir.resolve("warm-up").toString());
          long t0 = System.nanoTime();
          JsonNode doc = run(dir.resolve("demo").toString());
          double wall = (System.nanoTime() - t0) / 1e9;
          reporter.figure("demo.wall", wall, "s");
          for (JsonNode stage : doc.get("Stages")) {
            reporter.figure(
                "demo.stage." + stage.get("stage").asText().replaceAll("[^A-Za-z0-9]+", "_"),
                Double.parseDouble(stage.get("seconds").asText()),
                "s");
          }
        });
  }

  private static JsonNode run(String dir) throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cmd = ExitCodes.configure(new CommandLine(new Demo()));
    cmd.setOut(new PrintWriter(out, true));
    int code = cmd.execute(dir, "--format", "json", "--log-level", "WARN");
    if (code != 0) {
      throw new IllegalStateException("The demo failed (exit " + code + "):\n" + out);
    }
    return new ObjectMapper().readTree(out.toString());
  }
}
