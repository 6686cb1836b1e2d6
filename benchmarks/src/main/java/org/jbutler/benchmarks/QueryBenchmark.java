package org.jbutler.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.IntSupplier;
import org.jbutler.registry.DataQuery;
import org.jbutler.registry.Registries;
import org.jbutler.registry.Registry;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.dimensions.DimensionGroup;
import org.jbutler.schema.dimensions.DimensionUniverse;

/**
 * The query figures of the Query issue on SQLite: a find-first {@code queryDatasets} over the
 * registry benchmark's 3 chained RUNs (3 x 100,000 raws, then 1,000,000 in all) with {@code
 * instrument='SimCam' AND exposure IN (<100 ids>) AND detector < 10} (1,000 results, fully read),
 * against the equivalent hand-written SQL through plain JDBC; and {@code queryDataIds} over
 * {instrument, exposure, detector} returning 10,000 rows.
 */
final class QueryBenchmark implements Benchmark {

  private static final int REPEATS = 60;

  @Override
  public String name() {
    return "query";
  }

  @Override
  public String description() {
    return "find-first queryDatasets (1,000 of 300k / 1M) vs hand-written SQL; queryDataIds 10k"
        + " rows; 1M data IDs streamed vs listed (rate, heap)";
  }

  @Override
  public void run(Reporter reporter) throws Exception {
    Harness.inTempDir(dir -> measure(reporter, "jdbc:sqlite:" + dir.resolve("gen3.sqlite3")));
  }

  private void measure(Reporter reporter, String url) throws Exception {
    DimensionUniverse u = DimensionUniverse.defaultUniverse();
    DimensionGroup group = u.group("exposure", "detector");
    int exposures = 3 * 3_334;
    try (Registry registry = Registries.create(url, u)) {
      SimCamRegistry.populate(registry, u, exposures);
      registry.registerDatasetType(DatasetType.of("raw", group, "ExposureI"));
      var ids = SimCamRegistry.dataIds(group, 0, SimCamRegistry.EXPOSURES);
      for (int i = 0; i < 3; i++) {
        registry.registerCollection("run" + i, CollectionType.RUN, null);
        registry.insertDatasets("raw", ids, "run" + i, DatasetIdGenerationMode.UNIQUE);
      }
      registry.registerCollection("chain", CollectionType.CHAINED, null);
      registry.setChain("chain", List.of("run2", "run1", "run0"));
      compare(reporter, "query.sqlite.find_first_1000_of_300k", registry, url);
      dataIds(reporter, registry, u);
      streamMillion(reporter, registry, u, exposures * SimCamRegistry.DETECTORS);
      for (int i = 0; i < 3; i++) {
        registry.insertDatasets(
            "raw",
            SimCamRegistry.dataIds(group, SimCamRegistry.EXPOSURES + i * 2_334, 2_334),
            "run" + i,
            DatasetIdGenerationMode.UNIQUE);
      }
      compare(reporter, "query.sqlite.find_first_1000_of_1m", registry, url);
    }
  }

  /** 100 random exposure IDs among the first 1,000 (which every run holds). */
  private static List<Integer> exposureIds(Random random) {
    List<Integer> all = new ArrayList<>();
    for (int e = 0; e < SimCamRegistry.EXPOSURES; e++) {
      all.add(1000 + e);
    }
    java.util.Collections.shuffle(all, random);
    return all.subList(0, 100);
  }

  private static String where(List<Integer> exposures) {
    StringBuilder sb = new StringBuilder("instrument='SimCam' AND exposure IN (");
    for (int i = 0; i < exposures.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(exposures.get(i));
    }
    return sb.append(") AND detector < 10").toString();
  }

