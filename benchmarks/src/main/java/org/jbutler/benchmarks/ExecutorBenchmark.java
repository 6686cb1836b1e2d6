package org.jbutler.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jbutler.butler.Butler;
import org.jbutler.pipetask.execution.GraphExecutor;
import org.jbutler.pipetask.graph.QuantumGraph;
import org.jbutler.pipetask.graph.QuantumGraphBuilder;
import org.jbutler.pipetask.pipeline.Pipeline;
import org.jbutler.pipetask.pipeline.PipelineGraph;

/**
 * Per-quantum overhead of the executor: the quantum-graph benchmark's no-op pipeline on 100
 * exposures x 100 detectors (10,000 per-detector quanta and 100 gathers of 100), {@code -j 2}, in
 * process against a SQLite repository. Each quantum writes its output, metadata and log (3 JSON
 * files) and registers them in one transaction. Raw baseline in the same run: 2 threads writing 3
 * small files per quantum (temporary file, fsync, rename) and inserting 3 rows per quantum in one
 * JDBC transaction into a plain SQLite table.
 */
final class ExecutorBenchmark implements Benchmark {

  static final int EXPOSURES = 100;

  @Override
  public String name() {
    return "executor";
  }

  @Override
  public String description() {
    return "pipetask run overhead per quantum: 10,100 no-op quanta, -j 2";
  }

  @Override
  public void run(Reporter reporter) throws Exception {
    Harness.inTempDir(
        dir -> {
          Path repo = dir.resolve("repo");
          SimCamRegistry.rawRepository(repo, EXPOSURES);
          try (Butler butler = Butler.open(repo, Butler.Options.none())) {
            var registry = butler.registry();
            PipelineGraph pg =
                PipelineGraph.build(Pipeline.fromYaml(SimCamRegistry.NOOP_PIPELINE), registry);
            for (PipelineGraph.DatasetTypeNode n : pg.datasetTypes().values()) {
              registry.registerDatasetType(n.definition());
            }
            QuantumGraph g =
                QuantumGraphBuilder.build(
                    pg,
                    registry,
                    new QuantumGraphBuilder.Request(
                        List.of("raw/run"),
                        "out",
                        null,
                        "",
                        Map.of(),
                        "all",
                        List.of(),
                        false,
                        "bench"));
            GraphExecutor ex =
                GraphExecutor.local(butler, pg, g, new GraphExecutor.Options(2, false, 0, null));
            ex.writeInitOutputs(false);
            long t0 = System.nanoTime();
            GraphExecutor.Report report = ex.execute();
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (report.anyFailed()) {
              throw new IllegalStateException("the no-op run failed: " + report.perTask());
            }
            int n = report.quanta().size();
            double baseline = baseline(dir.resolve("baseline"), n);
            reporter.figure("executor.quanta", n, "quanta");
            reporter.time(
                "executor.noop_j2_per_quantum",
                1e3 * seconds / n,
                "ms",
                "files_and_jdbc_per_quantum",
                1e3 * baseline / n);
            reporter.figure(
                "executor.registry_share", 100 * report.registrySeconds() / (2 * seconds), "%");
          }
        });
  }

  /** 2 threads: per quantum, 3 small files written atomically and 3 rows in one transaction. */
  private static double baseline(Path dir, int quanta) throws Exception {
    Files.createDirectories(dir);
    String url = "jdbc:sqlite:" + dir.resolve("b.sqlite3");
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("CREATE TABLE d (id TEXT PRIMARY KEY, type TEXT, path TEXT)");
    }
    byte[] body = "{\"ok\": true}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    Object lock = new Object();
    long t0 = System.nanoTime();
    try (Connection c = DriverManager.getConnection(url)) {
      c.setAutoCommit(false);
      PreparedStatement ps = c.prepareStatement("INSERT INTO d VALUES (?, ?, ?)");
      List<Future<?>> futures = new java.util.ArrayList<>();
      for (int t = 0; t < 2; t++) {
        int first = t;
        futures.add(
            pool.submit(
                () -> {
                  for (int q = first; q < quanta; q += 2) {
                    String[] ids = new String[3];
                    for (int k = 0; k < 3; k++) {
                      ids[k] = UUID.randomUUID().toString();
                      Path target = dir.resolve(q + "_" + k + ".json");
                      Path tmp = dir.resolve(".tmp" + q + "_" + k);
                      try (var ch =
                          java.nio.channels.FileChannel.open(
                              tmp,
                              java.nio.file.StandardOpenOption.CREATE,
                              java.nio.file.StandardOpenOption.WRITE)) {
                        ch.write(java.nio.ByteBuffer.wrap(body));
                        ch.force(true);
                      }
                      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
                    }
                    synchronized (lock) {
                      for (int k = 0; k < 3; k++) {
                        ps.setString(1, ids[k]);
                        ps.setString(2, "t" + k);
                        ps.setString(3, q + "_" + k + ".json");
                        ps.addBatch();
                      }
                      ps.executeBatch();
                      c.commit();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
      pool.awaitTermination(1, TimeUnit.MINUTES);
    }
    return (System.nanoTime() - t0) / 1e9;
  }
}
