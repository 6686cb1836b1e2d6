package org.jbutler.schema.dimensions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jbutler.schema.exceptions.UnknownDimensionException;
import org.junit.jupiter.api.Test;

class DimensionUniverseTest {

  private final DimensionUniverse universe = DimensionUniverse.defaultUniverse();

  @Test
  void defaultUniverseIsVersion8() {
    assertThat(universe.version()).isEqualTo(8);
    assertThat(universe.namespace()).isEqualTo("daf_butler");
    assertThat(universe.commonSkyPix()).isEqualTo("htm7");
    assertThat(universe.skyPixSystems()).containsEntry("htm", 24).containsEntry("healpix", 17);
    assertThat(universe.findElement("htm24")).isPresent();
    assertThat(universe.findElement("healpix17")).isPresent();
    assertThat(universe.findElement("healpix0")).isEmpty();
    assertThat(universe.elements()).hasSize(19 + 24 + 17);
  }

  @Test
  void everyElementFollowsWhatItDependsOn() {
    Set<String> seen = new HashSet<>();
    for (DimensionElement e : universe.elements()) {
      assertThat(seen).as(e.name()).containsAll(e.directRequires()).containsAll(e.directImplies());
      seen.add(e.name());
      assertThat(e.index()).isEqualTo(universe.elements().indexOf(e));
    }
  }

  @Test
  void requiredIsTheTransitiveClosure() {
    assertThat(universe.element("visit_detector_region").required())
        .containsExactly("instrument", "detector", "visit");
    assertThat(universe.element("patch").required()).containsExactly("skymap", "tract", "patch");
    assertThat(universe.element("subfilter").required()).containsExactly("band", "subfilter");
    assertThat(universe.element("visit").implied()).containsExactly("physical_filter", "day_obs");
    assertThat(universe.element("exposure").implied())
        .containsExactly("physical_filter", "group", "day_obs");
  }

  @Test
  void elementProperties() {
    assertThat(universe.governors())
        .extracting(DimensionElement::name)
        .containsExactly("instrument", "skymap");
    DimensionElement band = universe.element("band");
    assertThat(band.impliedUnionTarget()).contains("physical_filter");
    assertThat(band.hasOwnTable()).isFalse();
    assertThat(band.isCached()).isTrue();
    assertThat(universe.element("visit_definition").alwaysJoin()).isTrue();
    assertThat(universe.element("visit_definition").isDimension()).isFalse();
    assertThat(universe.element("visit_detector_region").populatedBy()).contains("visit");
    assertThat(universe.element("visit").spatialFamily()).contains("observation_regions");
    assertThat(universe.element("visit").temporalFamily()).contains("observation_timespans");
    assertThat(universe.element("detector").isTemporal()).isFalse();
    assertThat(universe.element("htm7").isSkyPix()).isTrue();
    assertThat(universe.element("htm7").spatialFamily()).contains("htm");
    assertThat(universe.element("patch").fields().get("cell_x").nullable()).isFalse();
  }

  @Test
  void recordFieldsFollowDafButlerNaming() {
    assertThat(universe.element("detector").fields().keySet())
        .containsExactly("instrument", "id", "full_name", "name_in_raft", "raft", "purpose");
    assertThat(universe.element("visit_detector_region").fields().keySet())
        .containsExactly("instrument", "detector", "visit");
    List<String> visit = List.copyOf(universe.element("visit").fields().keySet());
    assertThat(visit.subList(0, 5))
        .containsExactly("instrument", "id", "name", "physical_filter", "day_obs");
  }

  @Test
  void unknownElementSuggestsTheClosestName() {
    assertThatThrownBy(() -> universe.element("detecter"))
        .isInstanceOf(UnknownDimensionException.class)
        .hasMessageContaining("'detecter'")
        .hasMessageContaining("Did you mean 'detector'?");
    assertThatThrownBy(() -> universe.dimension("visit_definition"))
        .isInstanceOf(UnknownDimensionException.class)
        .hasMessageContaining("not a dimension");
  }
}
