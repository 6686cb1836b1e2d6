package org.jbutler.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.Times;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.InvalidQueryException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Queries against a small repository, with exact expected results, on every backend: Cam1 with 4
 * detectors and 3 filters, 4 exposures with timespans on two nights, two visits (exposures 1, 2),
 * bias and flat in two runs and a chain, raws, and a CALIBRATION collection.
 */
abstract class QueryContractTest {

  abstract String newDatabaseUrl() throws Exception;

  private static final long SECOND = 1_000_000_000L;
  private static final long HOUR = 3_600 * SECOND;
  private static final long T0 = Times.parseLiteral("2024-01-01T00:00:00");

  private final DimensionUniverse u = DimensionUniverse.defaultUniverse();
  private Registry registry;
  private final Map<String, DatasetRef> refs = new HashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    registry = Registries.create(newDatabaseUrl(), u);
    populate();
  }

  @AfterEach
  void tearDown() {
    if (registry != null) {
      registry.close();
    }
  }

  private void insert(String element, Map<String, ?>... rows) {
    List<DimensionRecord> records = new ArrayList<>();
    for (Map<String, ?> r : rows) {
      records.add(DimensionRecord.of(u.element(element), r));
    }
    registry.insertDimensionRecords(element, records);
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      if (kv[i + 1] != null) {
        m.put((String) kv[i], kv[i + 1]);
      }
    }
    return m;
  }

  private Map<String, Object> exposure(
      int id, String filter, int dayObs, long begin, double seconds, Boolean sky, String type) {
    return map(
        "instrument",
        "Cam1",
        "id",
        id,
        "obs_id",
        "E" + id,
        "physical_filter",
        filter,
        "group",
        "g" + id,
        "day_obs",
        dayObs,
        "exposure_time",
        seconds,
        "observation_type",
        type,
        "can_see_sky",
        sky,
        "timespan",
        Timespan.of(begin, begin + (long) (seconds * SECOND)),
        "target_name",
        id == 1 ? "M31" : null);
  }

  private static Map<String, Object> visit(int id, String filter, Timespan when) {
    return map(
        "instrument",
        "Cam1",
        "id",
        id,
        "name",
        "v" + id,
        "physical_filter",
        filter,
        "day_obs",
        20240101,
        "timespan",
        when);
  }

  @SuppressWarnings("unchecked")
  private void populate() {
    insert("instrument", map("name", "Cam1"), map("name", "Cam2"));
    String[] names = {"Aa", "Ab", "Ba", "Bb"};
    for (int d = 1; d <= 4; d++) {
      insert(
          "detector",
          map(
              "instrument",
              "Cam1",
              "id",
              d,
              "full_name",
              names[d - 1],
              "raft",
              names[d - 1].substring(0, 1),
              "purpose",
              d == 4 ? "WAVEFRONT" : "SCIENCE"));
    }
    insert("detector", map("instrument", "Cam2", "id", 1, "full_name", "X"));
    insert(
        "physical_filter",
        map("instrument", "Cam1", "name", "Cam1-G", "band", "g"),
        map("instrument", "Cam1", "name", "Cam1-R1", "band", "r"),
        map("instrument", "Cam1", "name", "Cam1-R2", "band", "r"));
    insert(
        "day_obs",
        map("instrument", "Cam1", "id", 20240101, "timespan", Timespan.of(T0, T0 + 24 * HOUR)),
        map(
            "instrument",
            "Cam1",
            "id",
            20240102,
            "timespan",
            Timespan.of(T0 + 24 * HOUR, T0 + 48 * HOUR)));
    for (int g = 1; g <= 4; g++) {
      insert("group", map("instrument", "Cam1", "name", "g" + g));
    }
    insert(
        "exposure",
        exposure(1, "Cam1-G", 20240101, T0, 30, true, "science"),
        exposure(2, "Cam1-R1", 20240101, T0 + HOUR, 60, true, "science"),
        exposure(3, "Cam1-R2", 20240101, T0 + 2 * HOUR, 15, false, "bias"),
        exposure(4, "Cam1-G", 20240102, T0 + 25 * HOUR, 30, null, "science"));
    insert(
        "visit",
        visit(10, "Cam1-G", Timespan.of(T0, T0 + 30 * SECOND)),
        visit(11, "Cam1-R1", Timespan.of(T0 + HOUR, T0 + HOUR + 60 * SECOND)));
    insert(
        "visit_definition",
        map("instrument", "Cam1", "visit", 10, "exposure", 1),
        map("instrument", "Cam1", "visit", 11, "exposure", 2));

    registry.registerDatasetType(DatasetType.calibration("bias", u.group("detector"), "ExposureF"));
    registry.registerDatasetType(
        DatasetType.calibration("flat", u.group("detector", "physical_filter"), "ExposureF"));
    registry.registerDatasetType(
        DatasetType.of("raw", u.group("exposure", "detector"), "ExposureI"));
    registry.registerCollection("imported_g", CollectionType.RUN, null);
    registry.registerCollection("imported_r", CollectionType.RUN, null);
    registry.registerCollection("raw/all", CollectionType.RUN, null);
    registry.registerCollection("calibs_chain", CollectionType.CHAINED, null);
    registry.setChain("calibs_chain", List.of("imported_r", "imported_g"));
    registry.registerCollection("calib", CollectionType.CALIBRATION, null);
    registry.registerCollection("empty", CollectionType.TAGGED, null);
    for (int d = 1; d <= 3; d++) {
      put("bias", "imported_g", d, "g", map("detector", d));
      put("flat", "imported_g", d, "g", map("detector", d, "physical_filter", "Cam1-G"));
    }
    for (int d = 2; d <= 4; d++) {
      put("bias", "imported_r", d, "r", map("detector", d));
      put("flat", "imported_r", d, "r1", map("detector", d, "physical_filter", "Cam1-R1"));
      put("flat", "imported_r", d, "r2", map("detector", d, "physical_filter", "Cam1-R2"));
    }
    for (int e = 1; e <= 4; e++) {
      for (int d = 1; d <= 4; d++) {
        put("raw", "raw/all", d, "e" + e, map("exposure", e, "detector", d));
      }
    }
    List<DatasetRef> early = new ArrayList<>();
    List<DatasetRef> late = new ArrayList<>();
    for (int d = 1; d <= 3; d++) {
      early.add(refs.get("bias/g/" + d));
    }
    for (int d = 2; d <= 4; d++) {
      late.add(refs.get("bias/r/" + d));
    }
    registry.certify("calib", early, Timespan.of(T0 - 24 * HOUR, T0 + 3 * HOUR / 2));
    registry.certify("calib", late, Timespan.from(T0 + 3 * HOUR / 2));
  }

  private void put(String type, String run, int detector, String tag, Map<String, Object> dataId) {
    Map<String, Object> full = new LinkedHashMap<>(dataId);
    full.put("instrument", "Cam1");
    DataCoordinate d = DataCoordinate.standardize(full, registry.datasetType(type).dimensions());
    DatasetRef ref =
        registry.insertDatasets(type, List.of(d), run, DatasetIdGenerationMode.UNIQUE).get(0);
    refs.put(type + "/" + tag + "/" + detector, ref);
  }

  private List<Long> detectors(String where) {
    return detectors(DataQuery.where(where));
  }

  private List<Long> detectors(DataQuery q) {
    return registry.queryDataIds(u.group("detector"), List.of(), List.of(), q).stream()
        .map(d -> (Long) d.value("detector"))
        .sorted()
        .toList();
  }

  private List<Long> exposures(String where) {
    return registry
        .queryDataIds(u.group("exposure"), List.of(), List.of(), DataQuery.where(where))
        .stream()
        .map(d -> (Long) d.value("exposure"))
        .sorted()
        .toList();
  }

  private Set<DatasetRef> datasets(
      String type, List<String> collections, String where, boolean ff) {
    return Set.copyOf(
        registry
            .queryDatasets(
                type,
                collections,
                ff ? DataQuery.where(where).withFindFirst() : DataQuery.where(where))
            .toList());
  }

  private Set<DatasetRef> refs(String... keys) {
    List<DatasetRef> out = new ArrayList<>();
    for (String k : keys) {
      out.add(refs.get(k));
    }
    return Set.copyOf(out);
  }

  @Test
  void findFirstTakesTheFirstCollectionPerDataIdFindAllTakesEvery() {
    assertThat(datasets("bias", List.of("calibs_chain"), "", true))
        .isEqualTo(refs("bias/g/1", "bias/r/2", "bias/r/3", "bias/r/4"));
    assertThat(datasets("bias", List.of("imported_g", "imported_r"), "", true))
        .isEqualTo(refs("bias/g/1", "bias/g/2", "bias/g/3", "bias/r/4"));
    assertThat(datasets("bias", List.of("calibs_chain"), "", false))
        .isEqualTo(refs("bias/g/1", "bias/g/2", "bias/g/3", "bias/r/2", "bias/r/3", "bias/r/4"));
    assertThat(datasets("bias", List.of("imported_*"), "", false)).hasSize(6);
    assertThatThrownBy(() -> datasets("bias", List.of("imported_*"), "", true))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("ordered list of collection names");
    assertThat(datasets("*", List.of("imported_g"), "detector = 1 AND instrument = 'Cam1'", true))
        .isEqualTo(refs("bias/g/1", "flat/g/1"));
  }

  @Test
  void orderAndLimit() {
    DataQuery q = DataQuery.where("instrument = 'Cam1'").withOrderBy("-detector").withLimit(2);
    List<Object> got =
        registry.queryDataIds(u.group("detector"), List.of(), List.of(), q).stream()
            .map(d -> d.value("detector"))
            .toList();
    assertThat(got).containsExactly(4L, 3L);
    List<Object> capped =
        registry
            .queryDataIds(
                u.group("detector"), List.of(), List.of(), q.withOrderBy("full_name").withLimit(-3))
            .stream()
            .map(d -> d.value("detector"))
            .toList();
    assertThat(capped).containsExactly(1L, 2L, 3L);
    List<Object> byTime =
        registry
            .queryDataIds(
                u.group("exposure"),
                List.of(),
                List.of(),
                DataQuery.where("instrument = 'Cam1'")
                    .withOrderBy("-exposure.exposure_time", "exposure"))
            .stream()
            .map(d -> d.value("exposure"))
            .toList();
    assertThat(byTime).containsExactly(2L, 1L, 4L, 3L);
    List<DatasetRef> ordered =
        registry
            .queryDatasets(
                "bias",
                List.of("calibs_chain"),
                DataQuery.where("instrument = 'Cam1'")
                    .withOrderBy("-detector")
                    .withLimit(2)
                    .withFindFirst())
            .toList();
    assertThat(ordered).containsExactly(refs.get("bias/r/4"), refs.get("bias/r/3"));
  }

  @Test
  void rangesBindsAndInLists() {
    assertThat(detectors("instrument = 'Cam1' AND detector IN (1..4:2)")).containsExactly(1L, 3L);
    assertThat(detectors("instrument = 'Cam1' AND detector NOT IN (2..3)")).containsExactly(1L, 4L);
    assertThat(detectors("instrument = 'Cam1' AND detector IN (4, 1..1)")).containsExactly(1L, 4L);
    assertThat(
            detectors(
                DataQuery.where("instrument = :i AND detector IN (:dets)")
                    .withBind(Map.of("i", "Cam1", "dets", List.of(2, 4)))))
        .containsExactly(2L, 4L);
    // A dimension name wins over a bind of the same name; a bare bind name still works.
    assertThat(
            detectors(
                DataQuery.where("instrument = :instrument AND detector IN (4)")
                    .withBind(Map.of("instrument", "Cam1"))))
        .containsExactly(4L);
    assertThat(
            detectors(
                DataQuery.where("instrument = 'Cam1' AND detector = det")
                    .withBind(Map.of("det", 3))))
        .containsExactly(3L);
    assertThat(
            detectors(
                DataQuery.where("instrument = 'Cam1' AND detector.raft = :R")
                    .withBind(Map.of("R", "B"))))
        .containsExactly(3L, 4L);
    assertThat(detectors("instrument = 'Cam1' AND NOT (detector != 2)")).containsExactly(2L);
    assertThat(
            exposures("instrument = 'Cam1' AND exposure.exposure_time > 20 AND exposure % 2 = 0"))
        .containsExactly(2L, 4L);
    assertThatThrownBy(() -> detectors("instrument = 'Cam1' AND detector IN (:missing)"))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("no value for bind ':missing'");
  }

  @Test
  void globNullAndBooleans() {
    assertThat(detectors("instrument = 'Cam1' AND GLOB(full_name, 'A?')")).containsExactly(1L, 2L);
    assertThat(detectors("instrument = 'Cam1' AND GLOB(full_name, 'A[ab]')")).isEmpty();
    assertThat(detectors("instrument = 'Cam1' AND GLOB(purpose, '*EN?E')"))
        .containsExactly(1L, 2L, 3L);
    assertThat(detectors("instrument = 'Cam1' AND GLOB(full_name, 'a?')")).isEmpty();
    assertThat(detectors("GLOB(instrument, '?a*1') AND GLOB(full_name, '*')")).hasSize(4);
    assertThatThrownBy(() -> detectors("instrument = 'Cam1' AND GLOB(detector, '*')"))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("string column");
    assertThat(exposures("instrument = 'Cam1' AND exposure.target_name = NULL"))
        .containsExactly(2L, 3L, 4L);
    assertThat(exposures("instrument = 'Cam1' AND exposure.target_name != NULL"))
        .containsExactly(1L);
    assertThat(exposures("instrument = 'Cam1' AND exposure.can_see_sky")).containsExactly(1L, 2L);
    assertThat(exposures("instrument = 'Cam1' AND NOT exposure.can_see_sky")).containsExactly(3L);
  }

  @Test
  void timeComparisonsAndOverlaps() {
    assertThat(
            exposures("instrument = 'Cam1' AND exposure.timespan.begin > T'2024-01-01T00:30:00'"))
        .containsExactly(2L, 3L, 4L);
    assertThat(
            exposures(
                "instrument = 'Cam1' AND exposure.timespan OVERLAPS"
                    + " (T'2024-01-01T00:59:00', T'2024-01-01T01:00:30')"))
        .containsExactly(2L);
    assertThat(
            exposures("instrument = 'Cam1' AND exposure.timespan OVERLAPS T'2024-01-01T00:00:30'"))
        .isEmpty(); // the end is exclusive
    assertThat(
            exposures("instrument = 'Cam1' AND exposure.timespan OVERLAPS T'2024-01-01T00:00:00'"))
        .containsExactly(1L);
    assertThat(
            exposures("instrument = 'Cam1' AND exposure.timespan OVERLAPS (T'2024-01-02', NULL)"))
        .containsExactly(4L);
    assertThat(
            registry
                .queryDataIds(
                    u.group("exposure"),
                    List.of(),
                    List.of(),
                    DataQuery.where("instrument = 'Cam1' AND exposure.timespan OVERLAPS :t")
                        .withBind(Map.of("t", Timespan.of(T0 + 2 * HOUR, T0 + 3 * HOUR))))
                .stream()
                .map(d -> d.value("exposure"))
                .toList())
        .containsExactly(3L);
    assertThatThrownBy(() -> exposures("instrument = 'Cam1' AND exposure.timespan > T'2024-01-01'"))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("OVERLAPS");
  }

  @Test
  void datasetFieldPredicates() {
    DatasetRef g2 = refs.get("bias/g/2");
    assertThat(
            datasets(
                "bias",
                List.of("calibs_chain"),
                "bias.dataset_id = UUID('" + g2.id() + "')",
                false))
        .containsExactly(g2);
    assertThat(datasets("bias", List.of("calibs_chain"), "run = 'imported_g'", false))
        .isEqualTo(refs("bias/g/1", "bias/g/2", "bias/g/3"));
    assertThat(datasets("bias", List.of("calibs_chain"), "collection = 'imported_r'", false))
        .isEqualTo(refs("bias/r/2", "bias/r/3", "bias/r/4"));
    assertThat(datasets("bias", List.of("calibs_chain"), "ingest_date > T'2000-01-01'", false))
        .hasSize(6);
    assertThat(
            datasets(
                "bias",
                List.of("calibs_chain"),
                "(T'2000-01-01', T'2099-01-01') OVERLAPS ingest_date",
                false))
        .hasSize(6);
    assertThat(
            registry
                .queryDatasets(
                    "bias",
                    List.of("calibs_chain"),
                    DataQuery.where("dataset_id = :id").withBind(Map.of("id", g2.id())))
                .toList())
        .containsExactly(g2);
  }

  @Test
  void aRecordFieldAloneNeedsNoGovernor() {
    // Cam1's detectors 1-3 are SCIENCE; Cam2's detector has no purpose.
    assertThat(detectors("detector.purpose = 'SCIENCE'")).containsExactly(1L, 2L, 3L);
    assertThat(
            registry
                .queryDimensionRecords("detector", DataQuery.where("purpose = 'WAVEFRONT'"))
                .toList())
        .extracting(r -> r.value("instrument").orElseThrow())
        .containsExactly("Cam1");
  }

  @Test
  void anUnknownOrderByTermIsNamedWithoutQuotingTheExpression() {
    assertThatThrownBy(
            () ->
                registry
                    .queryDataIds(
                        u.group("detector"),
                        List.of(),
                        List.of(),
                        DataQuery.all().withOrderBy("detektor"))
                    .toList())
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageStartingWith("Cannot order by 'detektor': unrecognized identifier 'detektor'")
        .hasMessageContaining("Did you mean 'detector'")
        .hasMessageNotContaining("expression \"\"");
  }

  @Test
  void aListBindWithoutAColonWorksInAnInList() {
    assertThat(
            detectors(
                DataQuery.where("instrument = 'Cam1' AND detector IN (dets)")
                    .withBind(Map.of("dets", List.of(1, 3)))))
        .containsExactly(1L, 3L);
  }

  @Test
  void bandRecordsAreListedFromThePhysicalFilters() {
    assertThat(registry.queryDimensionRecords("band", DataQuery.all()).toList())
        .extracting(r -> r.value("name").orElseThrow())
        .containsExactly("g", "r");
    assertThat(
            registry
                .queryDimensionRecords(
                    "band", DataQuery.where("instrument = 'Cam1' AND band = 'r'"))
                .count())
        .isEqualTo(1);
  }

  @Test
  void governorRuleDefaultsAndUnknownNames() {
    assertThatThrownBy(() -> detectors("detector = 2"))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("'detector', whose values depend on 'instrument'")
        .hasMessageContaining("instrument='...'");
    assertThat(
            detectors(DataQuery.where("detector = 2").withDefaults(Map.of("instrument", "Cam1"))))
        .containsExactly(2L);
    assertThat(detectors(DataQuery.where("detector = 1").withDataId(Map.of("instrument", "Cam2"))))
        .containsExactly(1L);
    // A default governor is not applied when the expression constrains it itself.
    assertThat(
            registry
                .queryDataIds(
                    u.group("detector"),
                    List.of(),
                    List.of(),
                    DataQuery.where("instrument = 'Cam2'")
                        .withDefaults(Map.of("instrument", "Cam1")))
                .toList())
        .containsExactly(DataCoordinate.ofRequired(u.group("detector"), "Cam2", 1));
    assertThatThrownBy(() -> detectors("instrument = 'Cam1' AND detektor = 1"))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("unrecognized identifier 'detektor'")
        .hasMessageContaining("Did you mean 'detector'");
    assertThatThrownBy(() -> detectors("instrument = 'Cam1' AND detector.colour = 1"))
        .hasMessageContaining("element 'detector' has no field 'colour'");
    assertThatThrownBy(() -> detectors("instrument = 'Cam1' AND detector = 'one'"))
        .hasMessageContaining("cannot compare");
    // Unqualified fields are fine when unique among the query's elements.
    assertThat(exposures("instrument = 'Cam1' AND exposure_time > 20")).containsExactly(1L, 2L, 4L);
    assertThatThrownBy(
            () ->
                registry
                    .queryDataIds(
                        u.group("exposure", "visit"),
                        List.of(),
                        List.of(),
                        DataQuery.where("instrument = 'Cam1' AND exposure_time > 1"))
                    .toList())
        .hasMessageContaining("ambiguous identifier 'exposure_time'");
    assertThatThrownBy(
            () ->
                detectors(
                    "instrument = 'Cam1' AND (detector = 1 OR visit_detector_region.region"
                        + " OVERLAPS POINT(1, 2))"))
        .hasMessageContaining("cannot sit inside OR or NOT");
  }

  @Test
  void calibrationCollectionsAreMatchedByTheExposureTimespan() {
    // Exposures 1 and 2 lie in the early validity range: one bias per detector.
    QueryResult<DatasetRef> early =
        registry.queryDatasets(
            "bias",
            List.of("calib"),
            DataQuery.where("instrument = 'Cam1' AND exposure IN (1, 2)").withFindFirst());
    assertThat(Set.copyOf(early.toList())).isEqualTo(refs("bias/g/1", "bias/g/2", "bias/g/3"));
    assertThat(early.count()).isEqualTo(3);
    // Without find-first, every certified bias matched by some exposure.
    assertThat(
            datasets("bias", List.of("calib"), "instrument = 'Cam1' AND exposure IN (1, 3)", false))
        .isEqualTo(refs("bias/g/1", "bias/g/2", "bias/g/3", "bias/r/2", "bias/r/3", "bias/r/4"));
    assertThat(datasets("bias", List.of("calib"), "instrument = 'Cam1' AND exposure = 1", true))
        .isEqualTo(refs("bias/g/1", "bias/g/2", "bias/g/3"));
    assertThat(datasets("bias", List.of("calib"), "instrument = 'Cam1' AND exposure = 4", true))
        .isEqualTo(refs("bias/r/2", "bias/r/3", "bias/r/4"));
    List<DataCoordinate> ids =
        registry
            .queryDataIds(
                u.group("exposure", "detector"),
                List.of("bias"),
                List.of("calib"),
                DataQuery.where("instrument = 'Cam1'"))
            .toList();
    Map<Long, List<Long>> byExposure = new java.util.TreeMap<>();
    for (DataCoordinate d : ids) {
      byExposure
          .computeIfAbsent((Long) d.value("exposure"), k -> new ArrayList<>())
          .add((Long) d.value("detector"));
    }
    byExposure.values().forEach(l -> l.sort(null));
    assertThat(byExposure)
        .isEqualTo(
            Map.of(
                1L, List.of(1L, 2L, 3L),
                2L, List.of(1L, 2L, 3L),
                3L, List.of(2L, 3L, 4L),
                4L, List.of(2L, 3L, 4L)));
  }

  @Test
  void findFirstOverACalibrationCollectionSpanningTwoValidityRangesIsAmbiguous() {
    // Exposure 1 is in the early range, exposure 3 in the late one: detectors 2 and 3 have a
    // different bias for each, so no single dataset answers {Cam1, detector 2}.
    assertThatThrownBy(
            () ->
                datasets(
                    "bias", List.of("calib"), "instrument = 'Cam1' AND exposure IN (1, 3)", true))
        .isInstanceOf(org.jbutler.schema.exceptions.CalibrationLookupException.class)
        .hasMessageContaining("Ambiguous calibration lookup")
        .hasMessageContaining("detector: 2")
        .hasMessageContaining("without find-first");
    QueryResult<DatasetRef> twoNights =
        registry.queryDatasets(
            "bias",
            List.of("calib"),
            DataQuery.where("instrument = 'Cam1' AND exposure IN (1, 3)").withFindFirst());
    assertThatThrownBy(twoNights::count)
        .isInstanceOf(org.jbutler.schema.exceptions.CalibrationLookupException.class);
  }

  @Test
  void impliedDimensionsConstrainDatasetQueriesThroughTheirRecords() {
    // Two hops through exposure: raw -> exposure -> physical_filter -> band.
    assertThat(datasets("raw", List.of("raw/all"), "instrument = 'Cam1' AND band = 'g'", false))
        .isEqualTo(rawsOf(1, 4));
    // One hop through exposure: physical_filter and day_obs.
    assertThat(
            datasets(
                "raw",
                List.of("raw/all"),
                "instrument = 'Cam1' AND physical_filter = 'Cam1-R1'",
                false))
        .isEqualTo(rawsOf(2));
    assertThat(
            datasets("raw", List.of("raw/all"), "instrument = 'Cam1' AND day_obs = 20240102", true))
        .isEqualTo(rawsOf(4));
    assertThat(
            registry
                .queryDatasets(
                    "raw",
                    List.of("raw/all"),
                    DataQuery.where("instrument = 'Cam1' AND band = 'r'").withFindFirst())
                .count())
        .isEqualTo(8);
    // Through visit: a visit-keyed type, one hop (physical_filter) and two (band).
    registry.registerDatasetType(
        DatasetType.of("calexp", u.group("visit", "detector"), "ExposureF"));
    registry.registerCollection("processed", CollectionType.RUN, null);
    Map<String, DatasetRef> calexps = new HashMap<>();
    for (int v : new int[] {10, 11}) {
      for (int d = 1; d <= 2; d++) {
        put("calexp", "processed", d, "v" + v, map("visit", v, "detector", d));
        calexps.put(v + "/" + d, refs.get("calexp/v" + v + "/" + d));
      }
    }
    assertThat(datasets("calexp", List.of("processed"), "instrument = 'Cam1' AND band = 'r'", true))
        .isEqualTo(Set.of(calexps.get("11/1"), calexps.get("11/2")));
    assertThat(
            datasets(
                "calexp",
                List.of("processed"),
                "instrument = 'Cam1' AND physical_filter = 'Cam1-G' AND detector = 2",
                false))
        .isEqualTo(Set.of(calexps.get("10/2")));
    // A band no exposure has matches nothing (it used to match every raw).
    assertThat(datasets("raw", List.of("raw/all"), "instrument = 'Cam1' AND band = 'z'", false))
        .isEmpty();
  }

  private Set<DatasetRef> rawsOf(int... exposures) {
    List<DatasetRef> out = new ArrayList<>();
    for (int e : exposures) {
      for (int d = 1; d <= 4; d++) {
        out.add(refs.get("raw/e" + e + "/" + d));
      }
    }
    return Set.copyOf(out);
  }

  @Test
  void dimensionJoinsRecordsAndDatasetConstraints() {
    List<DataCoordinate> pairs =
        registry
            .queryDataIds(
                u.group("exposure", "visit"),
                List.of(),
                List.of(),
                DataQuery.where("instrument = 'Cam1'"))
            .toList();
    assertThat(pairs)
        .extracting(d -> List.of(d.value("exposure"), d.value("visit")))
        .containsExactlyInAnyOrder(List.of(1L, 10L), List.of(2L, 11L));
    DataCoordinate e1 =
        registry
            .queryDataIds(
                u.group("exposure"),
                List.of(),
                List.of(),
                DataQuery.where("instrument = 'Cam1' AND exposure.obs_id = 'E1'").withRecords())
            .toList()
            .get(0);
    assertThat(e1.value("band")).isEqualTo("g");
    assertThat(e1.record("exposure").orElseThrow().value("exposure_time")).contains(30.0);
    assertThat(
            registry.queryDataIds(u.group("band"), List.of(), List.of(), DataQuery.all()).stream()
                .map(d -> d.value("band"))
                .sorted()
                .toList())
        .containsExactly("g", "r");
    // Only data IDs with a flat in imported_r: detectors 2-4 in the two R filters.
    assertThat(
            registry
                .queryDataIds(
                    u.group("detector", "physical_filter"),
                    List.of("flat"),
                    List.of("imported_r"),
                    DataQuery.where("instrument = 'Cam1' AND band = 'r'"))
                .count())
        .isEqualTo(6);
    assertThat(
            registry
                .queryDimensionRecords(
                    "detector", DataQuery.where("instrument = 'Cam1' AND raft = 'B'"))
                .stream()
                .map(r -> r.value("id").orElseThrow())
                .toList())
        .containsExactly(3L, 4L);
    assertThat(registry.queryDimensionRecords("visit_definition", DataQuery.all()).toList())
        .hasSize(2);
  }

  @Test
  void explainNoResultsSaysWhy() {
    QueryResult<DatasetRef> none =
        registry.queryDatasets("bias", List.of("empty"), DataQuery.all().withFindFirst());
    assertThat(none.any()).isFalse();
    assertThat(none.count()).isZero();
    assertThat(none.explainNoResults())
        .anyMatch(s -> s.contains("No datasets of type 'bias' in collection 'empty'"));
    QueryResult<DataCoordinate> nothing =
        registry.queryDataIds(
            u.group("detector"), List.of(), List.of(), DataQuery.where("instrument = 'Nope'"));
    assertThat(nothing.any()).isFalse();
    assertThat(nothing.explainNoResults()).anyMatch(s -> s.contains("instrument = 'Nope'"));
    QueryResult<DataCoordinate> some =
        registry.queryDataIds(
            u.group("detector"), List.of(), List.of(), DataQuery.where("instrument = 'Cam1'"));
    assertThat(some.count()).isEqualTo(4);
    assertThat(some.explainNoResults()).isEmpty();
  }

  @Test
  void collectionAndDatasetTypeQueries() {
    assertThat(registry.queryCollections("imported_*", Set.of(), false, true))
        .containsExactly("imported_g", "imported_r");
    assertThat(registry.queryCollections("*", Set.of(CollectionType.CALIBRATION), false, true))
        .containsExactly("calib");
    assertThat(registry.queryCollections("calibs_chain", Set.of(), true, true))
        .containsExactly("calibs_chain", "imported_r", "imported_g");
    assertThat(registry.queryCollections("calibs_chain", Set.of(), true, false))
        .containsExactly("imported_r", "imported_g");
    assertThat(registry.queryDatasetTypes("f*"))
        .extracting(DatasetType::name)
        .containsExactly("flat");
    assertThat(registry.queryDatasetTypes("*")).hasSize(3);
  }

  /**
   * Random and hostile strings either fail with a clean InvalidQueryException or run as a harmless
   * predicate; the database is unchanged afterwards.
   */
  @Test
  void hostileAndRandomExpressionsFailCleanlyOrRunHarmlessly() {
    List<String> hostile =
        new ArrayList<>(
            List.of(
                "instrument = 'Cam1'; DROP TABLE dataset",
                "instrument = 'Cam1'' OR ''1''=''1'",
                "instrument = 'x' OR 1=1 --",
                "instrument = 'Cam1' /* comment */",
                "detector.full_name = 'a'' ; DELETE FROM detector; --'",
                "instrument = 'Robert''); DROP TABLE collection;--'",
                "GLOB(full_name, '%'' OR 1=1 --') AND instrument = 'Cam1'",
                "instrument = 'Cam1' AND detector IN (SELECT id FROM detector)",
                "UNION SELECT * FROM butler_attributes",
                "instrument = \"Cam1\"",
                "instrument = 'Cam1' AND exposure.obs_id = 'E1\\'",
                "instrument = 'Cam1' AND dataset_id = UUID('00000000-0000-0000-0000-000000000000')",
                "1 = 1",
                "instrument IN ('Cam1', 'Cam1''--')"));
    Random random = new Random(42);
    String alphabet = "abdeinrtu _.,()'=<>!:%*+-/0123456789;\"\\TNOTANDORIN";
    for (int i = 0; i < 300; i++) {
      StringBuilder sb = new StringBuilder();
      int n = 1 + random.nextInt(30);
      for (int k = 0; k < n; k++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      hostile.add(sb.toString());
    }
    long before = registry.queryDimensionRecords("detector", DataQuery.all()).count();
    int ran = 0;
    for (String expression : hostile) {
      for (DataQuery q :
          List.of(
              DataQuery.where(expression),
              DataQuery.where("instrument = :i").withBind(Map.of("i", expression)))) {
        try {
          registry.queryDataIds(u.group("detector"), List.of(), List.of(), q).toList();
          registry.queryDatasets("bias", List.of("calibs_chain"), q).toList();
          ran++;
        } catch (InvalidQueryException
            | org.jbutler.schema.exceptions.InvalidDataIdException expected) {
          assertThat(expected.getMessage()).isNotBlank();
        }
      }
    }
    assertThat(ran).isGreaterThan(hostile.size()); // every bound string at least ran harmlessly
    assertThat(registry.queryDimensionRecords("detector", DataQuery.all()).count())
        .isEqualTo(before);
    assertThat(registry.collections()).contains("calib", "imported_g", "raw/all");
    assertThat(datasets("bias", List.of("calibs_chain"), "", false)).hasSize(6);
  }

  /** A streamed result holds the same rows as the list, in the same order, on every backend. */
  @Test
  void streamsHoldWhatListsHold() {
    List<DataQuery> queries =
        List.of(
            DataQuery.where("instrument = 'Cam1'"),
            DataQuery.where("instrument = 'Cam1'").withOrderBy("-detector", "exposure"),
            DataQuery.where("instrument = 'Cam1'").withOrderBy("exposure", "detector").withLimit(5),
            DataQuery.where("instrument = 'Cam1' AND detector > 2").withRecords());
    for (DataQuery q : queries) {
      var ids = registry.queryDataIds(u.group("exposure", "detector"), List.of(), List.of(), q);
      List<DataCoordinate> streamed;
      try (var stream = ids.stream()) {
        streamed = stream.toList();
      }
      assertThat(streamed)
          .isNotEmpty()
          .isEqualTo(
              registry
                  .queryDataIds(u.group("exposure", "detector"), List.of(), List.of(), q)
                  .toList());
      if (q.attachRecords()) {
        assertThat(streamed.get(0).hasRecords()).isTrue();
        assertThat(streamed.get(0).record("detector")).isPresent();
      }
      var raws = registry.queryDatasets("raw", List.of("raw/all"), q);
      List<DatasetRef> refs;
      try (var stream = raws.stream()) {
        refs = stream.toList();
      }
      assertThat(refs).isEqualTo(registry.queryDatasets("raw", List.of("raw/all"), q).toList());
    }
    // forEach streams too; a stream closed half-read lets writes go on.
    List<Object> seen = new ArrayList<>();
    registry
        .queryDataIds(
            u.group("detector"), List.of(), List.of(), DataQuery.where("instrument = 'Cam1'"))
        .forEach(d -> seen.add(d.value("detector")));
    assertThat(seen).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
    try (var half =
        registry
            .queryDataIds(u.group("exposure", "detector"), List.of(), List.of(), DataQuery.all())
            .stream()) {
      assertThat(half.iterator().next()).isNotNull();
      registry.registerCollection("while_streaming", CollectionType.RUN, null);
    }
    assertThat(registry.collections()).contains("while_streaming");
    // Inside a transaction the rows are read on the writing connection: its own rows are seen.
    registry.transaction(
        () -> {
          insert("detector", map("instrument", "Cam1", "id", 5, "full_name", "Cc"));
          try (var inside =
              registry
                  .queryDataIds(
                      u.group("detector"),
                      List.of(),
                      List.of(),
                      DataQuery.where("instrument = 'Cam1'"))
                  .stream()) {
            assertThat(inside.map(d -> d.value("detector")).toList()).contains(5L);
          }
          return null;
        });
  }

  /**
   * A reference catalogue sharded by htm7: skypix values in data IDs and {@code where}, and {@code
   * htm7 OVERLAPS} every region constructor and a region bind, each answering exactly the shards in
   * the region's htm7 envelope (computed here in Java, not by the query).
   */
  @Test
  void skyPixelShardsAndRegionConstraints() {
    org.jbutler.schema.region.HtmPixelization h7 = new org.jbutler.schema.region.HtmPixelization(7);
    org.jbutler.schema.region.UnitVector3d centre =
        org.jbutler.schema.region.UnitVector3d.fromDegrees(150, 2);
    List<Long> shards = new ArrayList<>();
    for (long[] r : h7.envelope(org.jbutler.schema.region.Circle.ofDegrees(150, 2, 2), 64)) {
      for (long i = r[0]; i < r[1]; i++) {
        shards.add(i);
      }
    }
    long far = h7.index(org.jbutler.schema.region.UnitVector3d.fromDegrees(10, -40));
    shards.add(far);
    var group = u.group("htm7");
    registry.registerDatasetType(DatasetType.of("ref_cat", group, "ArrowTable"));
    registry.registerCollection("refcats", CollectionType.RUN, null);
    List<DataCoordinate> ids = new ArrayList<>();
    for (long i : shards) {
      ids.add(DataCoordinate.standardize(Map.of("htm7", i), group));
    }
    registry.insertDatasets("ref_cat", ids, "refcats", DatasetIdGenerationMode.UNIQUE);
    java.util.function.Function<DataQuery, Set<Long>> found =
        q ->
            registry.queryDatasets("ref_cat", List.of("refcats"), q).stream()
                .map(r -> ((Number) r.dataId().value("htm7")).longValue())
                .collect(java.util.stream.Collectors.toSet());
    long here = h7.index(centre);
    assertThat(found.apply(DataQuery.where("htm7 = :p").withBind(Map.of("p", here))))
        .containsExactly(here);
    assertThat(found.apply(DataQuery.where("htm7 IN (" + here + ", " + far + ")")))
        .containsExactlyInAnyOrder(here, far);
    assertThat(found.apply(DataQuery.where("htm7 OVERLAPS POINT(150, 2)"))).contains(here);
    assertThat(found.apply(DataQuery.where("htm7 OVERLAPS POINT(150 - 360, 1 + 1)")))
        .contains(here);
    org.jbutler.schema.region.Circle half = org.jbutler.schema.region.Circle.ofDegrees(150, 2, 0.5);
    Set<Long> expected = new java.util.HashSet<>();
    for (long[] r : h7.envelope(half, 64)) {
      for (long i = r[0]; i < r[1]; i++) {
        if (shards.contains(i)) {
          expected.add(i);
        }
      }
    }
    assertThat(expected).hasSizeGreaterThan(1).doesNotContain(far);
    assertThat(found.apply(DataQuery.where("htm7 OVERLAPS CIRCLE(150, 2, 0.5)")))
        .isEqualTo(expected);
    assertThat(found.apply(DataQuery.where("CIRCLE(150, 2, 1 / 2) OVERLAPS htm7")))
        .isEqualTo(expected);
    assertThat(found.apply(DataQuery.where("htm7 OVERLAPS REGION('CIRCLE 150 2 0.5')")))
        .isEqualTo(expected);
    assertThat(
            found.apply(
                DataQuery.where("htm7 OVERLAPS :region AND :ra > 0")
                    .withBind(Map.of("region", half, "ra", 1))))
        .isEqualTo(expected);
    assertThat(found.apply(DataQuery.where("htm7 OVERLAPS BOX(150, 2, 0.2, 0.2)")))
        .contains(here)
        .isSubsetOf(expected);
    assertThat(
            found.apply(
                DataQuery.where(
                    "htm7 OVERLAPS POLYGON(149.9, 1.9, 150.1, 1.9, 150.1, 2.1, 149.9, 2.1)")))
        .contains(here)
        .isSubsetOf(expected);
    assertThat(
            registry
                .queryDataIds(
                    group,
                    List.of("ref_cat"),
                    List.of("refcats"),
                    DataQuery.where("htm7 OVERLAPS CIRCLE(150, 2, 0.5)"))
                .toList())
        .hasSize(expected.size());
    assertThatThrownBy(() -> found.apply(DataQuery.where("htm7 OVERLAPS POINT(10, 95)")))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("Dec in [-90, 90]");
    assertThatThrownBy(() -> found.apply(DataQuery.where("htm7 OVERLAPS htm7")))
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("needs a sky pixelization dimension");
    assertThatThrownBy(
            () -> registry.queryDataIds(group, List.of(), List.of(), DataQuery.all()).toList())
        .isInstanceOf(InvalidQueryException.class)
        .hasMessageContaining("a sky pixelization has no table of its own");
  }

  /**
   * rebuildSkyPixOverlaps recomputes every spatial element's htm7 rows from its records' regions:
   * the counts are the regions' envelopes, computed here, and a second run gives the same.
   */
  @Test
  void rebuildSkyPixOverlapsRecomputesTheRows() {
    var region = org.jbutler.schema.region.Circle.ofDegrees(150, 2, 0.3);
    insert(
        "visit_detector_region",
        map("instrument", "Cam1", "visit", 10, "detector", 1, "region", region));
    long expected = 0;
    for (long[] r : new org.jbutler.schema.region.HtmPixelization(7).envelope(region, 64)) {
      expected += r[1] - r[0];
    }
    for (int run = 0; run < 2; run++) {
      Map<String, Long> rows = registry.rebuildSkyPixOverlaps();
      assertThat(rows).containsEntry("visit_detector_region", expected).containsKey("patch");
    }
    assertThat(
            registry
                .queryDataIds(
                    u.group("visit", "detector"),
                    List.of(),
                    List.of(),
                    DataQuery.where(
                        "instrument = 'Cam1' AND visit_detector_region.region OVERLAPS"
                            + " POINT(150.1, 2)"))
                .toList())
        .hasSize(1);
  }

  /**
   * A reference catalogue sharded by HEALPix (nested, level 8): {@code healpix8 OVERLAPS} answers
   * exactly the shards in the region's HEALPix envelope, computed here in Java.
   */
  @Test
  void healpixShardsAnswerRegionConstraints() {
    var hp = new org.jbutler.schema.region.HealpixPixelization(8);
    List<Long> shards = new ArrayList<>();
    for (long[] r : hp.envelope(org.jbutler.schema.region.Circle.ofDegrees(150, 2, 2), 64)) {
      for (long i = r[0]; i < r[1]; i++) {
        shards.add(i);
      }
    }
    long far = hp.index(org.jbutler.schema.region.UnitVector3d.fromDegrees(10, -40));
    shards.add(far);
    var group = u.group("healpix8");
    registry.registerDatasetType(DatasetType.of("ref_cat_hp", group, "ArrowTable"));
    registry.registerCollection("refcats_hp", CollectionType.RUN, null);
    List<DataCoordinate> ids = new ArrayList<>();
    for (long i : shards) {
      ids.add(DataCoordinate.standardize(Map.of("healpix8", i), group));
    }
    registry.insertDatasets("ref_cat_hp", ids, "refcats_hp", DatasetIdGenerationMode.UNIQUE);
    java.util.function.Function<String, Set<Long>> found =
        where ->
            registry
                .queryDatasets("ref_cat_hp", List.of("refcats_hp"), DataQuery.where(where))
                .stream()
                .map(r -> ((Number) r.dataId().value("healpix8")).longValue())
                .collect(java.util.stream.Collectors.toSet());
    long here = hp.index(org.jbutler.schema.region.UnitVector3d.fromDegrees(150, 2));
    Set<Long> expected = new java.util.HashSet<>();
    for (long[] r : hp.envelope(org.jbutler.schema.region.Circle.ofDegrees(150, 2, 0.5), 64)) {
      for (long i = r[0]; i < r[1]; i++) {
        expected.add(i);
      }
    }
    assertThat(expected).hasSizeGreaterThan(1).doesNotContain(far);
    assertThat(found.apply("healpix8 OVERLAPS CIRCLE(150, 2, 0.5)")).isEqualTo(expected);
    // A point's envelope is a superset too (pixels are bounded by circles): its own pixel and at
    // most its neighbours, all inside the half-degree circle's.
    assertThat(found.apply("healpix8 OVERLAPS POINT(150, 2)"))
        .contains(here)
        .hasSizeLessThanOrEqualTo(4)
        .isSubsetOf(expected);
    assertThat(found.apply("healpix8 = " + far)).containsExactly(far);
  }

  /**
   * Element regions: {@code visit_detector_region.region OVERLAPS} a point, a circle or a region
   * bind, decided with the exact regions after the SQL (daf_butler's post-filter), for data IDs,
   * datasets and records, with the limit applied after the filter and exact counts.
   */
  @Test
  void elementRegionsAreFilteredExactly() {
    // Visit 10's four detectors tile a 2 x 2 degree square at (150, 2): detector d covers
    // RA [149 + (d-1)%2, 150 + (d-1)%2], Dec [1 + (d-1)/2, 2 + (d-1)/2].
    for (int d = 1; d <= 4; d++) {
      double ra = 149 + (d - 1) % 2;
      double dec = 1 + (d - 1) / 2;
      insert(
          "visit_detector_region",
          map(
              "instrument",
              "Cam1",
              "visit",
              10,
              "detector",
              d,
              "region",
              org.jbutler.schema.region.ConvexPolygon.convexHull(
                  List.of(
                      org.jbutler.schema.region.UnitVector3d.fromDegrees(ra, dec),
                      org.jbutler.schema.region.UnitVector3d.fromDegrees(ra + 1, dec),
                      org.jbutler.schema.region.UnitVector3d.fromDegrees(ra + 1, dec + 1),
                      org.jbutler.schema.region.UnitVector3d.fromDegrees(ra, dec + 1)))));
    }
    var vd = u.group("visit", "detector");
    java.util.function.Function<String, List<Object>> dets =
        w ->
            registry
                .queryDataIds(
                    vd, List.of(), List.of(), DataQuery.where("instrument = 'Cam1' AND " + w))
                .stream()
                .map(d -> d.value("detector"))
                .sorted()
                .toList();
    assertThat(dets.apply("visit_detector_region.region OVERLAPS POINT(149.5, 1.5)"))
        .containsExactly(1L);
    assertThat(dets.apply("POINT(150.5, 2.5) OVERLAPS visit_detector_region.region"))
        .containsExactly(4L);
    // A circle that reaches over the shared corner touches all four; a small one only one.
    assertThat(dets.apply("visit_detector_region.region OVERLAPS CIRCLE(150, 2, 0.1)"))
        .containsExactly(1L, 2L, 3L, 4L);
    assertThat(dets.apply("visit_detector_region.region OVERLAPS CIRCLE(149.5, 2.5, 0.2)"))
        .containsExactly(3L);
    // Near a corner but outside every polygon: the exact test says no.
    assertThat(dets.apply("visit_detector_region.region OVERLAPS CIRCLE(148.8, 0.8, 0.2)"))
        .isEmpty();
    assertThat(dets.apply("visit_detector_region.region OVERLAPS CIRCLE(120, 2, 5)")).isEmpty();
    assertThat(
            registry
                .queryDataIds(
                    vd,
                    List.of(),
                    List.of(),
                    DataQuery.where(
                            "instrument = 'Cam1' AND visit_detector_region.region OVERLAPS :r")
                        .withBind(
                            Map.of(
                                "r",
                                org.jbutler.schema.region.Box.ofDegrees(149.1, 150.9, 1.1, 1.4))))
                .count())
        .isEqualTo(2); // exact counts, not the candidate rows
    QueryResult<DataCoordinate> limited =
        registry.queryDataIds(
            vd,
            List.of(),
            List.of(),
            DataQuery.where(
                    "instrument = 'Cam1' AND visit_detector_region.region OVERLAPS CIRCLE(150, 2, 0.1)")
                .withOrderBy("-detector")
                .withLimit(2));
    assertThat(limited.toList().stream().map(d -> d.value("detector")).toList())
        .containsExactly(4L, 3L); // the limit counts only rows that pass the region test
    assertThat(
            registry
                .queryDimensionRecords(
                    "visit_detector_region",
                    DataQuery.where(
                        "instrument = 'Cam1' AND visit_detector_region.region OVERLAPS"
                            + " POINT(150.5, 1.5)"))
                .toList())
        .singleElement()
        .satisfies(r -> assertThat(r.dataId().value("detector")).isEqualTo(2L));
    registry.registerDatasetType(DatasetType.of("calexp", vd, "ExposureF"));
    registry.registerCollection("processed", CollectionType.RUN, null);
    List<DataCoordinate> ids = new ArrayList<>();
    for (int d = 1; d <= 4; d++) {
      ids.add(
          DataCoordinate.standardize(Map.of("instrument", "Cam1", "visit", 10, "detector", d), vd));
    }
    registry.insertDatasets("calexp", ids, "processed", DatasetIdGenerationMode.UNIQUE);
    for (DataQuery q :
        List.of(
            DataQuery.where(
                "instrument = 'Cam1' AND visit_detector_region.region OVERLAPS POINT(149.5, 2.5)"),
            DataQuery.where(
                    "instrument = 'Cam1' AND visit_detector_region.region OVERLAPS POINT(149.5, 2.5)")
                .withFindFirst())) {
      QueryResult<DatasetRef> calexps = registry.queryDatasets("calexp", List.of("processed"), q);
      assertThat(calexps.toList())
          .singleElement()
          .satisfies(r -> assertThat(r.dataId().value("detector")).isEqualTo(3L));
      assertThat(calexps.count()).isEqualTo(1);
      assertThat(calexps.any()).isTrue();
    }
    assertThatThrownBy(
            () -> dets.apply("visit_detector_region.region OVERLAPS visit_detector_region.region"))
        .hasMessageContaining("an element's region always overlaps itself");
    assertThatThrownBy(() -> dets.apply("visit_detector_region.region = POINT(1, 2)"))
        .hasMessageContaining("regions can only be compared with OVERLAPS");
  }
}
