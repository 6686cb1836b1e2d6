package org.jbutler.schema.dimensions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.exceptions.InvalidDataIdException;
import org.jbutler.schema.exceptions.InvalidDimensionRecordException;
import org.junit.jupiter.api.Test;

class DimensionRecordTest {

  private final DimensionUniverse u = DimensionUniverse.defaultUniverse();

  @Test
  void detectorRecord() {
    DimensionRecord r =
        DimensionRecord.of(
            u.element("detector"),
            Map.of("instrument", "HSC", "id", 50, "full_name", "1_53", "purpose", "SCIENCE"));
    assertThat(r.value("id")).contains(50L);
    assertThat(r.value("raft")).isEmpty();
    assertThat(r.dataId()).isEqualTo(DataCoordinate.ofRequired(u.group("detector"), "HSC", 50));
    assertThat(r.toMap()).containsOnlyKeys("instrument", "id", "full_name", "purpose");
    assertThat(r).isEqualTo(DimensionRecord.of(u.element("detector"), r.toMap()));
  }

  @Test
  void exposureRecordCarriesImpliedValuesAndTimespan() {
    Timespan t = Timespan.of(1_000_000_000_000L, 1_000_030_000_000L);
    Map<String, Object> fields = new HashMap<>();
    fields.put("instrument", "HSC");
    fields.put("id", 903334);
    fields.put("obs_id", "HSCA90333400");
    fields.put("physical_filter", "HSC-R");
    fields.put("group", "g1");
    fields.put("day_obs", 20240101);
    fields.put("exposure_time", 30);
    fields.put("timespan", t);
    DimensionRecord r = DimensionRecord.of(u.element("exposure"), fields);
    assertThat(r.timespan()).contains(t);
    assertThat(r.value("exposure_time")).contains(30.0);
    // band is implied through physical_filter and is not an exposure field, so not full.
    assertThat(r.dataId().hasFull()).isFalse();
    assertThat(r.dataId().required())
        .containsExactly(Map.entry("instrument", "HSC"), Map.entry("exposure", 903334L));
  }

  @Test
  void expandingADataIdFillsImpliedValuesFromRecords() {
    DimensionRecord pf =
        DimensionRecord.of(
            u.element("physical_filter"),
            Map.of("instrument", "HSC", "name", "HSC-R", "band", "r"));
    DataCoordinate d = DataCoordinate.ofRequired(u.group("physical_filter"), "HSC", "HSC-R");
    DataCoordinate e = d.expanded(Map.of("physical_filter", pf));
    assertThat(e.hasFull()).isTrue();
    assertThat(e.hasRecords()).isTrue();
    assertThat(e.value("band")).isEqualTo("r");
    assertThat(e.record("physical_filter")).contains(pf);
    DataCoordinate other = DataCoordinate.ofRequired(u.group("physical_filter"), "HSC", "HSC-I");
    assertThatThrownBy(() -> other.expanded(Map.of("physical_filter", pf)))
        .isInstanceOf(InvalidDataIdException.class)
        .hasMessageContaining("physical_filter='HSC-R'");
  }

  @Test
  void badRecordsAreRejected() {
    assertThatThrownBy(
            () ->
                DimensionRecord.of(u.element("patch"), Map.of("skymap", "s", "tract", 1, "id", 2)))
        .isInstanceOf(InvalidDimensionRecordException.class)
        .hasMessageContaining("needs a value for 'cell_x'");
    assertThatThrownBy(
            () ->
                DimensionRecord.of(
                    u.element("detector"), Map.of("instrument", "HSC", "id", 1, "colour", "red")))
        .isInstanceOf(InvalidDimensionRecordException.class)
        .hasMessageContaining("no field 'colour'")
        .hasMessageContaining("full_name");
    assertThatThrownBy(
            () ->
                DimensionRecord.of(u.element("detector"), Map.of("instrument", "HSC", "id", "one")))
        .isInstanceOf(InvalidDimensionRecordException.class)
        .hasMessageContaining("not an integer");
    assertThatThrownBy(
            () ->
                DimensionRecord.of(
                    u.element("detector"),
                    Map.of("instrument", "HSC", "id", 1, "timespan", Timespan.unbounded())))
        .isInstanceOf(InvalidDimensionRecordException.class)
        .hasMessageContaining("no field 'timespan'");
    assertThatThrownBy(
            () ->
                DimensionRecord.of(
                    u.element("visit"), Map.of("instrument", "HSC", "id", 1, "timespan", "today")))
        .isInstanceOf(InvalidDimensionRecordException.class)
        .hasMessageContaining("must be a Timespan");
  }
}
