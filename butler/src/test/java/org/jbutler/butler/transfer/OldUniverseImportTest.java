package org.jbutler.butler.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jbutler.butler.Butler;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.testing.ExternalResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * daf_butler's test exports from old universes import with daf_butler's migrations: the HSC RC2
 * subset of universe 0 (seeing dropped, visit day_obs from the start's TAI date, visit_system
 * memberships, group and day_obs records from the exposure), and datasets.yaml (universe 0, legacy
 * {@code type: run}) after base.yaml, with daf_butler's dataset IDs.
 */
class OldUniverseImportTest {

  @TempDir Path dir;

  private Path export(String file) throws Exception {
    Path d = Files.createDirectories(dir.resolve(file.replace(".yaml", "")));
    Files.copy(
        ExternalResources.sharedFile("reference/daf_butler_tests/" + file),
        d.resolve(ExportFormat.EXPORT_FILE));
    return d;
  }

  private static DimensionRecord only(List<DimensionRecord> records, String key, Object value) {
    return records.stream()
        .filter(r -> value.equals(r.value(key).orElse(null)))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no record with " + key + " = " + value));
  }

  @Test
  void hscRc2SubsetOfUniverseZeroImportsWithMigrations() throws Exception {
    try (Butler b = Butler.create(dir.resolve("repo"), Map.of(), null)) {
      RepoTransfer.importFrom(b, export("hsc-rc2-subset-v0.yaml"), null, null, false);
      var r = b.registry();
      List<DimensionRecord> visits = r.fetchDimensionRecords("visit");
      assertThat(visits).hasSize(2);
      DimensionRecord v11690 = only(visits, "id", 11690L);
      // 2014-11-18 12:56:47 UTC starts on 2014-11-18 in TAI too.
      assertThat(v11690.value("day_obs")).contains(20141118L);
      assertThat(v11690.timespan()).isPresent();
      assertThat(only(visits, "id", 23868L).value("day_obs")).contains(20150318L);
      assertThat(r.fetchDimensionRecords("visit_system_membership"))
          .extracting(m -> m.value("visit").orElseThrow())
          .containsExactlyInAnyOrder(11690L, 23868L);
      DimensionRecord exposure = only(r.fetchDimensionRecords("exposure"), "id", 903342L);
      assertThat(exposure.value("group")).contains("903342");
      assertThat(r.fetchDimensionRecords("group"))
          .extracting(g -> g.value("name").orElseThrow())
          .contains("903342");
      assertThat(r.fetchDimensionRecords("day_obs"))
          .extracting(d -> d.value("id").orElseThrow())
          .contains(20130617L, 20141118L, 20150318L);
      assertThat(only(r.fetchDimensionRecords("skymap"), "name", "hsc_rings_v1").value("tract_max"))
          .contains(18938L);
      assertThat(r.fetchDimensionRecords("tract"))
          .extracting(t -> t.value("id").orElseThrow())
          .contains(9615L, 9813L);
      assertThat(r.fetchDimensionRecords("tract"))
          .allSatisfy(t -> assertThat(t.region()).isPresent());
    }
  }

  @Test
  void datasetsOfUniverseZeroImportAfterBase() throws Exception {
    try (Butler b = Butler.create(dir.resolve("repo"), Map.of(), null)) {
      RepoTransfer.importFrom(b, export("base.yaml"), null, null, false);
      RepoTransfer.ImportSummary s =
          RepoTransfer.importFrom(b, export("datasets.yaml"), null, null, false);
      assertThat(s.datasets()).isEqualTo(13);
      var r = b.registry();
      var bias =
          r.queryDatasets(
                  "bias",
                  List.of("imported_g"),
                  DataQuery.where("instrument = 'Cam1' AND detector = 1"))
              .toList();
      assertThat(bias).hasSize(1);
      assertThat(bias.get(0).id())
          .isEqualTo(UUID.fromString("e15ab039-bc8b-4135-87c5-90902a7c0b22"));
      assertThat(
              r.queryDatasets(
                      "flat",
                      List.of("imported_r"),
                      DataQuery.where(
                          "instrument = 'Cam1' AND detector = 4 AND physical_filter = 'Cam1-R2'"))
                  .toList())
          .extracting(ref -> ref.id().toString())
          .containsExactly("37185f04-1cea-4ddd-a065-a5e0be9e19de");
    }
  }

  /** daf_butler's LSSTCam subset imports as it is. */
  @Test
  void lsstCamSubsetImports() throws Exception {
    try (Butler b = Butler.create(dir.resolve("repo"), Map.of(), null)) {
      RepoTransfer.ImportSummary s =
          RepoTransfer.importFrom(b, export("lsstcam-subset.yaml"), null, null, false);
      assertThat(s.records()).isPositive();
      assertThat(b.registry().fetchDimensionRecords("instrument"))
          .extracting(i -> i.value("name").orElseThrow())
          .contains("LSSTCam");
    }
  }
}
