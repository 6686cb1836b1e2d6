package org.jbutler.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jbutler.schema.exceptions.DatasetTypeException;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.junit.jupiter.api.Test;

class StorageClassFactoryTest {

  private final StorageClassFactory defaults = StorageClassFactory.defaults();

  @Test
  void defaultsCoverTheKindsOfDataWeStore() {
    assertThat(defaults.all())
        .containsKeys(
            "ImageF",
            "ImageI",
            "ImageD",
            "ExposureF",
            "ExposureI",
            "ArrowTable",
            "StructuredDataDict",
            "StructuredDataList",
            "TaskMetadata",
            "Config",
            "ButlerLogRecords",
            "Packages",
            "Bytes");
    StorageClass exposure = defaults.storageClass("ExposureF");
    assertThat(exposure.isComposite()).isTrue();
    assertThat(exposure.components()).containsOnlyKeys("image", "mask", "variance", "metadata");
    assertThat(exposure.componentStorageClass("bbox")).contains("Box");
    assertThat(exposure.parameters()).containsExactly("bbox");
    StorageClass exposureI = defaults.storageClass("ExposureI");
    assertThat(exposureI.parents()).containsExactly("ExposureF");
    assertThat(exposureI.components())
        .containsEntry("image", "ImageI")
        .containsEntry("mask", "MaskX");
    assertThat(defaults.storageClass("ArrowAstropy").parameters()).containsExactly("columns");
  }

  @Test
  void readsDafButlerStyleDefinitions() {
    StorageClassFactory f =
        defaults.withYaml(
            "storageClasses:\n"
                + "  StructuredDataNoComponents: dict\n"
                + "  Thing:\n    pytype: lsst.x.Thing\n    parameters: [a, b]\n"
                + "  SubThing:\n    inheritsFrom: Thing\n    parameters: [c]\n"
                + "    delegate: lsst.x.Delegate\n    converters: {numpy.ndarray: lsst.x.convert}\n");
    assertThat(f.storageClass("StructuredDataNoComponents").javaType()).isEqualTo("dict");
    assertThat(f.storageClass("SubThing").parameters()).containsExactly("a", "b", "c");
    assertThat(f.storageClass("SubThing").pythonType()).isEqualTo("lsst.x.Thing");
    assertThat(f.storageClass("SubThing").canConvertTo(f.storageClass("Thing"), f)).isTrue();
    assertThat(f.contains("ExposureF")).isTrue();
  }

  @Test
  void badConfigsNameTheStorageClass() {
    assertThatThrownBy(() -> defaults.withYaml("storageClasses:\n  A:\n    inheritsFrom: Nope\n"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("'A' inherits from unknown storage class 'Nope'");
    assertThatThrownBy(
            () ->
                defaults.withYaml(
                    "storageClasses:\n  A:\n    inheritsFrom: B\n  B:\n    inheritsFrom: A\n"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("cycle");
    assertThatThrownBy(
            () ->
                defaults.withYaml(
                    "storageClasses:\n  A:\n    javaType: x.A\n    components: {p: Q}\n"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("'A' component 'p' has unknown storage class 'Q'");
    assertThatThrownBy(() -> defaults.withYaml("storageClasses:\n  A:\n    javatype: x.A\n"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("unknown key 'javatype'")
        .hasMessageContaining("javaType");
    assertThatThrownBy(() -> defaults.withYaml("storageClasses:\n  A:\n    parameters: [x]\n"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("needs a 'javaType'");
    assertThatThrownBy(() -> defaults.withYaml("classes: {}\n"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("'storageClasses'");
    assertThatThrownBy(() -> defaults.storageClass("ExposureFF"))
        .isInstanceOf(DatasetTypeException.class)
        .hasMessageContaining("Did you mean 'ExposureF'?");
  }
}
