package org.jbutler.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Wall time of the {@code butler} command as a user runs it ({@code bin/butler}, a new JVM each
 * time): {@code --help}, and {@code query-collections} on a small repository. Run from the
 * repository root (scripts/bench does).
 */
final class CliBenchmark implements Benchmark {

  @Override
  public String name() {
    return "cli";
  }

  @Override
  public String description() {
    return "bin/butler --help and query-collections wall time (new JVM each run)";
  }

  @Override
  public void run(Reporter reporter) throws Exception {
    Path butler = Path.of("bin/butler").toAbsolutePath();
    if (!Files.isExecutable(butler)) {
      System.out.println("# cli: skipped (run from the repository root: bin/butler not found)");
      return;
    }
    Harness.inTempDir(
        dir -> {
          String repo = dir.resolve("repo").toString();
          run(butler, "create", repo);
          run(butler, "--help"); // the first run after a build records the class-data archive
          reporter.figure(
              "cli.butler_help_median",
              1e3 * Harness.medianSeconds(1, 5, () -> run(butler, "--help")),
              "ms");
          reporter.figure(
              "cli.query_collections_median",
              1e3 * Harness.medianSeconds(1, 5, () -> run(butler, "query-collections", repo)),
              "ms");
        });
  }

  private static void run(Path butler, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(butler.toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    if (p.waitFor() != 0) {
      throw new IllegalStateException(
          "butler " + String.join(" ", args) + " failed: " + new String(out));
    }
  }
}
