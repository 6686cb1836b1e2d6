package org.jbutler.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jbutler.registry.Registry;
import org.jbutler.schema.DataCoordinate;
import org.jbutler.schema.DimensionGroup;
import org.jbutler.schema.DimensionRecord;
import org.jbutler.schema.DimensionUniverse;

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
}
