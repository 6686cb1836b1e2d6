package org.jbutler.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.region.Circle;
import org.jbutler.schema.region.HtmPixelization;
import org.jbutler.schema.region.UnitVector3d;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The common-skypix overlap rows a spatial record gets (its region's htm7 envelope, as daf_butler
 * writes them), and a repository without overlap tables (made before they existed) answering the
 * same region queries by testing every candidate.
 */
class SkyPixOverlapTest {

  @TempDir Path dir;

  private final DimensionUniverse u = DimensionUniverse.defaultUniverse();

  private void camera(Registry r) {
    r.insertDimensionRecords(
        "instrument", List.of(DimensionRecord.of(u.element("instrument"), Map.of("name", "Cam1"))));
    r.insertDimensionRecords(
        "detector",
        List.of(
            DimensionRecord.of(
                u.element("detector"), Map.of("instrument", "Cam1", "id", 1, "full_name", "A"))));
    r.insertDimensionRecords(
        "physical_filter",
        List.of(
            DimensionRecord.of(
                u.element("physical_filter"),
                Map.of("instrument", "Cam1", "name", "r", "band", "r"))));
    r.insertDimensionRecords(
        "day_obs",
        List.of(
            DimensionRecord.of(
                u.element("day_obs"), Map.of("instrument", "Cam1", "id", 20260101))));
    r.insertDimensionRecords(
        "visit",
        List.of(
            DimensionRecord.of(
                u.element("visit"),
                Map.of(
                    "instrument",
                    "Cam1",
                    "id",
                    1,
                    "name",
                    "v1",
                    "physical_filter",
                    "r",
                    "day_obs",
                    20260101,
                    "region",
                    Circle.ofDegrees(30, -10, 1)))));
  }

  private long overlapRows(String url) throws Exception {
    try (var c = DriverManager.getConnection(url);
        var s = c.createStatement();
        var rs = s.executeQuery("SELECT count(*) FROM visit_skypix_overlap")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private List<DimensionRecord> visitsAt(Registry r, double ra, double dec) {
    return r.queryDimensionRecords(
            "visit",
            DataQuery.where(
                "instrument = 'Cam1' AND visit.region OVERLAPS POINT(" + ra + ", " + dec + ")"))
        .toList();
  }

  @Test
  void recordsGetTheirHtm7EnvelopeAndOldRepositoriesStillAnswer() throws Exception {
    String url = TestDatabases.sqlite(dir);
    try (Registry r = Registries.create(url, u)) {
      camera(r);
      assertThat(visitsAt(r, 30.5, -10)).hasSize(1);
      assertThat(visitsAt(r, 32, -10)).isEmpty();
    }
    long expected = 0;
    for (long[] range : new HtmPixelization(7).envelope(Circle.ofDegrees(30, -10, 1), 64)) {
      expected += range[1] - range[0];
    }
    assertThat(overlapRows(url)).isEqualTo(expected).isGreaterThan(1);
    // A repository from before overlap tables: drop them; the answers stay the same.
    try (var c = DriverManager.getConnection(url);
        var s = c.createStatement()) {
      for (String t :
          List.of(
              "visit_skypix_overlap",
              "visit_detector_region_skypix_overlap",
              "tract_skypix_overlap",
              "patch_skypix_overlap")) {
        s.execute("DROP TABLE IF EXISTS " + t);
      }
    }
    try (Registry r = Registries.open(url)) {
      assertThat(visitsAt(r, 30.5, -10)).hasSize(1);
      assertThat(visitsAt(r, 32, -10)).isEmpty();
      assertThat(
              r.queryDimensionRecords(
                      "visit",
                      DataQuery.where("visit.region OVERLAPS :c")
                          .withBind(
                              Map.of("c", Circle.of(UnitVector3d.fromDegrees(31.5, -10), 0.6)))
                          .withDataId(Map.of("instrument", "Cam1")))
                  .count())
          .isEqualTo(1);
    }
  }
}
