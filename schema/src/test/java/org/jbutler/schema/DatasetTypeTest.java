package org.jbutler.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.UUID;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.DatasetTypeException;
import org.jbutler.schema.exceptions.InvalidNameException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatasetTypeTest {

  private final DimensionUniverse u = DimensionUniverse.defaultUniverse();
  private final StorageClassFactory sc = StorageClassFactory.defaults();

  @ParameterizedTest
  @ValueSource(strings = {"calexp", "_x", "deepCoadd_calexp", "calexp.wcs", "a1.b2"})
  void validNames(String name) {
    assertThat(
            DatasetType.of(
                    name.replace(".wcs", "").replace(".b2", ""), u.group("visit"), "ExposureF")
                .name())
        .isNotEmpty();
    DatasetType.checkName(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "1abc", "a..b", "a-b", "a.", ".a", "has space", "naïve"})
  void invalidNames(String name) {
    assertThatThrownBy(() -> DatasetType.of(name, u.group("visit"), "ExposureF"))
        .isInstanceOf(DatasetTypeException.class)
        .hasMessageContaining("Invalid dataset type name '" + name + "'");
  }

  @Test
  void tooLongNameIsRejected() {
    assertThatThrownBy(() -> DatasetType.of("a".repeat(129), u.group("visit"), "ExposureF"))
        .isInstanceOf(DatasetTypeException.class)
        .hasMessageContaining("the limit is 128");
  }

  @Test
  void dimensionsAreConformed() {
    DatasetType a =
        DatasetType.of("flat", u.group("instrument", "detector", "physical_filter"), "ExposureF");
    DatasetType b =
        DatasetType.of("flat", u.group("detector", "physical_filter", "band"), "ExposureF");
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.dimensions().implied()).containsExactly("band");
  }

  @Test
  void components() {
    DatasetType calexp = DatasetType.of("calexp", u.group("visit", "detector"), "ExposureF");
    DatasetType image = calexp.makeComponent("image", "ImageF");
    assertThat(image.name()).isEqualTo("calexp.image");
    assertThat(image.isComponent()).isTrue();
    assertThat(image.parentName()).isEqualTo("calexp");
    assertThat(image.component()).contains("image");
    assertThat(image.parentStorageClass()).contains("ExposureF");
    assertThatThrownBy(() -> image.makeComponent("x", "ImageF"))
        .isInstanceOf(DatasetTypeException.class)
        .hasMessageContaining("already a component");
    assertThatThrownBy(() -> DatasetType.of("calexp.image", u.group("visit"), "ImageF"))
        .isInstanceOf(DatasetTypeException.class)
        .hasMessageContaining("parent's storage class");
  }

  @Test
  void compatibility() {
    DatasetType a = DatasetType.of("src", u.group("visit", "detector"), "ArrowTable");
    assertThat(a.isCompatibleWith(DatasetType.of("src", a.dimensions(), "ArrowAstropy"), sc))
        .isTrue();
    assertThat(a.isCompatibleWith(DatasetType.of("src", a.dimensions(), "ExposureF"), sc))
        .isFalse();
    assertThat(a.isCompatibleWith(DatasetType.of("src", u.group("visit"), "ArrowTable"), sc))
        .isFalse();
    assertThat(a.isCompatibleWith(DatasetType.calibration("src", a.dimensions(), "ArrowTable"), sc))
        .isFalse();
    assertThat(a)
        .hasToString(
            "DatasetType('src', {instrument, band, physical_filter, detector, day_obs, visit}, ArrowTable)");
  }

  @Test
  void refsCheckTheirDataIdAgainstTheType() {
    DatasetType bias = DatasetType.calibration("bias", u.group("detector"), "ExposureF");
    DataCoordinate wrong = DataCoordinate.ofRequired(u.group("visit"), "HSC", 1);
    assertThatThrownBy(() -> new DatasetRef(bias, wrong, "run", UUID.randomUUID()))
        .isInstanceOf(DatasetTypeException.class)
        .hasMessageContaining("dataset type 'bias'");
    DataCoordinate det = DataCoordinate.ofRequired(u.group("detector"), "HSC", 1);
    assertThatThrownBy(() -> new DatasetRef(bias, det, "r".repeat(65), UUID.randomUUID()))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageContaining("1-64 characters");
    DatasetRef ref =
        DatasetRef.create(bias, det, "calib/run", DatasetIdGenerationMode.DATAID_TYPE_RUN);
    assertThat(ref.makeComponentRef("image", "ImageF").id()).isEqualTo(ref.id());
    assertThat(ref.toString())
        .startsWith("bias@{instrument: 'HSC', detector: 1} [sc=ExposureF] (run=calib/run id=");
  }
}
