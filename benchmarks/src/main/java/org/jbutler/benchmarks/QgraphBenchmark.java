package org.jbutler.benchmarks;

import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.DeflaterOutputStream;
import org.jbutler.butler.Butler;
import org.jbutler.pipetask.graph.QuantumGraph;
import org.jbutler.pipetask.graph.QuantumGraphBuilder;
import org.jbutler.pipetask.graph.file.QuantumGraphFile;
import org.jbutler.pipetask.pipeline.Pipeline;
import org.jbutler.pipetask.pipeline.PipelineGraph;

/**
 * Quantum graph building at the reference shape: {@code raw} {instrument, exposure,
 * detector} for N exposures x 100 detectors in one RUN, a per-detector NoopTask and a per-exposure
 * NoopSumTask gather (101 quanta per exposure). For N = 10, 100 and 1,000: {@code bin/pipetask
 * qgraph ... --save-qgraph} as a user runs it (new JVM; wall time, peak RSS, file size), and the
 * same build + save in this process against a raw baseline measured on the same repository (plain
 * JDBC read of every raw row, then one deflated record per quantum written to a file). Then reading
 * one quantum from the 1,000-exposure file, and reading the whole file.
 */
final class QgraphBenchmark implements Benchmark {

  @Override
  public String name() {
    return "qgraph";
  }

  @Override
  public String description() {
    return "pipetask qgraph at 10/100/1,000 exposures x 100 detectors (wall, RSS, file size)";
  }

  @Override
  public void run(Reporter reporter) throws Exception {
    Path pipetask = Path.of("bin/pipetask").toAbsolutePath();
    Harness.inTempDir(
        dir -> {
          Path pipeline = dir.resolve("noop.yaml");
          Files.writeString(pipeline, SimCamRegistry.NOOP_PIPELINE);
          Path last = null;
          for (int n : new int[] {10, 100, 1_000}) {
            last = measure(reporter, dir, pipeline, pipetask, n);
          }
          loading(reporter, last);
        });
  }

  private Path measure(Reporter reporter, Path dir, Path pipeline, Path pipetask, int exposures)
      throws Exception {
    Path repo = dir.resolve("repo" + exposures);
    SimCamRegistry.rawRepository(repo, exposures);
    String tag = "qgraph." + exposures + "_exposures";
    Path file = dir.resolve("g" + exposures + ".qgraph");
    if (Files.isExecutable(pipetask)) {
      List<String> cmd =
          List.of(
              pipetask.toString(),
              "qgraph",
              "-b",
              repo.toString(),
              "-p",
              pipeline.toString(),
              "-i",
              "raw/run",
              "-o",
              "out",
              "--save-qgraph",
              file.toString());
      runProcess(cmd); // the first run after a build records the class-data archive
      Files.delete(file);
      long[] rss = new long[1];
      long t0 = System.nanoTime();
      runProcess(cmd, rss);
      double wall = (System.nanoTime() - t0) / 1e9;
      reporter.figure(tag + ".process_wall", wall, "s");
      reporter.figure(tag + ".process_peak_rss", rss[0] / 1024.0, "MB");
      reporter.figure(tag + ".file_size", Files.size(file) / 1e6, "MB");
    } else {
      System.out.println("# qgraph: process figures skipped (run from the repository root)");
    }
    // In process: build + save, against the raw baseline on the same repository.
    Path file2 = dir.resolve("g" + exposures + "-inproc.qgraph");
    int[] quanta = new int[1];
    double ours =
        Harness.medianSeconds(
            1,
            3,
            () -> {
              try (Butler b = Butler.open(repo, Butler.Options.none())) {
                PipelineGraph pg =
                    PipelineGraph.build(Pipeline.load(pipeline.toString()), b.registry());
                QuantumGraph g =
                    QuantumGraphBuilder.build(
                        pg,
                        b.registry(),
                        new QuantumGraphBuilder.Request(
                            List.of("raw/run"),
                            "out/run",
                            "out",
                            "",
                            Map.of(),
                            "all",
                            List.of(),
                            false,
                            "bench"));
                quanta[0] = g.quanta().size();
                QuantumGraphFile.write(g, b.registry().universe(), file2);
              }
            });
    double raw = Harness.medianSeconds(1, 3, () -> baseline(repo, dir.resolve("baseline.bin")));
    reporter.figure(tag + ".quanta", quanta[0], "quanta");
    reporter.time(tag + ".build_and_save_in_process", ours, "s", "jdbc_read_and_write", raw);
    return file.toFile().exists() ? file : file2;
  }

