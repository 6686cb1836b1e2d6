package org.jbutler.schema.dimensions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.jbutler.testing.ExternalResources;
import org.junit.jupiter.api.Test;

/** Reads daf_butler's own dimension configs unchanged and compares them with ours. */
class DafButlerUniverseCompatibilityTest {

  private final DimensionUniverse ours = DimensionUniverse.defaultUniverse();

  @Test
  void daf_butlerVersion8IsEquivalentToOurs() {
    DimensionUniverse theirs =
        DimensionUniverse.load(
            ExternalResources.sharedFile("reference/daf_butler_dimensions_v8.yaml"));
    assertThat(theirs.version()).isEqualTo(8);
    assertEquivalent(theirs, ours, List.of());
  }

  @Test
  void daf_butlerVersion7IsOursWithoutTheSolarSystemElements() {
    DimensionUniverse theirs =
        DimensionUniverse.load(
            ExternalResources.sharedFile("reference/daf_butler_dimensions_v7.yaml"));
    assertThat(theirs.version()).isEqualTo(7);
    assertEquivalent(
        theirs,
        ours,
        List.of("ssp_hypothesis_table", "ssp_hypothesis_bundle", "ssp_balanced_index"));
  }

  private static void assertEquivalent(
      DimensionUniverse theirs, DimensionUniverse ours, List<String> onlyInOurs) {
    assertThat(theirs.namespace()).isEqualTo(ours.namespace());
    assertThat(theirs.commonSkyPix()).isEqualTo(ours.commonSkyPix());
    assertThat(theirs.skyPixSystems()).isEqualTo(ours.skyPixSystems());
    assertThat(theirs.spatialFamilies()).isEqualTo(ours.spatialFamilies());
    assertThat(theirs.temporalFamilies()).isEqualTo(ours.temporalFamilies());
    List<String> ourNames =
        ours.elements().stream()
            .map(DimensionElement::name)
            .filter(n -> !onlyInOurs.contains(n))
            .toList();
    assertThat(theirs.elements())
        .extracting(DimensionElement::name)
        .containsExactlyElementsOf(ourNames);
    for (DimensionElement t : theirs.elements()) {
      DimensionElement o = ours.element(t.name());
      String n = t.name();
      assertThat(t.keys()).as(n + " keys").usingElementComparator(COLUMNS).isEqualTo(o.keys());
      assertThat(t.metadata())
          .as(n + " metadata")
          .usingElementComparator(COLUMNS)
          .isEqualTo(o.metadata());
      assertThat(t.required()).as(n + " required").isEqualTo(o.required());
      assertThat(t.implied()).as(n + " implied").isEqualTo(o.implied());
      assertThat(t.isGovernor()).as(n + " governor").isEqualTo(o.isGovernor());
      assertThat(t.alwaysJoin()).as(n + " always_join").isEqualTo(o.alwaysJoin());
      assertThat(t.populatedBy()).as(n + " populated_by").isEqualTo(o.populatedBy());
      assertThat(t.isCached()).as(n + " cached").isEqualTo(o.isCached());
      assertThat(t.impliedUnionTarget()).as(n + " union").isEqualTo(o.impliedUnionTarget());
      assertThat(t.spatialFamily()).as(n + " spatial").isEqualTo(o.spatialFamily());
      assertThat(t.temporalFamily()).as(n + " temporal").isEqualTo(o.temporalFamily());
      assertThat(t.fields().keySet())
          .as(n + " fields")
          .containsExactlyElementsOf(o.fields().keySet());
    }
  }

  /** Columns compare on everything but their documentation. */
  private static final java.util.Comparator<ColumnSpec> COLUMNS =
      (a, b) ->
          a.name().equals(b.name())
                  && a.type() == b.type()
                  && a.length() == b.length()
                  && a.nbytes() == b.nbytes()
                  && a.nullable() == b.nullable()
              ? 0
              : 1;
}
