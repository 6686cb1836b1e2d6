package org.jbutler.butler.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jbutler.butler.Butler;
import org.jbutler.registry.DataQuery;
import org.jbutler.registry.Registry;
import org.jbutler.schema.DatasetRef;
import org.jbutler.testing.ExternalResources;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cases of daf_butler's own registry tests ({@code registry/tests/_registry.py}) on its test
 * exports {@code base.yaml} + {@code datasets.yaml}, with daf_butler's expected answers: {@code
 * testQueryDatasetsDeduplication} and the data-ID and dataset parts of {@code testQueryResults}.
 */
class DafButlerRegistryCasesTest {

  @TempDir Path dir;

  private Butler butler;
  private Registry r;

  @BeforeEach
  void load() throws Exception {
    butler = Butler.create(dir.resolve("repo"), Map.of(), null);
    for (String file : List.of("base.yaml", "datasets.yaml")) {
      Path d = Files.createDirectories(dir.resolve(file.replace(".yaml", "")));
      Files.copy(
          ExternalResources.sharedFile("reference/daf_butler_tests/" + file),
          d.resolve(ExportFormat.EXPORT_FILE));
      RepoTransfer.importFrom(butler, d, null, null, false);
    }
    r = butler.registry();
  }

  @org.junit.jupiter.api.AfterEach
  void close() {
    butler.close();
  }

  /** The (detector, run) of each bias found. */
  private Set<List<Object>> biases(List<String> collections, DataQuery q) {
    return r.queryDatasets("bias", collections, q).stream()
        .map(ref -> List.<Object>of(ref.dataId().value("detector"), ref.run()))
        .collect(Collectors.toSet());
  }

  private static List<Object> bias(long detector, String run) {
    return List.of(detector, run);
  }

  @Test
  void queryDatasetsDeduplication() {
    assertThat(biases(List.of("imported_g", "imported_r"), DataQuery.all()))
        .containsExactlyInAnyOrder(
            bias(1, "imported_g"),
            bias(2, "imported_g"),
            bias(3, "imported_g"),
            bias(2, "imported_r"),
            bias(3, "imported_r"),
            bias(4, "imported_r"));
    assertThat(biases(List.of("imported_g", "imported_r"), DataQuery.all().withFindFirst()))
        .containsExactlyInAnyOrder(
            bias(1, "imported_g"),
            bias(2, "imported_g"),
            bias(3, "imported_g"),
            bias(4, "imported_r"));
    assertThat(biases(List.of("imported_r", "imported_g"), DataQuery.all().withFindFirst()))
        .containsExactlyInAnyOrder(
            bias(1, "imported_g"),
            bias(2, "imported_r"),
            bias(3, "imported_r"),
            bias(4, "imported_r"));
    // Wildcards give no order, so a find-first search refuses them (daf_butler: TypeError).
    assertThatThrownBy(() -> biases(List.of("imported_*"), DataQuery.all().withFindFirst()))
        .hasMessageContaining("imported_*");
  }

  /** testQueryResults: detector.purpose = 'SCIENCE' rejects detector 4. */
  @Test
  void queryResults() {
    var ids =
        r.queryDataIds(
                r.universe().group("detector", "physical_filter"),
                List.of(),
                List.of(),
                DataQuery.where("detector.purpose = 'SCIENCE'")
                    .withDataId(Map.of("instrument", "Cam1")))
            .toList();
    assertThat(
            ids.stream()
                .map(d -> List.of(d.value("detector"), d.value("physical_filter")))
                .collect(Collectors.toSet()))
        .hasSize(9)
        .allSatisfy(
            p -> {
              assertThat(p.get(0)).isIn(1L, 2L, 3L);
              assertThat(p.get(1)).isIn("Cam1-G", "Cam1-R1", "Cam1-R2");
            });
    DataQuery science =
        DataQuery.where("detector.purpose = 'SCIENCE'").withDataId(Map.of("instrument", "Cam1"));
    assertThat(
            r.queryDatasets("flat", List.of("imported_r"), science).stream()
                .map(
                    f -> List.of(f.dataId().value("detector"), f.dataId().value("physical_filter")))
                .collect(Collectors.toSet()))
        .containsExactlyInAnyOrder(
            List.of(1L, "Cam1-R1"), List.of(2L, "Cam1-R1"), List.of(3L, "Cam1-R2"));
    assertThat(biases(List.of("imported_r", "imported_g"), science))
        .containsExactlyInAnyOrder(
            bias(1, "imported_g"),
            bias(2, "imported_g"),
            bias(3, "imported_g"),
            bias(2, "imported_r"),
            bias(3, "imported_r"));
    assertThat(biases(List.of("imported_r", "imported_g"), science.withFindFirst()))
        .containsExactlyInAnyOrder(
            bias(1, "imported_g"), bias(2, "imported_r"), bias(3, "imported_r"));
    // An unknown dataset type is an error naming it (daf_butler: DatasetTypeError).
    assertThatThrownBy(
            () -> r.queryDatasets("not_known", List.of("imported_r"), DataQuery.all()).toList())
        .hasMessageContaining("not_known");
    DatasetRef one =
        r.queryDatasets(
                "bias",
                List.of("imported_g"),
                DataQuery.where("instrument = 'Cam1' AND detector = 1"))
            .toList()
            .get(0);
    assertThat(one.id()).hasToString("e15ab039-bc8b-4135-87c5-90902a7c0b22");
  }
}
