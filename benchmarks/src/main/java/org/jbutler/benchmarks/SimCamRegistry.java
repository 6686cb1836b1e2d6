package org.jbutler.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jbutler.registry.Registry;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionGroup;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;

/** The benchmarks' camera: instrument SimCam, 100 detectors, exposures from id 1000 up. */
final class SimCamRegistry {

  static final int EXPOSURES = 1_000;
  static final int DETECTORS = 100;

  private SimCamRegistry() {}

  static List<DataCoordinate> dataIds(DimensionGroup group, int firstExposure, int n) {
    List<DataCoordinate> ids = new ArrayList<>(n * DETECTORS);
    for (int e = firstExposure; e < firstExposure + n; e++) {
      for (int d = 0; d < DETECTORS; d++) {
        ids.add(DataCoordinate.ofRequired(group, "SimCam", d, 1000 + e));
      }
    }
    return ids;
  }

  static void populate(Registry registry, DimensionUniverse u, int exposures) {
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
    List<DimensionRecord> records = new ArrayList<>();
    for (int e = 0; e < exposures; e++) {
      records.add(
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
    registry.insertDimensionRecords("exposure", records);
  }

  /** The quantum-graph and executor benchmarks' no-op pipeline (per detector, then a gather). */
  static final String NOOP_PIPELINE =
      "description: the benchmarks' no-op pipeline\ninstrument: SimCam\ntasks:\n  noop: "
          + org.jbutler.pipetask.tasks.NoopTask.class.getName()
          + "\n  noopSum: "
          + org.jbutler.pipetask.tasks.NoopSumTask.class.getName()
          + "\n";

  /**
   * Creates a repository whose registry holds {@code raw} {instrument, exposure, detector} for
   * {@code exposures} x {@value #DETECTORS} data IDs in the RUN {@code raw/run} (no files: the
   * no-op tasks never read them).
   */
  static void rawRepository(java.nio.file.Path repo, int exposures) {
    try (org.jbutler.butler.Butler butler =
        org.jbutler.butler.Butler.create(repo, Map.of(), null)) {
      Registry registry = butler.registry();
      DimensionUniverse u = registry.universe();
      populate(registry, u, exposures);
      DimensionGroup group = u.group("exposure", "detector");
      registry.registerDatasetType(org.jbutler.schema.DatasetType.of("raw", group, "ImageI"));
      registry.registerCollection("raw/run", org.jbutler.schema.CollectionType.RUN, null);
      registry.insertDatasets(
          "raw",
          dataIds(group, 0, exposures),
          "raw/run",
          org.jbutler.schema.DatasetIdGenerationMode.UNIQUE);
    }
  }
}