  private static void compare(Reporter reporter, String name, Registry registry, String url)
      throws Exception {
    Random random = new Random(7);
    IntSupplier ours =
        () -> {
          int n =
              registry
                  .queryDatasets(
                      "raw",
                      List.of("chain"),
                      DataQuery.where(where(exposureIds(random))).withFindFirst())
                  .toList()
                  .size();
          if (n != 1_000) {
            throw new IllegalStateException("expected 1000 results, got " + n);
          }
          return n;
        };
    double oursMs = medianMs(ours);
    try (Connection c = DriverManager.getConnection(url)) {
      long[] runs = new long[3];
      long type;
      String tags;
      try (var s = c.createStatement()) {
        for (int i = 0; i < 3; i++) {
          ResultSet r =
              s.executeQuery(
                  "SELECT collection_id FROM collection WHERE name = 'run" + (2 - i) + "'");
          r.next();
          runs[i] = r.getLong(1);
        }
        ResultSet r =
            s.executeQuery("SELECT id, tag_association_table FROM dataset_type WHERE name = 'raw'");
        r.next();
        type = r.getLong(1);
        tags = r.getString(2);
      }
      String in = String.join(", ", java.util.Collections.nCopies(100, "?"));
      String sql =
          "SELECT dataset_id, run_id, exposure, detector FROM (SELECT t.dataset_id, d.run_id,"
              + " t.exposure, t.detector, ROW_NUMBER() OVER (PARTITION BY t.instrument,"
              + " t.exposure, t.detector ORDER BY CASE t.collection_id WHEN ? THEN 0 WHEN ? THEN 1"
              + " ELSE 2 END) AS rn FROM "
              + tags
              + " t JOIN dataset d ON d.id = t.dataset_id WHERE t.dataset_type_id = ? AND"
              + " t.collection_id IN (?, ?, ?) AND t.instrument = ? AND t.exposure IN ("
              + in
              + ") AND t.detector < ?) WHERE rn = 1";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        Random r2 = new Random(7);
        IntSupplier raw =
            () -> {
              try {
                int k = 1;
                ps.setLong(k++, runs[0]);
                ps.setLong(k++, runs[1]);
                ps.setLong(k++, type);
                for (long run : runs) {
                  ps.setLong(k++, run);
                }
                ps.setString(k++, "SimCam");
                for (int e : exposureIds(r2)) {
                  ps.setLong(k++, e);
                }
                ps.setLong(k, 10);
                int n = 0;
                try (ResultSet rs = ps.executeQuery()) {
                  while (rs.next()) {
                    rs.getString(1);
                    rs.getLong(2);
                    rs.getLong(3);
                    rs.getLong(4);
                    n++;
                  }
                }
                if (n != 1_000) {
                  throw new IllegalStateException("baseline expected 1000 rows, got " + n);
                }
                return n;
              } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
              }
            };
        reporter.time(name + "_median", oursMs, "ms", "hand_written_jdbc", medianMs(raw));
      }
    }
  }

  private static void dataIds(Reporter reporter, Registry registry, DimensionUniverse u)
      throws Exception {
    Random random = new Random(11);
    DimensionGroup g = u.group("exposure", "detector");
    double ms =
        medianMs(
            () -> {
              String where = where(exposureIds(random)).replace(" AND detector < 10", "");
              int n =
                  registry
                      .queryDataIds(g, List.of(), List.of(), DataQuery.where(where))
                      .toList()
                      .size();
              if (n != 10_000) {
                throw new IllegalStateException("expected 10000 data IDs, got " + n);
              }
              return n;
            });
    reporter.figure("query.sqlite.data_ids_10k_median", ms, "ms");
    reporter.figure("query.sqlite.data_ids_10k_rate", 10_000 / (ms / 1e3), "rows/s");
  }

  /**
   * Every (exposure, detector) data ID, a million of them, streamed from a cursor and read as a
   * list: the rate of each, and the heap each holds while the rows are being used (live objects
   * after a full collection, halfway through the stream and with the list in hand).
   */
  private static void streamMillion(
      Reporter reporter, Registry registry, DimensionUniverse u, long expected) throws Exception {
    DimensionGroup g = u.group("exposure", "detector");
    System.gc();
    long base = usedHeap();
    long[] midway = new long[1];
    long[] n = new long[1];
    long t0 = System.nanoTime();
    registry
        .queryDataIds(g, List.of(), List.of(), DataQuery.all())
        .forEach(
            d -> {
              if (++n[0] == expected / 2) {
                System.gc();
                midway[0] = usedHeap();
              }
            });
    double streamSeconds = (System.nanoTime() - t0) / 1e9;
    if (n[0] != expected) {
      throw new IllegalStateException("expected " + expected + " data IDs, streamed " + n[0]);
    }
    System.gc();
    base = Math.min(base, usedHeap());
    t0 = System.nanoTime();
    List<?> all = registry.queryDataIds(g, List.of(), List.of(), DataQuery.all()).toList();
    double listSeconds = (System.nanoTime() - t0) / 1e9;
    System.gc();
    long listHeap = usedHeap() - base;
    if (all.size() != expected) {
      throw new IllegalStateException("expected " + expected + " data IDs, listed " + all.size());
    }
    reporter.rate(
        "query.sqlite.data_ids_1m_stream_rate",
        expected / streamSeconds,
        "rows/s",
        "toList",
        expected / listSeconds);
    reporter.figure(
        "query.sqlite.data_ids_1m_stream_heap", Math.max(0, midway[0] - base) / 1e6, "MB");
    reporter.figure("query.sqlite.data_ids_1m_list_heap", listHeap / 1e6, "MB");
  }

  private static long usedHeap() {
    Runtime r = Runtime.getRuntime();
    return r.totalMemory() - r.freeMemory();
  }

  private static double medianMs(IntSupplier work) throws Exception {
    return Harness.medianSeconds(REPEATS / 3, REPEATS, work::getAsInt) * 1e3;
  }
}
