package org.jbutler.datastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionGroup;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** daf_butler's template examples (reference §7), sanitising, validation and hostile values. */
class FileTemplateTest {

  private static final DimensionUniverse U = DimensionUniverse.defaultUniverse();
  private static final UUID ID = UUID.fromString("e15ab039-bc8b-4135-87c5-90902a7c0b22");

  private static DatasetRef ref(String type, String run, Map<String, Object> dataId) {
    DimensionGroup g = U.group(dataId.keySet());
    DataCoordinate d = DataCoordinate.standardize(dataId, g);
    return new DatasetRef(DatasetType.of(type, g, "ExposureF"), d, run, ID);
  }

  private static Map<String, Object> values(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static String format(String template, DatasetRef ref) {
    return FileTemplate.parse(template).format(ref);
  }

  @Test
  void dafButlersExamples() {
    DatasetRef calexp =
        ref(
            "calexp",
            "run2",
            values(
                "instrument",
                "dummy",
                "visit",
                52,
                "physical_filter",
                "Most Amazing U Filter Ever",
                "band",
                "u",
                "day_obs",
                20250807));
    assertThat(format("{run}/{datasetType}/{visit:05d}/{physical_filter}", calexp))
        .isEqualTo("run2/calexp/00052/Most_Amazing_U_Filter_Ever");
    DatasetRef slashed =
        new DatasetRef(calexp.datasetType(), calexp.dataId(), "run/2", calexp.id());
    assertThat(format("{run}/{datasetType}/{visit:05d}", slashed)).isEqualTo("run_2/calexp/00052");
    assertThat(format("{run:/}/{datasetType}/{visit:05d}", slashed))
        .isEqualTo("run/2/calexp/00052");
    DatasetRef withSkypix = ref("calexpT", "run2", values("instrument", "dummy", "htm7", 12345));
    assertThat(
            format("{run}/{datasetType}/v{htm7:05d}_f{physical_filter:?}_{skypix:?}", withSkypix))
        .isEqualTo("run2/calexpT/v12345_12345");
    assertThat(format("{component:?}/{run}_{component:?}_{visit}", calexp)).isEqualTo("run2_52");
    DatasetRef output =
        new DatasetRef(
            calexp.datasetType().makeComponent("output", "ImageF"),
            calexp.dataId(),
            "run2",
            calexp.id());
    assertThat(format("{component:?}/{run}_{component:?}_{visit}", output))
        .isEqualTo("output/run2_output_52");
    DatasetRef group =
        ref("calexp", "run2", values("instrument", "dummy", "group", "2025-08-07>08:25:27.100"));
    assertThat(format("{run}/{datasetType}/{group}", group))
        .isEqualTo("run2/calexp/2025-08-07_08_25_27_100");
    assertThat(format("{run}/{day_obs!s:.4s}/{visit}", calexp)).isEqualTo("run2/2025/52");
    assertThat(format("{run}/{datasetType}/{id}", calexp)).isEqualTo("run2/calexp/" + ID);
  }

  @Test
  void optionalFieldsDropTheirLeadingTextUnlessItHoldsASlash() {
    DatasetRef r = ref("bias", "calib/run", values("instrument", "Cam1", "detector", 3));
    assertThat(
            format(
                "{run:/}/{datasetType}.{component:?}/{band:?}/{datasetType}_{band:?}_{detector}",
                r))
        .isEqualTo("calib/run/bias/bias_3");
  }

  @Test
  void alternativesAndRecordAttributes() {
    Map<String, Object> exposureValues =
        values(
            "instrument",
            "Cam1",
            "id",
            7,
            "obs_id",
            "CAM_2024_07",
            "physical_filter",
            "r",
            "group",
            "g7",
            "day_obs",
            20240101);
    DimensionRecord exposure = DimensionRecord.of(U.element("exposure"), exposureValues);
    DimensionRecord detector =
        DimensionRecord.of(
            U.element("detector"), values("instrument", "Cam1", "id", 1, "full_name", "R00_S11"));
    DataCoordinate minimal =
        DataCoordinate.standardize(
            values(
                "instrument",
                "Cam1",
                "exposure",
                7,
                "detector",
                1,
                "physical_filter",
                "r",
                "band",
                "r",
                "group",
                "g7",
                "day_obs",
                20240101),
            U.group("exposure", "detector"));
    DatasetType raw = DatasetType.of("raw", U.group("exposure", "detector"), "ExposureI");
    DatasetRef plain = new DatasetRef(raw, minimal, "raw/all", ID);
    String t = "{run:/}/{exposure.obs_id|group}/{datasetType}_{detector.full_name:?}_{detector}";
    assertThat(FileTemplate.parse(t).format(plain)).isEqualTo("raw/all/g7/raw_1");
    DatasetRef expanded =
        new DatasetRef(
            raw,
            minimal.expanded(Map.of("exposure", exposure, "detector", detector)),
            "raw/all",
            ID);
    assertThat(FileTemplate.parse(t).format(expanded))
        .isEqualTo("raw/all/CAM_2024_07/raw_R00_S11_1");
    assertThatThrownBy(() -> format("{run}/{exposure.obs_id}/{detector}", plain))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("exposure.obs_id")
        .hasMessageContaining("records");
  }

  @ParameterizedTest
  @ValueSource(strings = {"{id}", "{run}/{id}", "fixed/{id}_{physical_filter}", "{run}/{visit}"})
  void validTemplates(String t) {
    assertThat(FileTemplate.parse(t).toString()).isEqualTo(t);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "no fields at all",
        "{visit}",
        "{run}_{datasetType}",
        "{id}/fixed",
        "{run}/../{datasetType}_{visit}",
        "{collection}/{id}",
        "/abs/{run}/{visit}",
        "{run}/{visit",
        "{run}/{visit:%d}",
        "{run}/{vis it}",
        "{run}/{visit!r}",
      })
  void invalidTemplatesAreRejectedWithTheReason(String t) {
    assertThatThrownBy(() -> FileTemplate.parse(t))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("Invalid file template '" + t + "'");
  }

