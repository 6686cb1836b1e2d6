package org.jbutler.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.junit.jupiter.api.Test;

class DatasetIdsTest {

  private final DimensionUniverse u = DimensionUniverse.defaultUniverse();
  private final DatasetType bias =
      DatasetType.calibration("bias", u.group("detector"), "ExposureF");
  private final DataCoordinate cam1det1 = DataCoordinate.ofRequired(u.group("detector"), "Cam1", 1);

  @Test
  void deterministicIdsMatchDafButler() {
    assertThat(DatasetIds.keyString("bias", null, cam1det1))
        .isEqualTo("dataset_type=bias,detector=1,instrument=Cam1");
    assertThat(DatasetIds.generate(DatasetIdGenerationMode.DATAID_TYPE, bias, cam1det1, "run1"))
        .isEqualTo(UUID.fromString("4fa35c72-f4a9-5106-8947-b65ef4096e96"));
    assertThat(DatasetIds.generate(DatasetIdGenerationMode.DATAID_TYPE_RUN, bias, cam1det1, "run2"))
        .isEqualTo(UUID.fromString("7197c6ed-8607-586b-80d4-88b78f6dec0e"));
    // DATAID_TYPE ignores the run; DATAID_TYPE_RUN does not.
    assertThat(DatasetIds.generate(DatasetIdGenerationMode.DATAID_TYPE, bias, cam1det1, "other"))
        .isEqualTo(UUID.fromString("4fa35c72-f4a9-5106-8947-b65ef4096e96"));
  }

  @Test
  void deterministicIdsUseOnlyRequiredValuesSortedByName() {
    DatasetType raw = DatasetType.of("raw", u.group("exposure", "detector"), "ExposureI");
    DataCoordinate full =
        DataCoordinate.ofFull(raw.dimensions(), "HSC", 50, 903334, "r", "HSC-R", "g", 20240101);
    // Computed independently: uuid5(NAMESPACE, "dataset_type=raw,run=HSC/raw/all,detector=50,...").
    assertThat(
            DatasetIds.generate(DatasetIdGenerationMode.DATAID_TYPE_RUN, raw, full, "HSC/raw/all"))
        .isEqualTo(UUID.fromString("f351d49a-e376-5394-a3d5-7e66fcf5abbb"));
  }

  @Test
  void legacyIntegerIdsMatchDafButler() {
    assertThat(DatasetIds.fromLegacyInteger(1))
        .isEqualTo(UUID.fromString("ea5885c8-83d3-3690-a393-564db6597adf"));
    assertThat(DatasetIds.fromLegacyInteger(123456))
        .isEqualTo(UUID.fromString("c5cccc38-4965-375c-a5fe-ed2f2d5f8e64"));
  }

  @Test
  void uniqueIdsAreVersion7AndTimeOrdered() {
    SplittableRandom r = new SplittableRandom(7);
    UUID early = DatasetIds.uuid7(1_700_000_000_000L, r);
    UUID late = DatasetIds.uuid7(1_700_000_000_001L, r);
    assertThat(early.version()).isEqualTo(7);
    assertThat(early.variant()).isEqualTo(2);
    assertThat(early.getMostSignificantBits() >>> 16).isEqualTo(1_700_000_000_000L);
    assertThat(Long.compareUnsigned(early.getMostSignificantBits(), late.getMostSignificantBits()))
        .isNegative();
    Set<UUID> seen = new HashSet<>();
    for (int i = 0; i < 100_000; i++) {
      assertThat(seen.add(DatasetIds.newUnique())).isTrue();
    }
    long now = System.currentTimeMillis();
    assertThat(DatasetIds.newUnique().getMostSignificantBits() >>> 16)
        .isBetween(now - 60_000, now + 60_000);
  }
}
