package org.jbutler.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.jbutler.registry.Registries;
import org.jbutler.registry.Registry;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetIds;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionGroup;
import org.jbutler.schema.dimensions.DimensionUniverse;

/**
 * The registry figures of the Registry issue, on SQLite and (when {@code JBUTLER_TEST_POSTGRES_URL}
 * names a server) PostgreSQL:
 *
 * <ul>
 *   <li>inserting 100,000 {@code raw} datasets (1,000 exposures x 100 detectors) into one RUN in
 *       one call, against plain JDBC batch inserts of the same rows into the same tables (a default
 *       connection: sqlite-jdbc does not check foreign keys by default);
 *   <li>{@code findDataset} through a 3-run chain holding 300,000 datasets, median of 1,000 random
 *       data IDs, against one plain prepared query of the tags table with the run IDs known;
 *   <li>the same lookup with 1,000,000 datasets in the chain (SQLite).
 * </ul>
 */
final class RegistryBenchmark implements Benchmark {

  private static final int EXPOSURES = SimCamRegistry.EXPOSURES;

  @Override
  public String name() {
    return "registry";
  }

  @Override
  public String description() {
    return "insert 100k datasets vs plain JDBC; findDataset through a 3-run chain (300k, 1M)";
  }

  @Override
  public void run(Reporter reporter) throws Exception {
    Harness.inTempDir(
        dir -> {
          measure(reporter, "sqlite", "jdbc:sqlite:" + dir.resolve("gen3.sqlite3"), true);
          String pg = System.getenv("JBUTLER_TEST_POSTGRES_URL");
          if (pg != null && !pg.isBlank()) {
            measure(reporter, "postgres", newPostgresDatabase(pg), false);
          } else {
            System.out.println(
                "# postgres: skipped (set JBUTLER_TEST_POSTGRES_URL, see .ci/postgres)");
          }
        });
  }