  /** No data ID value or run name can put a file outside the root or give an odd name. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "..",
        ".",
        "../../etc/passwd",
        "/etc/passwd",
        "a/../../b",
        "..\\..\\windows",
        "x\u0000y",
        "line\nbreak",
        "~root",
        "$(rm -rf)",
        "*?<>|\":",
        "....",
      })
  void hostileValuesStayInsideTheRoot(String hostile) {
    Path root = Path.of("/data/repo").toAbsolutePath();
    DatasetRef viaGroup = ref("raw", "run", values("instrument", "Cam1", "group", hostile));
    DatasetRef viaRun = ref("raw", hostile.isBlank() ? "x" : "ok", values("instrument", "Cam1"));
    for (String t :
        new String[] {
          "{run}/{group}/{datasetType}_{group}", "{run:/}/{group}/{id}", "{group}/{run:/}/{id}"
        }) {
      String path = format(t, viaGroup);
      assertThat(root.resolve(path).normalize()).startsWithRaw(root);
      assertThat(path).doesNotStartWith("/");
      for (String c : path.split("/")) {
        assertThat(c).isNotIn(".", "..", "");
        assertThat(c.chars().allMatch(ch -> ch >= 0x20)).isTrue();
      }
    }
    DatasetRef hostileRun =
        new DatasetRef(
            viaRun.datasetType(), viaRun.dataId(), "ok" + hostile.replace("\u0000", ""), ID);
    String path = format("{run:/}/{instrument}/{id}", hostileRun);
    assertThat(root.resolve(path).normalize()).startsWithRaw(root);
  }

  @Test
  void lookupOrderInstrumentTypeDimensionsStorageClassDefault() {
    FileTemplates t =
        FileTemplates.of(
            Map.of(
                "instrument<HSC>", Map.of("calexp", "hsc/{run}/{visit}"),
                "calexp", "type/{run}/{visit}",
                "visit+physical_filter", "dims/{run}/{visit}",
                "ImageF", "sc/{run}/{visit}",
                "default", "default/{run}/{id}"));
    org.jbutler.schema.StorageClassFactory scs = org.jbutler.schema.StorageClassFactory.defaults();
    Map<String, Object> visit = values("instrument", "Cam1", "visit", 1);
    Map<String, Object> hscVisit = values("instrument", "HSC", "visit", 1);
    assertThat(t.lookup(ref("calexp", "r", hscVisit), scs.storageClass("ExposureF")).toString())
        .isEqualTo("hsc/{run}/{visit}");
    assertThat(t.lookup(ref("calexp", "r", visit), scs.storageClass("ExposureF")).toString())
        .isEqualTo("type/{run}/{visit}");
    assertThat(t.lookup(ref("other", "r", visit), scs.storageClass("ExposureF")).toString())
        .isEqualTo("dims/{run}/{visit}");
    assertThat(
            t.lookup(
                    ref("bkg", "r", values("instrument", "Cam1", "detector", 1)),
                    scs.storageClass("ImageI"))
                .toString())
        .isEqualTo("sc/{run}/{visit}"); // ImageI inherits from ImageF
    assertThat(
            t.lookup(
                    ref("x", "r", values("instrument", "Cam1", "detector", 1)),
                    scs.storageClass("Bytes"))
                .toString())
        .isEqualTo("default/{run}/{id}");
    assertThatThrownBy(() -> FileTemplates.of(Map.of("calexp", "{visit}")))
        .isInstanceOf(InvalidConfigException.class);
  }
}
