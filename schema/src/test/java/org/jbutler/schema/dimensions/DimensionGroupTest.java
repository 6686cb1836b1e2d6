package org.jbutler.schema.dimensions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.jbutler.schema.exceptions.UnknownDimensionException;
import org.junit.jupiter.api.Test;

class DimensionGroupTest {

  private final DimensionUniverse u = DimensionUniverse.defaultUniverse();

  @Test
  void closureAddsRequiredAndImpliedDimensions() {
    DimensionGroup g = u.group("visit");
    assertThat(g.names())
        .containsExactly("instrument", "band", "physical_filter", "day_obs", "visit");
    assertThat(g.required()).containsExactly("instrument", "visit");
    assertThat(g.implied()).containsExactly("band", "physical_filter", "day_obs");
    assertThat(g.dataIdKeys())
        .containsExactly("instrument", "visit", "band", "physical_filter", "day_obs");
  }

  @Test
  void aDimensionIsImpliedOnlyWhenAnotherImpliesIt() {
    assertThat(u.group("band").required()).containsExactly("band");
    assertThat(u.group("physical_filter").implied()).containsExactly("band");
    // Conformed: naming band explicitly changes nothing.
    assertThat(u.group("instrument", "detector", "physical_filter"))
        .isEqualTo(u.group("instrument", "detector", "physical_filter", "band"))
        .isSameAs(u.group("detector", "physical_filter"));
  }

  @Test
  void elementsIncludeCombinationsWhoseDimensionsArePresent() {
    assertThat(u.group("visit", "detector").elements()).contains("visit_detector_region");
    assertThat(u.group("visit", "exposure").elements()).contains("visit_definition");
    assertThat(u.group("visit").elements()).doesNotContain("visit_detector_region");
    assertThat(u.group("exposure", "detector").temporalFamilies())
        .containsExactly("observation_timespans");
    assertThat(u.group("visit", "detector").spatialFamilies())
        .containsExactly("observation_regions");
    assertThat(u.group("tract", "visit").governors()).containsExactly("instrument", "skymap");
  }

  @Test
  void setAlgebra() {
    DimensionGroup a = u.group("exposure", "detector");
    DimensionGroup b = u.group("visit");
    DimensionGroup both = a.union(b);
    assertThat(both.names()).contains("exposure", "detector", "visit", "group");
    assertThat(a.isSubsetOf(both)).isTrue();
    assertThat(both.isSubsetOf(a)).isFalse();
    assertThat(a.intersection(b).names())
        .containsExactly("instrument", "band", "physical_filter", "day_obs");
    assertThat(u.group("detector").intersection(u.group("tract"))).isEqualTo(u.emptyGroup());
    assertThat(u.emptyGroup().isEmpty()).isTrue();
    assertThat(u.group(List.of())).isSameAs(u.emptyGroup());
  }

  @Test
  void printsLikeDafButler() {
    assertThat(u.group("detector")).hasToString("{instrument, detector}");
  }

  @Test
  void unknownNamesAreErrors() {
    assertThatThrownBy(() -> u.group("detector", "vist"))
        .isInstanceOf(UnknownDimensionException.class)
        .hasMessageContaining("'vist'")
        .hasMessageContaining("Did you mean 'visit'?");
  }
}
