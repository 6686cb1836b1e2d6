package org.jbutler.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jbutler.registry.Registries;
import org.jbutler.registry.Registry;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DataCoordinate;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetIds;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.DimensionGroup;
import org.jbutler.schema.DimensionRecord;
import org.jbutler.schema.DimensionUniverse;

/**
 * Inserts 100,000 {@code raw} datasets (1,000 exposures x 100 detectors) into one RUN on SQLite in
 * one call, against plain JDBC batch inserts of the same rows into the same tables (a default
 * sqlite-jdbc connection, which does not check foreign keys); then times {@code findDataset}
 * through a 3-run chain.
 */
final class RegistryBenchmark implements Benchmark {

  private static final int EXPOSURES = 1_000;
  private static final int DETECTORS = 100;

  @Override
  public String name() {
    return "registry";
  }

  @Override
  public String description() {
    return "insert 100k datasets on SQLite vs plain JDBC; findDataset through a 3-run chain";
  }

  @Override
  public void run(Reporter reporter) throws Exception {
    Path dir = Files.createTempDirectory("jbutler-bench");
    DimensionUniverse u = DimensionUniverse.defaultUniverse();
    DimensionGroup group = u.group("exposure", "detector");
    List<DataCoordinate> ids = new ArrayList<>(EXPOSURES * DETECTORS);
    for (int e = 0; e < EXPOSURES; e++) {
      for (int d = 0; d < DETECTORS; d++) {
        ids.add(DataCoordinate.ofRequired(group, "SimCam", d, 1000 + e));
      }
    }
    String url = "jdbc:sqlite:" + dir.resolve("gen3.sqlite3");
    try (Registry registry = Registries.create(url, u)) {
      populate(registry, u);
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
        raw[i] = plainJdbc(url, ids, "baseline" + i);
      }
      Arrays.sort(ours);
      Arrays.sort(raw);
      reporter.rate(
          "registry.sqlite.insert_100k",
          ids.size() / ours[1],
          "datasets/s",
          "plain_jdbc_batch",
          ids.size() / raw[1]);
      registry.registerCollection("chain", CollectionType.CHAINED, null);
      registry.setChain("chain", List.of("run2", "run1", "run0"));
      Random random = new Random(1);
      double[] t = new double[1_000];
      for (int i = 0; i < 200; i++) {
        registry.findDataset("raw", ids.get(random.nextInt(ids.size())), List.of("chain"));
      }
      for (int i = 0; i < t.length; i++) {
        DataCoordinate d = ids.get(random.nextInt(ids.size()));
        long s = System.nanoTime();
        registry.findDataset("raw", d, List.of("chain"));
        t[i] = (System.nanoTime() - s) / 1e3;
      }
      Arrays.sort(t);
      reporter.figure("registry.sqlite.find_dataset_chain3_300k_median", t[t.length / 2], "us");
    }
  }

  private static void populate(Registry registry, DimensionUniverse u) {
    registry.insertDimensionRecords(
        "instrument",
        List.of(DimensionRecord.of(u.element("instrument"), Map.of("name", "SimCam"))));
    registry.insertDimensionRecords(
        "physical_filter",
        List.of(
            DimensionRecord.of(
                u.element("physical_filter"),
                Map.of("instrument", "SimCam", "name", "r", "band", "r"))));
    registry.insertDimensionRecords(
        "day_obs",
        List.of(
            DimensionRecord.of(
                u.element("day_obs"), Map.of("instrument", "SimCam", "id", 20260101))));
    registry.insertDimensionRecords(
        "group",
        List.of(
            DimensionRecord.of(u.element("group"), Map.of("instrument", "SimCam", "name", "g"))));
    List<DimensionRecord> dets = new ArrayList<>();
    for (int d = 0; d < DETECTORS; d++) {
      dets.add(
          DimensionRecord.of(
              u.element("detector"),
              Map.of("instrument", "SimCam", "id", d, "full_name", "D" + d)));
    }
    registry.insertDimensionRecords("detector", dets);
    List<DimensionRecord> exposures = new ArrayList<>();
    for (int e = 0; e < EXPOSURES; e++) {
      exposures.add(
          DimensionRecord.of(
              u.element("exposure"),
              Map.of(
                  "instrument",
                  "SimCam",
                  "id",
                  1000 + e,
                  "obs_id",
                  "E" + e,
                  "physical_filter",
                  "r",
                  "group",
                  "g",
                  "day_obs",
                  20260101)));
    }
    registry.insertDimensionRecords("exposure", exposures);
  }

  /** The same rows into the same tables through bare JDBC batches in one transaction. */
  private static double plainJdbc(String url, List<DataCoordinate> ids, String run)
      throws Exception {
    try (Connection c = DriverManager.getConnection(url)) {
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
          String id = DatasetIds.newUnique().toString().replace("-", "");
          ds.setString(1, id);
          ds.setLong(2, typeId);
          ds.setLong(3, runId);
          ds.setLong(4, 0L);
          ds.addBatch();
          List<Object> v = d.requiredValues();
          tg.setLong(1, typeId);
          tg.setString(2, id);
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