  static String newPostgresDatabase(String admin) throws Exception {
    String db = "jbutler_bench_" + ProcessHandle.current().pid();
    try (Connection c = DriverManager.getConnection(admin);
        var s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + db);
      s.execute("CREATE DATABASE " + db);
    }
    return admin.replaceFirst("/postgres\\?", "/" + db + "?");
  }

  private void measure(Reporter reporter, String label, String url, boolean million)
      throws Exception {
    DimensionUniverse u = DimensionUniverse.defaultUniverse();
    DimensionGroup group = u.group("exposure", "detector");
    int exposures = million ? 3 * 3_334 : EXPOSURES;
    List<DataCoordinate> ids = SimCamRegistry.dataIds(group, 0, EXPOSURES);
    try (Registry registry = Registries.create(url, u)) {
      SimCamRegistry.populate(registry, u, exposures);
      registry.registerDatasetType(DatasetType.of("raw", group, "ExposureI"));
      // Alternate ours and the baseline, three each, so both see the same database growth and
      // checkpoints; report the medians. Our three runs are the chain searched below.
      double[] ours = new double[3];
      double[] raw = new double[3];
      for (int i = 0; i < 3; i++) {
        registry.registerCollection("run" + i, CollectionType.RUN, null);
        registry.registerCollection("baseline" + i, CollectionType.RUN, null);
        long start = System.nanoTime();
        registry.insertDatasets("raw", ids, "run" + i, DatasetIdGenerationMode.UNIQUE);
        ours[i] = (System.nanoTime() - start) / 1e9;
        raw[i] = plainJdbcInsert(url, ids, "baseline" + i);
      }
      Arrays.sort(ours);
      Arrays.sort(raw);
      reporter.rate(
          "registry." + label + ".insert_100k",
          ids.size() / ours[1],
          "datasets/s",
          "plain_jdbc_batch",
          ids.size() / raw[1]);
      registry.registerCollection("chain", CollectionType.CHAINED, null);
      registry.setChain("chain", List.of("run2", "run1", "run0"));
      timeFind(reporter, "registry." + label + ".find_dataset_chain3_300k", registry, url, ids);
      timeExpandAndFind(
          reporter, "registry." + label + ".expand_and_find_chain3_300k", registry, url, ids);
      if (million) {
        // Grow the three runs to 3,334 exposures each: 1,000,200 datasets in the chain.
        for (int i = 0; i < 3; i++) {
          registry.insertDatasets(
              "raw",
              SimCamRegistry.dataIds(group, EXPOSURES + i * 2_334, 2_334),
              "run" + i,
              DatasetIdGenerationMode.UNIQUE);
        }
        timeFind(reporter, "registry." + label + ".find_dataset_chain3_1m", registry, url, ids);
      }
    }
  }

  /** Median findDataset time against the same lookup as one plain prepared query. */
  private static void timeFind(
      Reporter reporter, String name, Registry registry, String url, List<DataCoordinate> ids)
      throws Exception {
    Random random = new Random(1);
    double[] t = new double[1_000];
    for (int i = 0; i < 300; i++) {
      registry.findDataset("raw", ids.get(random.nextInt(ids.size())), List.of("chain"));
    }
    for (int i = 0; i < t.length; i++) {
      DataCoordinate d = ids.get(random.nextInt(ids.size()));
      long s = System.nanoTime();
      if (registry.findDataset("raw", d, List.of("chain")).isEmpty()) {
        throw new IllegalStateException("benchmark dataset not found: " + d);
      }
      t[i] = (System.nanoTime() - s) / 1e3;
    }
    Arrays.sort(t);
    reporter.time(name + "_median", t[t.length / 2], "us", "plain_jdbc_query", plainFind(url, ids));
  }

  /**
   * What {@code Butler.findDataset} does: expand the data ID (its records) and then find the
   * dataset, against the bare tags-table query.
   */
  private static void timeExpandAndFind(
      Reporter reporter, String name, Registry registry, String url, List<DataCoordinate> ids)
      throws Exception {
    Random random = new Random(3);
    var group = registry.datasetType("raw").dimensions();
    double[] t = new double[1_000];
    for (int i = -300; i < t.length; i++) {
      DataCoordinate d = ids.get(random.nextInt(ids.size()));
      long s = System.nanoTime();
      DataCoordinate full = registry.expandDataId(d.mapping(), group);
      if (registry.findDataset("raw", full, List.of("chain")).isEmpty()) {
        throw new IllegalStateException("benchmark dataset not found: " + d);
      }
      if (i >= 0) {
        t[i] = (System.nanoTime() - s) / 1e3;
      }
    }
    Arrays.sort(t);
    reporter.time(name + "_median", t[t.length / 2], "us", "plain_jdbc_query", plainFind(url, ids));
  }

  /** The median time of the tags-table lookup alone, run IDs known, through bare JDBC. */
  private static double plainFind(String url, List<DataCoordinate> ids) throws Exception {
    try (Connection c = DriverManager.getConnection(url)) {
      long typeId;
      String tags;
      List<Long> runs = new ArrayList<>();
      try (var s = c.createStatement()) {
        ResultSet r =
            s.executeQuery("SELECT id, tag_association_table FROM dataset_type WHERE name = 'raw'");
        r.next();
        typeId = r.getLong(1);
        tags = r.getString(2);
        for (String run : List.of("run2", "run1", "run0")) {
          r = s.executeQuery("SELECT collection_id FROM collection WHERE name = '" + run + "'");
          r.next();
          runs.add(r.getLong(1));
        }
      }
      try (PreparedStatement q =
          c.prepareStatement(
              "SELECT collection_id, dataset_id FROM "
                  + tags
                  + " WHERE dataset_type_id = ? AND collection_id IN (?, ?, ?)"
                  + " AND instrument = ? AND detector = ? AND exposure = ?")) {
        Random random = new Random(2);
        double[] t = new double[1_300];
        for (int i = 0; i < t.length; i++) {
          List<Object> v = ids.get(random.nextInt(ids.size())).requiredValues();
          long s = System.nanoTime();
          q.setLong(1, typeId);
          for (int k = 0; k < 3; k++) {
            q.setLong(2 + k, runs.get(k));
          }
          q.setString(5, (String) v.get(0));
          q.setLong(6, (Long) v.get(1));
          q.setLong(7, (Long) v.get(2));
          int rows = 0;
          try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
              rows++;
            }
          }
          if (rows == 0) {
            throw new IllegalStateException("baseline lookup found nothing");
          }
          t[i] = (System.nanoTime() - s) / 1e3;
        }
        double[] measured = Arrays.copyOfRange(t, 300, t.length);
        Arrays.sort(measured);
        return measured[measured.length / 2];
      }
    }
  }

  /** The same rows into the same tables through bare JDBC batches in one transaction. */
  private static double plainJdbcInsert(String url, List<DataCoordinate> ids, String run)
      throws Exception {
    boolean sqlite = url.startsWith("jdbc:sqlite:");
    java.util.Properties props = new java.util.Properties();
    if (!sqlite) {
      props.setProperty("reWriteBatchedInserts", "true"); // as the registry's own connections
    }
    try (Connection c = DriverManager.getConnection(url, props)) {
      c.setAutoCommit(false);
      long runId;
      long typeId;
      String tags;
      try (var s = c.createStatement()) {
        var r = s.executeQuery("SELECT collection_id FROM collection WHERE name = '" + run + "'");
        r.next();
        runId = r.getLong(1);
        r = s.executeQuery("SELECT id, tag_association_table FROM dataset_type WHERE name = 'raw'");
        r.next();
        typeId = r.getLong(1);
        tags = r.getString(2);
      }
      long start = System.nanoTime();
      try (PreparedStatement ds =
              c.prepareStatement(
                  "INSERT INTO dataset (id, dataset_type_id, run_id, ingest_date) VALUES (?, ?, ?, ?)");
          PreparedStatement tg =
              c.prepareStatement(
                  "INSERT INTO "
                      + tags
                      + " (dataset_type_id, dataset_id, collection_id, instrument, detector, exposure)"
                      + " VALUES (?, ?, ?, ?, ?, ?)")) {
        for (DataCoordinate d : ids) {
          UUID uuid = DatasetIds.newUnique();
          Object id = sqlite ? uuid.toString().replace("-", "") : uuid;
          ds.setObject(1, id);
          ds.setLong(2, typeId);
          ds.setLong(3, runId);
          ds.setLong(4, 0L);
          ds.addBatch();
          List<Object> v = d.requiredValues();
          tg.setLong(1, typeId);
          tg.setObject(2, id);
          tg.setLong(3, runId);
          tg.setString(4, (String) v.get(0));
          tg.setLong(5, (Long) v.get(1));
          tg.setLong(6, (Long) v.get(2));
          tg.addBatch();
        }
        ds.executeBatch();
        tg.executeBatch();
      }
      c.commit();
      return (System.nanoTime() - start) / 1e9;
    }
  }
}