  /** Plain JDBC: read every raw row, write one deflated record per (predicted) quantum. */
  private static void baseline(Path repo, Path out) throws Exception {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + repo.resolve("gen3.sqlite3"));
        Statement s = c.createStatement()) {
      String table;
      try (ResultSet r =
          s.executeQuery(
              "SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'dataset_tags_%'")) {
        r.next();
        table = r.getString(1);
      }
      List<Object[]> rows = new ArrayList<>();
      try (ResultSet r = s.executeQuery("SELECT * FROM " + table)) {
        int n = r.getMetaData().getColumnCount();
        while (r.next()) {
          Object[] row = new Object[n];
          for (int i = 0; i < n; i++) {
            row[i] = r.getObject(i + 1);
          }
          rows.add(row);
        }
      }
      try (OutputStream f = Files.newOutputStream(out);
          DataOutputStream d = new DataOutputStream(new DeflaterOutputStream(f))) {
        for (Object[] row : rows) {
          UUID q = UUID.randomUUID();
          UUID o = UUID.randomUUID();
          for (UUID id : List.of(q, o)) {
            d.writeLong(id.getMostSignificantBits());
            d.writeLong(id.getLeastSignificantBits());
          }
          for (Object v : row) {
            d.writeUTF(String.valueOf(v));
          }
        }
      }
    }
  }

  private static void loading(Reporter reporter, Path file) throws Exception {
    List<UUID> ids;
    try (org.jbutler.pipetask.graph.file.QuantumGraphReader r = QuantumGraphFile.open(file)) {
      ids = r.graph().quanta().stream().map(QuantumGraph.Quantum::id).toList();
    }
    java.util.Random random = new java.util.Random(42);
    reporter.figure(
        "qgraph.load_one_quantum_median",
        1e3
            * Harness.medianSeconds(
                3,
                21,
                () -> {
                  try (org.jbutler.pipetask.graph.file.QuantumGraphReader r =
                      QuantumGraphFile.open(file)) {
                    r.quantum(ids.get(random.nextInt(ids.size())));
                  }
                }),
        "ms");
    reporter.figure(
        "qgraph.load_whole_file_median",
        Harness.medianSeconds(1, 3, () -> QuantumGraphFile.read(file)),
        "s");
  }

  private static void runProcess(List<String> cmd) throws Exception {
    runProcess(cmd, new long[1]);
  }

  /** Runs a command without the benchmark's own JVM options; peakKb[0] gets its peak RSS. */
  private static void runProcess(List<String> cmd, long[] peakKb) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().remove("JBUTLER_JAVA_OPTS");
    Path log = Files.createTempFile("qgraph-bench", ".log");
    pb.redirectOutput(log.toFile());
    Process p = pb.start();
    Path status = Path.of("/proc/" + p.pid() + "/status");
    while (p.isAlive()) {
      try {
        for (String line : Files.readAllLines(status)) {
          if (line.startsWith("VmHWM:")) {
            peakKb[0] = Math.max(peakKb[0], Long.parseLong(line.replaceAll("\\D", "")));
          }
        }
      } catch (java.io.IOException e) {
        // the process ended between the check and the read
      }
      Thread.sleep(10);
    }
    try {
      if (p.waitFor() != 0) {
        throw new IllegalStateException(
            String.join(" ", cmd)
                + " failed (exit "
                + p.exitValue()
                + "):\n"
                + Files.readString(log));
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
