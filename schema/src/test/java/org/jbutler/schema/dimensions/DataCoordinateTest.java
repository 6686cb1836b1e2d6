package org.jbutler.schema.dimensions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jbutler.schema.exceptions.InvalidDataIdException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DataCoordinateTest {

  private final DimensionUniverse u = DimensionUniverse.defaultUniverse();
  private final DimensionGroup detector = u.group("detector");
  private final DimensionGroup exposureDetector = u.group("exposure", "detector");

  @Test
  void valuesAreConformedToKeyTypes() {
    DataCoordinate a =
        DataCoordinate.standardize(Map.of("instrument", "HSC", "detector", 50), detector);
    DataCoordinate b =
        DataCoordinate.standardize(Map.of("instrument", "HSC", "detector", "50"), detector);
    DataCoordinate c =
        DataCoordinate.standardize(Map.of("instrument", "HSC", "detector", 50L), detector);
    assertThat(a).isEqualTo(b).isEqualTo(c).hasSameHashCodeAs(b);
    assertThat(a.value("detector")).isEqualTo(50L);
    assertThat(a).hasToString("{instrument: 'HSC', detector: 50}");
  }

  @Test
  void dimensionsAreInferredFromKeys() {
    DataCoordinate d =
        DataCoordinate.standardize(Map.of("instrument", "HSC", "physical_filter", "HSC-R"), u);
    assertThat(d.dimensions()).isEqualTo(u.group("physical_filter"));
    assertThat(d.hasFull()).isFalse();
    DataCoordinate full =
        DataCoordinate.standardize(
            Map.of("instrument", "HSC", "physical_filter", "HSC-R", "band", "r"), u);
    assertThat(full.hasFull()).isTrue();
    assertThat(full.full()).containsEntry("band", "r");
    assertThat(full).isEqualTo(d); // equality uses required values only
    assertThat(full).hasToString("{instrument: 'HSC', physical_filter: 'HSC-R', band: 'r'}");
  }

  @Test
  void qualifiedPrimaryKeysAreTheDimension() {
    DataCoordinate d =
        DataCoordinate.standardize(Map.of("instrument.name", "HSC", "detector.id", 3), detector);
    assertThat(d.required())
        .containsExactly(Map.entry("instrument", "HSC"), Map.entry("detector", 3L));
  }

  @Test
  void extraDimensionsOutsideTheGroupAreIgnored() {
    DataCoordinate d =
        DataCoordinate.standardize(
            Map.of("instrument", "HSC", "detector", 3, "visit", 12), detector);
    assertThat(d.dimensions()).isEqualTo(detector);
  }

  @Test
  void unknownKeyIsAnErrorWithASuggestion() {
    assertThatThrownBy(
            () -> DataCoordinate.standardize(Map.of("instrument", "HSC", "detecter", 1), detector))
        .isInstanceOf(InvalidDataIdException.class)
        .hasMessageContaining("Unknown dimension 'detecter'")
        .hasMessageContaining("Did you mean 'detector'?");
  }

  @Test
  void missingRequiredValueIsAnError() {
    assertThatThrownBy(
            () -> DataCoordinate.standardize(Map.of("instrument", "HSC"), exposureDetector))
        .isInstanceOf(InvalidDataIdException.class)
        .hasMessageContaining("lacks required dimensions detector, exposure");
  }

  @ParameterizedTest
  @ValueSource(strings = {"fifty", "1.5", ""})
  void illTypedValueIsAnError(String bad) {
    assertThatThrownBy(
            () ->
                DataCoordinate.standardize(Map.of("instrument", "HSC", "detector", bad), detector))
        .isInstanceOf(InvalidDataIdException.class)
        .hasMessageContaining("'detector'")
        .hasMessageContaining("not an integer");
  }

  @Test
  void tooLongStringIsAnError() {
    assertThatThrownBy(
            () ->
                DataCoordinate.standardize(
                    Map.of("instrument", "x".repeat(33), "detector", 1), detector))
        .isInstanceOf(InvalidDataIdException.class)
        .hasMessageContaining("the limit is 32");
  }

  @Test
  void conflictingSpellingsAreAnError() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("instrument", "HSC");
    m.put("detector", 1);
    m.put("detector.id", 2);
    assertThatThrownBy(() -> DataCoordinate.standardize(m, detector))
        .isInstanceOf(InvalidDataIdException.class)
        .hasMessageContaining("two values for 'detector'");
  }

  @Test
  void alternateKeysAreKeptForARegistryLookup() {
    UnresolvedDataId parsed =
        UnresolvedDataId.parse(u, Map.of("instrument", "HSC", "detector.full_name", "1_53"));
    assertThat(parsed.isResolved()).isFalse();
    assertThat(parsed.recordConstraints()).containsEntry("detector.full_name", "1_53");
    UnresolvedDataId unqualified =
        UnresolvedDataId.parse(u, Map.of("instrument", "HSC", "obs_id", "HSCA1234"));
    assertThat(unqualified.recordConstraints()).containsEntry("exposure.obs_id", "HSCA1234");
    UnresolvedDataId metadata =
        UnresolvedDataId.parse(u, Map.of("exposure.seq_num", 5, "exposure.day_obs", 20240101));
    assertThat(metadata.recordConstraints()).containsEntry("exposure.seq_num", 5L);
    assertThat(metadata.values()).containsEntry("day_obs", 20240101L);
    assertThatThrownBy(
            () ->
                DataCoordinate.standardize(
                    Map.of("instrument", "HSC", "full_name", "1_53"), detector))
        .isInstanceOf(InvalidDataIdException.class)
        .hasMessageContaining("registry lookup");
    // "name" is an alternate key of both visit and visit_system: ambiguous unqualified.
    assertThatThrownBy(() -> UnresolvedDataId.parse(u, Map.of("name", "v1")))
        .isInstanceOf(InvalidDataIdException.class)
        .hasMessageContaining("Unknown dimension 'name'");
    assertThatThrownBy(() -> UnresolvedDataId.parse(u, Map.of("detector.fullname", "x")))
        .isInstanceOf(InvalidDataIdException.class)
        .hasMessageContaining("no field 'fullname'")
        .hasMessageContaining("full_name");
  }

  @Test
  void orderingIsByGroupThenValues() {
    List<DataCoordinate> ids = new ArrayList<>();
    for (int det : new int[] {3, 1, 2}) {
      ids.add(DataCoordinate.ofRequired(detector, "HSC", det));
    }
    ids.add(DataCoordinate.ofRequired(detector, "Cam1", 9));
    ids.sort(null);
    assertThat(ids)
        .extracting(DataCoordinate::toString)
        .containsExactly(
            "{instrument: 'Cam1', detector: 9}",
            "{instrument: 'HSC', detector: 1}",
            "{instrument: 'HSC', detector: 2}",
            "{instrument: 'HSC', detector: 3}");
  }

  @Test
  void subsetAndImpliedValues() {
    DataCoordinate full =
        DataCoordinate.ofFull(exposureDetector, "HSC", 10, 903334, "r", "HSC-R", "g1", 20240101);
    assertThat(exposureDetector.dataIdKeys())
        .containsExactly(
            "instrument", "detector", "exposure", "band", "physical_filter", "group", "day_obs");
    DataCoordinate pf = full.subset(u.group("physical_filter"));
    assertThat(pf.required())
        .containsExactly(Map.entry("instrument", "HSC"), Map.entry("physical_filter", "HSC-R"));
    assertThat(pf.hasFull()).isTrue();
    DataCoordinate requiredOnly = DataCoordinate.ofRequired(exposureDetector, "HSC", 10, 903334);
    assertThatThrownBy(() -> requiredOnly.subset(u.group("physical_filter")))
        .isInstanceOf(InvalidDataIdException.class)
        .hasMessageContaining("no value for 'physical_filter'");
    assertThatThrownBy(() -> requiredOnly.value("band"))
        .isInstanceOf(InvalidDataIdException.class)
        .hasMessageContaining("implied");
  }

  /** Seeded round trips: random data IDs survive mapping and string-valued re-standardisation. */
  @Test
  void randomDataIdsRoundTrip() {
    Random random = new Random(20261121L);
    List<DimensionGroup> groups =
        List.of(
            detector,
            exposureDetector,
            u.group("visit", "detector"),
            u.group("tract", "patch", "band"),
            u.group("day_obs"),
            u.group("skymap"));
    for (int i = 0; i < 500; i++) {
      DimensionGroup g = groups.get(random.nextInt(groups.size()));
      List<String> keys = g.dataIdKeys();
      Object[] values = new Object[keys.size()];
      for (int k = 0; k < keys.size(); k++) {
        ColumnSpec pk = u.element(keys.get(k)).primaryKey();
        values[k] =
            pk.type() == ColumnType.INT
                ? random.nextLong(1L << 40) - (1L << 39)
                : Long.toString(random.nextLong(1L << 40), 36);
      }
      DataCoordinate d = DataCoordinate.ofFull(g, values);
      DataCoordinate again = DataCoordinate.standardize(d.full(), g);
      assertThat(again).isEqualTo(d).hasSameHashCodeAs(d).hasToString(d.toString());
      assertThat(again.compareTo(d)).isZero();
      Map<String, Object> asStrings = new LinkedHashMap<>();
      d.required().forEach((k, v) -> asStrings.put(k, v.toString()));
      assertThat(DataCoordinate.standardize(asStrings, g)).isEqualTo(d);
      assertThat(DataCoordinate.standardize(d.required(), u)).isEqualTo(d);
    }
  }
}
