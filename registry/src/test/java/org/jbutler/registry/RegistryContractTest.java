package org.jbutler.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.CollectionCycleException;
import org.jbutler.schema.exceptions.CollectionTypeException;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.jbutler.schema.exceptions.InvalidDataIdException;
import org.jbutler.schema.exceptions.InvalidNameException;
import org.jbutler.schema.exceptions.MissingCollectionException;
import org.jbutler.schema.exceptions.MissingDatasetTypeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every registry backend must have; one subclass per database. */
abstract class RegistryContractTest {

  /** Returns a JDBC URL of a new, empty database. */
  abstract String newDatabaseUrl() throws Exception;

  protected final DimensionUniverse u = DimensionUniverse.defaultUniverse();
  protected String url;
  protected Registry registry;

  @BeforeEach
  void setUp() throws Exception {
    url = newDatabaseUrl();
    registry = Registries.create(url, u);
  }

  @AfterEach
  void tearDown() {
    if (registry != null) {
      registry.close();
    }
  }

  private void insertCamera(String instrument, int detectors) {
    registry.insertDimensionRecords(
        "instrument",
        List.of(DimensionRecord.of(u.element("instrument"), Map.of("name", instrument))));
    List<DimensionRecord> dets = new ArrayList<>();
    for (int d = 1; d <= detectors; d++) {
      dets.add(
          DimensionRecord.of(
              u.element("detector"),
              Map.of(
                  "instrument", instrument, "id", d, "full_name", "D" + d, "purpose", "SCIENCE")));
    }
    registry.insertDimensionRecords("detector", dets);
  }

  private DataCoordinate det(String instrument, int d) {
    return DataCoordinate.ofRequired(u.group("detector"), instrument, d);
  }

  /** Inserts one bias of Cam1 into a run. */
  private DatasetRef insertBias(String run, int detector) {
    return registry
        .insertDatasets("bias", List.of(det("Cam1", detector)), run, DatasetIdGenerationMode.UNIQUE)
        .get(0);
  }

  private DatasetType bias() {
    return DatasetType.calibration("bias", u.group("detector"), "ExposureF");
  }

  @Test
  void reopeningGivesTheSameUniverseAndData() {
    insertCamera("Cam1", 2);
    if (registry != null) {
      registry.close();
    }
    registry = Registries.open(url);
    assertThat(registry.universe().configText()).isEqualTo(u.configText());
    assertThat(registry.fetchDimensionRecords("detector")).hasSize(2);
  }

  /** Lookups that may find nothing answer with Optional; the old names still work this release. */
  @Test
  @SuppressWarnings("deprecation")
  void optionalLookupsAndTheirDeprecatedNames() {
    insertCamera("Cam1", 1);
    assertThat(registry.findDatasetType("bias")).isEmpty();
    assertThat(registry.findCollection("run")).isEmpty();
    registry.registerDatasetType(bias());
    registry.registerCollection("run", CollectionType.RUN, null);
    assertThat(registry.findDatasetType("bias")).contains(bias());
    assertThat(registry.findCollection("run")).contains(CollectionType.RUN);
    DatasetRef b = insertBias("run", 1);
    assertThat(registry.findDataset(b.id())).contains(b);
    assertThat(registry.getDataset(b.id())).contains(b);
    assertThat(registry.queryDatasets("bias", List.of("run"), DataQuery.all(), true).toList())
        .isEqualTo(
            registry
                .queryDatasets("bias", List.of("run"), DataQuery.all().withFindFirst())
                .toList())
        .containsExactly(b);
  }

  @Test
  void creatingTwiceIsRefused() {
    assertThatThrownBy(() -> Registries.create(url, u))
        .isInstanceOf(ConflictingDefinitionException.class)
        .hasMessageContaining("already holds a registry");
  }

  @Test
  void incompatibleSchemaVersionsAreRefusedAndNewerMinorIsReadOnly() throws Exception {
    setAttribute(Registries.VERSION_KEY, "2.0.0");
    assertThatThrownBy(() -> Registries.open(url))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("schema version 2.0.0")
        .hasMessageContaining(Registries.SCHEMA_VERSION);
    setAttribute(Registries.VERSION_KEY, "1.9.0");
    try (Registry readOnly = Registries.open(url)) {
      assertThat(readOnly.fetchDimensionRecords("instrument")).isEmpty();
      assertThatThrownBy(() -> readOnly.registerCollection("r", CollectionType.RUN, null))
          .hasMessageContaining("read-only")
          .isNotInstanceOf(ConflictingDefinitionException.class)
          .isInstanceOfSatisfying(
              org.jbutler.schema.exceptions.ButlerException.class,
              e ->
                  assertThat(e.category())
                      .isEqualTo(
                          org.jbutler.schema.exceptions.ButlerException.Category.USER_ERROR));
    }
  }

  @Test
  void malformedSchemaVersionIsRefused() throws Exception {
    setAttribute(Registries.VERSION_KEY, "one");
    assertThatThrownBy(() -> Registries.open(url))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("schema version 'one'")
        .hasMessageContaining("not MAJOR.MINOR.PATCH");
  }

  @Test
  void badCollectionNamesAndChildrenAreRejectedAndNothingChanges() {
    assertThatThrownBy(() -> registry.registerCollection("x".repeat(65), CollectionType.RUN, null))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageContaining("65 characters")
        .hasMessageContaining("1-64");
    assertThatThrownBy(() -> registry.registerCollection(" ", CollectionType.TAGGED, null))
        .isInstanceOf(InvalidNameException.class);
    for (String bad :
        List.of(
            "/abs/path", "..", "a/../b", "a//b", "a/", "./a", "run*", "a,b", "tab\there", " a")) {
      assertThatThrownBy(() -> registry.registerCollection(bad, CollectionType.RUN, null))
          .as(bad)
          .isInstanceOf(InvalidNameException.class)
          .hasMessageContaining("Invalid collection name");
    }
    assertThat(registry.collections()).isEmpty();
    registry.registerCollection("u/some.one@site/run-1+2:3_x", CollectionType.RUN, null);
    registry.removeCollection("u/some.one@site/run-1+2:3_x");
    assertThatThrownBy(() -> registry.collectionType("x".repeat(65)))
        .isInstanceOf(MissingCollectionException.class);
    registry.registerCollection("run", CollectionType.RUN, null);
    registry.registerCollection("chain", CollectionType.CHAINED, null);
    registry.setChain("chain", List.of("run"));
    assertThatThrownBy(() -> registry.setChain("chain", List.of("run", "absent")))
        .isInstanceOf(MissingCollectionException.class)
        .hasMessageContaining("'absent'");
    assertThat(registry.chain("chain")).containsExactly("run");
  }

  @Test
  void recordsOfAnotherElementAreRejectedBeforeAnythingIsWritten() {
    DimensionRecord cam = DimensionRecord.of(u.element("instrument"), Map.of("name", "Cam1"));
    DimensionRecord det =
        DimensionRecord.of(
            u.element("detector"), Map.of("instrument", "Cam1", "id", 1, "full_name", "D1"));
    assertThatThrownBy(() -> registry.insertDimensionRecords("instrument", List.of(cam, det)))
        .isInstanceOf(InvalidDataIdException.class)
        .hasMessageContaining("belongs to 'detector', not 'instrument'");
    assertThat(registry.fetchDimensionRecords("instrument")).isEmpty();
    assertThatThrownBy(() -> registry.insertDimensionRecords("band", List.of()))
        .isInstanceOf(InvalidDataIdException.class)
        .hasMessageContaining("insert records of physical_filter instead");
  }

  private void setAttribute(String key, String value) throws Exception {
    if (registry != null) {
      registry.close();
    }
    try (var c = DriverManager.getConnection(url);
        var s =
            c.prepareStatement(
                "UPDATE \"butler_attributes\" SET \"value\" = ? WHERE \"name\" = ?")) {
      s.setString(1, value);
      s.setString(2, key);
      assertThat(s.executeUpdate()).isEqualTo(1);
    }
  }

  @Test
  void dimensionRecordsRoundTripWithTimespans() {
    insertCamera("Cam1", 1);
    registry.insertDimensionRecords(
        "physical_filter",
        List.of(
            DimensionRecord.of(
                u.element("physical_filter"),
                Map.of("instrument", "Cam1", "name", "Cam1-r", "band", "r"))));
    registry.insertDimensionRecords(
        "day_obs",
        List.of(
            DimensionRecord.of(
                u.element("day_obs"), Map.of("instrument", "Cam1", "id", 20240101))));
    registry.insertDimensionRecords(
        "group",
        List.of(
            DimensionRecord.of(u.element("group"), Map.of("instrument", "Cam1", "name", "g1"))));
    DimensionRecord exposure =
        DimensionRecord.of(
            u.element("exposure"),
            Map.of(
                "instrument",
                "Cam1",
                "id",
                7,
                "obs_id",
                "C7",
                "physical_filter",
                "Cam1-r",
                "group",
                "g1",
                "day_obs",
                20240101,
                "exposure_time",
                30.0,
                "timespan",
                Timespan.of(1_000_000_000L, 31_000_000_000L)));
    registry.insertDimensionRecords("exposure", List.of(exposure));
    assertThat(registry.fetchDimensionRecords("exposure")).containsExactly(exposure);
  }

  @Test
  void booleanIntegerFloatAndStringFieldsReadBackAsTheirTypes() {
    insertCamera("Cam1", 1);
    insertExposure(7, "C7");
    Map<String, Object> values = new java.util.LinkedHashMap<>();
    values.put("instrument", "Cam1");
    values.put("id", 8);
    values.put("obs_id", "C8");
    values.put("physical_filter", "Cam1-r");
    values.put("group", "g1");
    values.put("day_obs", 20240101);
    values.put("has_simulated", true);
    values.put("can_see_sky", false);
    values.put("seq_num", 12);
    values.put("tracking_ra", 10.5);
    values.put("target_name", "M31");
    DimensionRecord e8 = DimensionRecord.of(u.element("exposure"), values);
    registry.insertDimensionRecords("exposure", List.of(e8));
    DimensionRecord read =
        registry
            .queryDimensionRecords(
                "exposure", DataQuery.where("instrument = 'Cam1' AND has_simulated"))
            .toList()
            .get(0);
    assertThat(read).isEqualTo(e8);
    assertThat(read.value("has_simulated")).contains(Boolean.TRUE);
    assertThat(read.value("can_see_sky")).contains(Boolean.FALSE);
    assertThat(read.value("seq_num")).contains(12L);
    assertThat(read.value("tracking_ra")).contains(10.5);
    assertThat(registry.fetchDimensionRecords("exposure")).contains(e8);
    DataCoordinate expanded =
        registry.expandDataId(Map.of("instrument", "Cam1", "exposure", 8), u.group("exposure"));
    assertThat(expanded.record("exposure").orElseThrow().value("can_see_sky"))
        .contains(Boolean.FALSE);
  }

  @Test
  void badDimensionRecordsLeaveNothingBehind() {
    insertCamera("Cam1", 1);
    DimensionRecord good =
        DimensionRecord.of(
            u.element("detector"), Map.of("instrument", "Cam1", "id", 5, "full_name", "D5"));
    DimensionRecord orphan =
        DimensionRecord.of(
            u.element("detector"), Map.of("instrument", "Nope", "id", 6, "full_name", "D6"));
    assertThatThrownBy(() -> registry.insertDimensionRecords("detector", List.of(good, orphan)))
        .isInstanceOf(InvalidDataIdException.class)
        .hasMessageContaining("no instrument record with instrument='Nope'");
    assertThat(registry.fetchDimensionRecords("detector")).hasSize(1);
    assertThatThrownBy(
            () ->
                registry.insertDimensionRecords(
                    "detector",
                    List.of(
                        DimensionRecord.of(
                            u.element("detector"),
                            Map.of("instrument", "Cam1", "id", 1, "full_name", "X")))))
        .isInstanceOf(ConflictingDefinitionException.class)
        .hasMessageContaining("already exists");
  }

  @Test
  void datasetTypes() {
    assertThat(registry.registerDatasetType(bias())).isTrue();
    assertThat(registry.registerDatasetType(bias())).isFalse();
    assertThat(registry.datasetType("bias")).isEqualTo(bias());
    assertThatThrownBy(
            () ->
                registry.registerDatasetType(
                    DatasetType.of("bias", u.group("detector"), "ExposureF")))
        .isInstanceOf(ConflictingDefinitionException.class)
        .hasMessageContaining("already registered");
    assertThatThrownBy(() -> registry.datasetType("flat"))
        .isInstanceOf(MissingDatasetTypeException.class)
        .hasMessageContaining("'flat' is not registered")
        .hasMessageContaining("bias");
    DatasetType raw = DatasetType.of("raw", u.group("exposure", "detector"), "ExposureI");
    registry.registerDatasetType(raw);
    assertThat(registry.datasetTypes()).containsExactly(bias(), raw);
    registry.removeDatasetType("raw");
    assertThat(registry.datasetTypes()).containsExactly(bias());
  }

  @Test
  void collectionsAndChains() {
    registry.registerCollection("run1", CollectionType.RUN, "first");
    registry.registerCollection("run2", CollectionType.RUN, null);
    registry.registerCollection("tagged", CollectionType.TAGGED, null);
    registry.registerCollection("inner", CollectionType.CHAINED, null);
    registry.registerCollection("outer", CollectionType.CHAINED, null);
    assertThat(registry.registerCollection("run1", CollectionType.RUN, null)).isFalse();
    assertThatThrownBy(() -> registry.registerCollection("run1", CollectionType.TAGGED, null))
        .isInstanceOf(ConflictingDefinitionException.class);
    registry.setChain("inner", List.of("run2", "tagged"));
    registry.setChain("outer", List.of("run1", "inner", "run2"));
    assertThat(registry.chain("outer")).containsExactly("run1", "inner", "run2");
    assertThat(registry.flatten(List.of("outer"))).containsExactly("run1", "run2", "tagged");
    assertThatThrownBy(() -> registry.setChain("inner", List.of("outer")))
        .isInstanceOf(CollectionCycleException.class)
        .hasMessageContaining("inner -> outer -> inner");
    assertThat(registry.chain("inner")).containsExactly("run2", "tagged");
    assertThatThrownBy(() -> registry.setChain("run1", List.of("run2")))
        .isInstanceOf(CollectionTypeException.class);
    assertThatThrownBy(() -> registry.removeCollection("run2"))
        .isInstanceOf(ConflictingDefinitionException.class)
        .hasMessageContaining("inner, outer");
    assertThatThrownBy(() -> registry.collectionType("nope"))
        .isInstanceOf(MissingCollectionException.class);
    registry.setChain("inner", List.of());
    registry.setChain("outer", List.of());
    registry.removeCollection("run2");
    assertThatThrownBy(() -> registry.collectionType("run2"))
        .isInstanceOf(MissingCollectionException.class);
  }

  @Test
  void twoEntriesForOneDataIdInOneInsertAreNamedNotAConstraintMessage() {
    insertCamera("Cam1", 3);
    registry.registerDatasetType(bias());
    registry.registerCollection("run", CollectionType.RUN, null);
    assertThatThrownBy(
            () ->
                registry.insertDatasets(
                    "bias",
                    List.of(det("Cam1", 1), det("Cam1", 2), det("Cam1", 1)),
                    "run",
                    DatasetIdGenerationMode.UNIQUE))
        .isInstanceOf(ConflictingDefinitionException.class)
        .hasMessageContaining("entries 1 and 3 of this insert have the same data ID")
        .hasMessageNotContaining("dataset_tags")
        .hasMessageNotContaining("CONSTRAINT");
    assertThat(registry.queryDatasets("bias", List.of("run"), DataQuery.all()).count()).isZero();
  }

  @Test
  void insertAndFindDatasetsThroughAChain() {
    insertCamera("Cam1", 3);
    registry.registerDatasetType(bias());
    registry.registerCollection("old", CollectionType.RUN, null);
    registry.registerCollection("new", CollectionType.RUN, null);
    registry.registerCollection("all", CollectionType.CHAINED, null);
    registry.setChain("all", List.of("new", "old"));
    List<DatasetRef> old =
        registry.insertDatasets(
            "bias", List.of(det("Cam1", 1), det("Cam1", 2)), "old", DatasetIdGenerationMode.UNIQUE);
    List<DatasetRef> newer =
        registry.insertDatasets(
            "bias", List.of(det("Cam1", 2)), "new", DatasetIdGenerationMode.DATAID_TYPE_RUN);
    assertThat(newer.get(0).id())
        .isEqualTo(
            org.jbutler.schema.DatasetIds.generate(
                DatasetIdGenerationMode.DATAID_TYPE_RUN, bias(), det("Cam1", 2), "new"));
    assertThat(registry.findDataset("bias", det("Cam1", 2), List.of("all"))).contains(newer.get(0));
    assertThat(registry.findDataset("bias", det("Cam1", 1), List.of("all"))).contains(old.get(0));
    assertThat(registry.findDataset("bias", det("Cam1", 2), List.of("old"))).contains(old.get(1));
    assertThat(registry.findDataset("bias", det("Cam1", 3), List.of("all"))).isEmpty();
  }

  @Test
  void badInsertsAreClearErrorsAndLeaveNothingBehind() {
    insertCamera("Cam1", 2);
    registry.registerDatasetType(bias());
    registry.registerCollection("run", CollectionType.RUN, null);
    registry.registerCollection("tag", CollectionType.TAGGED, null);
    registry.insertDatasets("bias", List.of(det("Cam1", 1)), "run", DatasetIdGenerationMode.UNIQUE);
    assertThatThrownBy(
            () ->
                registry.insertDatasets(
                    "bias",
                    List.of(det("Cam1", 2), det("Cam1", 1)),
                    "run",
                    DatasetIdGenerationMode.UNIQUE))
        .isInstanceOf(ConflictingDefinitionException.class)
        .hasMessageContaining(
            "RUN 'run' already has a 'bias' dataset for {instrument: 'Cam1', detector: 1}");
    assertThat(registry.findDataset("bias", det("Cam1", 2), List.of("run"))).isEmpty();
    assertThatThrownBy(
            () ->
                registry.insertDatasets(
                    "bias",
                    List.of(det("Cam1", 2), det("Cam1", 9)),
                    "run",
                    DatasetIdGenerationMode.UNIQUE))
        .isInstanceOf(InvalidDataIdException.class)
        .hasMessageContaining("no detector record with detector=9");
    assertThat(registry.findDataset("bias", det("Cam1", 2), List.of("run"))).isEmpty();
    assertThatThrownBy(
            () ->
                registry.insertDatasets(
                    "bias", List.of(det("Cam1", 2)), "tag", DatasetIdGenerationMode.UNIQUE))
        .isInstanceOf(CollectionTypeException.class)
        .hasMessageContaining("only be inserted into a RUN");
    assertThatThrownBy(
            () ->
                registry.insertDatasets(
                    "flat", List.of(det("Cam1", 2)), "run", DatasetIdGenerationMode.UNIQUE))
        .isInstanceOf(MissingDatasetTypeException.class);
    assertThatThrownBy(
            () ->
                registry.insertDatasets(
                    "bias", List.of(det("Cam1", 2)), "nope", DatasetIdGenerationMode.UNIQUE))
        .isInstanceOf(MissingCollectionException.class);
    assertThatThrownBy(() -> registry.removeDatasetType("bias"))
        .isInstanceOf(ConflictingDefinitionException.class)
        .hasMessageContaining("still has 1 dataset");
    registry.registerCollection("run2", CollectionType.RUN, null);
    registry.insertDatasets(
        "bias", List.of(det("Cam1", 2)), "run2", DatasetIdGenerationMode.DATAID_TYPE);
    assertThatThrownBy(
            () ->
                registry.insertDatasets(
                    "bias", List.of(det("Cam1", 2)), "run", DatasetIdGenerationMode.DATAID_TYPE))
        .isInstanceOf(ConflictingDefinitionException.class)
        .hasMessageContaining("already exists in another run");
    registry.removeCollection("run2");
    assertThat(registry.findDataset("bias", det("Cam1", 2), List.of("run"))).isEmpty();
    assertThatThrownBy(() -> registry.findDataset("bias", det("Cam1", 2), List.of("run2")))
        .isInstanceOf(MissingCollectionException.class);
  }

  // ------------------------------------------------------------ TAGGED, import, removal

  @Test
  void taggedCollectionsHoldOneDatasetPerDataIdAndAssociationIsIdempotent() {
    insertCamera("Cam1", 2);
    registry.registerDatasetType(bias());
    registry.registerCollection("a", CollectionType.RUN, null);
    registry.registerCollection("b", CollectionType.RUN, null);
    registry.registerCollection("best", CollectionType.TAGGED, "hand-picked");
    DatasetRef a1 = insertBias("a", 1);
    DatasetRef b1 = insertBias("b", 1);
    registry.associate("best", List.of(a1));
    registry.associate("best", List.of(a1));
    assertThat(registry.findDataset("bias", det("Cam1", 1), List.of("best"))).contains(a1);
    assertThatThrownBy(() -> registry.associate("best", List.of(b1)))
        .isInstanceOf(ConflictingDefinitionException.class)
        .hasMessageContaining("TAGGED 'best' already holds");
    assertThatThrownBy(() -> registry.associate("a", List.of(b1)))
        .isInstanceOf(CollectionTypeException.class)
        .hasMessageContaining("is RUN, not TAGGED");
    registry.disassociate("best", List.of(a1));
    assertThat(registry.findDataset("bias", det("Cam1", 1), List.of("best"))).isEmpty();
    registry.associate("best", List.of(b1));
    assertThat(registry.findDataset("bias", det("Cam1", 1), List.of("best"))).contains(b1);
    assertThat(registry.collectionDocumentation("best")).isEqualTo("hand-picked");
    DatasetRef ghost = new DatasetRef(bias(), det("Cam1", 2), "a", java.util.UUID.randomUUID());
    assertThatThrownBy(() -> registry.associate("best", List.of(ghost)))
        .isInstanceOf(org.jbutler.schema.exceptions.DatasetNotFoundException.class);
    // Removing a dataset removes it from every collection.
    registry.removeDatasets(List.of(b1));
    assertThat(registry.findDataset("bias", det("Cam1", 1), List.of("best", "b"))).isEmpty();
    assertThat(registry.findDataset(b1.id())).isEmpty();
    assertThat(registry.findDataset(a1.id())).contains(a1);
    assertThat(registry.datasetAssociations("bias", List.of("a", "best")))
        .extracting(org.jbutler.schema.DatasetAssociation::collection)
        .containsExactly("a");
  }

  @Test
  void importKeepsIdsIsIdempotentAndRefusesConflicts() {
    insertCamera("Cam1", 2);
    registry.registerDatasetType(bias());
    registry.registerCollection("r1", CollectionType.RUN, null);
    registry.registerCollection("r2", CollectionType.RUN, null);
    DatasetRef given =
        DatasetRef.create(bias(), det("Cam1", 1), "r1", DatasetIdGenerationMode.DATAID_TYPE);
    assertThat(registry.importDatasets(List.of(given))).containsExactly(given);
    assertThat(registry.importDatasets(List.of(given))).containsExactly(given);
    assertThat(registry.findDataset(given.id())).contains(given);
    // The same DATAID_TYPE ID cannot go into a second run; DATAID_TYPE_RUN IDs can.
    DatasetRef elsewhere = new DatasetRef(bias(), det("Cam1", 1), "r2", given.id());
    assertThatThrownBy(() -> registry.importDatasets(List.of(elsewhere)))
        .isInstanceOf(ConflictingDefinitionException.class)
        .hasMessageContaining(given.id().toString());
    DatasetRef otherDataId = new DatasetRef(bias(), det("Cam1", 2), "r1", given.id());
    assertThatThrownBy(() -> registry.importDatasets(List.of(otherDataId)))
        .isInstanceOf(ConflictingDefinitionException.class);
    DatasetRef perRun1 =
        DatasetRef.create(bias(), det("Cam1", 2), "r1", DatasetIdGenerationMode.DATAID_TYPE_RUN);
    DatasetRef perRun2 =
        DatasetRef.create(bias(), det("Cam1", 2), "r2", DatasetIdGenerationMode.DATAID_TYPE_RUN);
    registry.importDatasets(List.of(perRun1, perRun2));
    assertThat(registry.findDataset("bias", det("Cam1", 2), List.of("r2"))).contains(perRun2);
    // A second dataset for the same data ID in one run is a conflict; nothing of the batch stays.
    DatasetRef fresh = new DatasetRef(bias(), det("Cam1", 1), "r2", java.util.UUID.randomUUID());
    DatasetRef clash = new DatasetRef(bias(), det("Cam1", 2), "r2", java.util.UUID.randomUUID());
    assertThatThrownBy(() -> registry.importDatasets(List.of(fresh, clash)))
        .isInstanceOf(ConflictingDefinitionException.class)
        .hasMessageContaining("already has a 'bias' dataset");
    assertThat(registry.findDataset(fresh.id())).isEmpty();
  }

  // ------------------------------------------------------------ calibrations

  private static final long HOUR = 3_600_000_000_000L;
  private static final long T1 = 1_700_000_000_000_000_000L;
  private static final long T2 = T1 + HOUR;
  private static final long T3 = T2 + HOUR;
  private static final long T4 = T3 + HOUR;
  private static final long T5 = T4 + HOUR;

  /**
   * daf_butler's calibration scenario: 2a valid [t2,t4), 3a [t1,t3), 2b and 3b [t4,∞); then
   * decertify [t3,t5).
   */
  @Test
  void calibrationValidityRangesCertifyDecertifyAndLookups() {
    insertCamera("Cam1", 3);
    registry.registerDatasetType(bias());
    registry.registerCollection("imported", CollectionType.RUN, null);
    registry.registerCollection("calib", CollectionType.CALIBRATION, null);
    List<DatasetRef> a =
        registry.insertDatasets(
            "bias",
            List.of(det("Cam1", 2), det("Cam1", 3)),
            "imported",
            DatasetIdGenerationMode.UNIQUE);
    registry.registerCollection("imported2", CollectionType.RUN, null);
    List<DatasetRef> b =
        registry.insertDatasets(
            "bias",
            List.of(det("Cam1", 2), det("Cam1", 3)),
            "imported2",
            DatasetIdGenerationMode.UNIQUE);
    DatasetRef bias2a = a.get(0);
    DatasetRef bias3a = a.get(1);
    DatasetRef bias2b = b.get(0);
    DatasetRef bias3b = b.get(1);
    registry.certify("calib", List.of(bias2a), Timespan.of(T2, T4));
    registry.certify("calib", List.of(bias3a), Timespan.of(T1, T3));
    registry.certify("calib", List.of(bias2b, bias3b), Timespan.from(T4));
    // Overlap for the same data ID is refused and changes nothing.
    assertThatThrownBy(() -> registry.certify("calib", List.of(bias2b), Timespan.of(T1, T3)))
        .isInstanceOf(ConflictingDefinitionException.class)
        .hasMessageContaining("already certified")
        .hasMessageContaining(bias2a.id().toString());
    assertThatThrownBy(() -> registry.certify("imported", List.of(bias2b), Timespan.of(T1, T2)))
        .isInstanceOf(CollectionTypeException.class);
    assertThatThrownBy(() -> registry.associate("calib", List.of(bias2b)))
        .isInstanceOf(CollectionTypeException.class)
        .hasMessageContaining("certify");

    assertLookup(2, Timespan.until(T1), null);
    assertLookup(2, Timespan.of(T1, T2), null);
    assertLookup(2, Timespan.of(T1, T3), bias2a);
    assertLookup(2, Timespan.of(T2, T3), bias2a);
    assertLookup(2, Timespan.of(T3, T4), bias2a);
    assertLookup(2, Timespan.of(T4, T5), bias2b);
    assertLookup(2, Timespan.from(T5), bias2b);
    assertAmbiguous(2, Timespan.of(T3, T5));
    assertAmbiguous(2, Timespan.unbounded());
    assertLookup(3, Timespan.until(T1), null);
    assertLookup(3, Timespan.of(T1, T2), bias3a);
    assertLookup(3, Timespan.of(T2, T3), bias3a);
    assertLookup(3, Timespan.of(T3, T4), null);
    assertLookup(3, Timespan.of(T4, T5), bias3b);
    assertAmbiguous(3, Timespan.of(T2, T5));
    // Without a timespan calibration collections are skipped.
    assertThat(registry.findDataset("bias", det("Cam1", 2), List.of("calib"))).isEmpty();

    registry.decertify("calib", "bias", Timespan.of(T3, T5), null);
    assertLookup(2, Timespan.of(T2, T3), bias2a);
    assertLookup(2, Timespan.of(T3, T4), null);
    assertLookup(2, Timespan.of(T3, T5), null);
    assertLookup(2, Timespan.of(T4, T5), null);
    assertLookup(2, Timespan.from(T5), bias2b);
    assertLookup(2, Timespan.of(T1, T4), bias2a);
    assertLookup(3, Timespan.of(T1, T3), bias3a);
    assertLookup(3, Timespan.of(T4, T5), null);
    assertLookup(3, Timespan.from(T5), bias3b);
    assertAmbiguous(2, Timespan.unbounded());

    // Decertify splits a range in two, and only for the data IDs given.
    registry.decertify(
        "calib", "bias", Timespan.of(T1 + HOUR / 2, T2 + HOUR / 2), List.of(det("Cam1", 3)));
    assertLookup(3, Timespan.of(T1, T1 + HOUR / 2), bias3a);
    assertLookup(3, Timespan.of(T1 + HOUR / 2, T2 + HOUR / 2), null);
    assertLookup(3, Timespan.of(T2 + HOUR / 2, T3), bias3a);
    assertLookup(2, Timespan.of(T2, T3), bias2a);
    assertThat(registry.datasetAssociations("bias", List.of("calib")))
        .filteredOn(x -> x.ref().id().equals(bias3a.id()))
        .extracting(org.jbutler.schema.DatasetAssociation::timespan)
        .containsExactly(Timespan.of(T1, T1 + HOUR / 2), Timespan.of(T2 + HOUR / 2, T3));
  }

  private void assertLookup(int detector, Timespan window, DatasetRef expected) {
    var found = registry.findDataset("bias", det("Cam1", detector), List.of("calib"), window);
    if (expected == null) {
      assertThat(found).as("detector %d in %s", detector, window).isEmpty();
    } else {
      assertThat(found).as("detector %d in %s", detector, window).contains(expected);
    }
  }

  private void assertAmbiguous(int detector, Timespan window) {
    assertThatThrownBy(
            () -> registry.findDataset("bias", det("Cam1", detector), List.of("calib"), window))
        .isInstanceOf(org.jbutler.schema.exceptions.CalibrationLookupException.class)
        .hasMessageContaining("Ambiguous");
  }

  @Test
  void runsEarlierInThePathWinOverCalibrationCollections() {
    insertCamera("Cam1", 1);
    registry.registerDatasetType(bias());
    registry.registerCollection("run", CollectionType.RUN, null);
    registry.registerCollection("calib", CollectionType.CALIBRATION, null);
    DatasetRef certified = insertBias("run", 1);
    registry.certify("calib", List.of(certified), Timespan.from(T1));
    registry.registerCollection("newer", CollectionType.RUN, null);
    DatasetRef direct = insertBias("newer", 1);
    Timespan when = Timespan.of(T2, T3);
    assertThat(registry.findDataset("bias", det("Cam1", 1), List.of("newer", "calib"), when))
        .contains(direct);
    assertThat(registry.findDataset("bias", det("Cam1", 1), List.of("calib", "newer"), when))
        .contains(certified);
  }

  // ------------------------------------------------------------ records: sync and expand

  private void insertExposure(int id, String obsId) {
    registry.insertDimensionRecords(
        "physical_filter",
        List.of(
            DimensionRecord.of(
                u.element("physical_filter"),
                Map.of("instrument", "Cam1", "name", "Cam1-r", "band", "r"))),
        true);
    registry.insertDimensionRecords(
        "day_obs",
        List.of(
            DimensionRecord.of(u.element("day_obs"), Map.of("instrument", "Cam1", "id", 20240101))),
        true);
    registry.insertDimensionRecords(
        "group",
        List.of(DimensionRecord.of(u.element("group"), Map.of("instrument", "Cam1", "name", "g1"))),
        true);
    registry.insertDimensionRecords(
        "exposure",
        List.of(
            DimensionRecord.of(
                u.element("exposure"),
                Map.of(
                    "instrument",
                    "Cam1",
                    "id",
                    id,
                    "obs_id",
                    obsId,
                    "physical_filter",
                    "Cam1-r",
                    "group",
                    "g1",
                    "day_obs",
                    20240101))));
  }

  @Test
  void syncInsertsComparesAndUpdates() {
    insertCamera("Cam1", 1);
    DimensionRecord d2 =
        DimensionRecord.of(
            u.element("detector"), Map.of("instrument", "Cam1", "id", 2, "full_name", "D2"));
    assertThat(registry.syncDimensionRecord("detector", d2, false))
        .isEqualTo(Registry.SyncOutcome.INSERTED);
    assertThat(registry.syncDimensionRecord("detector", d2, false))
        .isEqualTo(Registry.SyncOutcome.UNCHANGED);
    DimensionRecord renamed =
        DimensionRecord.of(
            u.element("detector"), Map.of("instrument", "Cam1", "id", 2, "full_name", "S2"));
    assertThatThrownBy(() -> registry.syncDimensionRecord("detector", renamed, false))
        .isInstanceOf(ConflictingDefinitionException.class)
        .hasMessageContaining("full_name: stored 'D2', given 'S2'");
    assertThat(registry.fetchDimensionRecord("detector", det("Cam1", 2))).contains(d2);
    assertThat(registry.syncDimensionRecord("detector", renamed, true))
        .isEqualTo(Registry.SyncOutcome.UPDATED);
    assertThat(registry.fetchDimensionRecord("detector", det("Cam1", 2))).contains(renamed);
  }

  /**
   * Cached elements (detector is one) never answer from a rolled-back transaction or with a record
   * that sync replaced.
   */
  @Test
  void cachedRecordsForgetRollbacksAndUpdates() {
    insertCamera("Cam1", 1);
    DimensionRecord d5 =
        DimensionRecord.of(
            u.element("detector"), Map.of("instrument", "Cam1", "id", 5, "full_name", "D5"));
    assertThatThrownBy(
            () ->
                registry.transaction(
                    (Runnable)
                        () -> {
                          registry.insertDimensionRecords("detector", List.of(d5));
                          assertThat(
                                  registry
                                      .expandDataId(
                                          Map.of("instrument", "Cam1", "detector", 5), null)
                                      .record("detector"))
                              .contains(d5);
                          throw new IllegalStateException("roll back");
                        }))
        .hasMessage("roll back");
    assertThatThrownBy(
            () -> registry.expandDataId(Map.of("instrument", "Cam1", "detector", 5), null))
        .isInstanceOf(org.jbutler.schema.exceptions.InvalidDataIdException.class);
    registry.insertDimensionRecords("detector", List.of(d5));
    assertThat(
            registry
                .expandDataId(Map.of("instrument", "Cam1", "detector", 5), null)
                .record("detector"))
        .contains(d5);
    DimensionRecord renamed =
        DimensionRecord.of(
            u.element("detector"), Map.of("instrument", "Cam1", "id", 5, "full_name", "S5"));
    registry.syncDimensionRecord("detector", renamed, true);
    assertThat(
            registry
                .expandDataId(Map.of("instrument", "Cam1", "detector", 5), null)
                .record("detector"))
        .contains(renamed);
  }

  @Test
  void expandDataIdResolvesAlternateKeysFillsImpliedValuesAndNamesMissingValues() {
    insertCamera("Cam1", 2);
    insertExposure(7, "C7");
    DataCoordinate e =
        registry.expandDataId(
            Map.of("instrument", "Cam1", "exposure.obs_id", "C7", "detector.full_name", "D2"),
            null);
    assertThat(e.dimensions()).isEqualTo(u.group("exposure", "detector"));
    assertThat(e.value("exposure")).isEqualTo(7L);
    assertThat(e.value("detector")).isEqualTo(2L);
    assertThat(e.value("band")).isEqualTo("r");
    assertThat(e.value("physical_filter")).isEqualTo("Cam1-r");
    assertThat(e.hasRecords()).isTrue();
    assertThat(e.record("detector").orElseThrow().value("full_name")).contains("D2");
    assertThat(
            registry
                .expandDataIds(List.of(DataCoordinate.ofRequired(u.group("exposure"), "Cam1", 7)))
                .get(0)
                .value("band"))
        .isEqualTo("r");
    assertThatThrownBy(
            () -> registry.expandDataId(Map.of("instrument", "Cam1", "exposure", 8), null))
        .isInstanceOf(InvalidDataIdException.class)
        .hasMessageContaining("no exposure record with exposure=8 for instrument='Cam1'");
    assertThatThrownBy(
            () ->
                registry.expandDataId(
                    Map.of("instrument", "Cam1", "detector.full_name", "D9"), null))
        .isInstanceOf(InvalidDataIdException.class)
        .hasMessageContaining("No detector record with detector.full_name='D9'");
    assertThatThrownBy(
            () ->
                registry.expandDataId(
                    Map.of("instrument", "Cam1", "detector", 1, "detector.full_name", "D2"), null))
        .isInstanceOf(InvalidDataIdException.class);
    assertThatThrownBy(
            () -> registry.expandDataId(Map.of("instrument", "Cam1", "detektor", 1), null))
        .isInstanceOf(InvalidDataIdException.class)
        .hasMessageContaining("detektor");
  }

  // ------------------------------------------------------------ summaries, chains, transactions

  @Test
  void collectionSummariesListTypesAndGovernorValuesThroughChains() {
    insertCamera("Cam1", 1);
    insertCamera("Cam2", 1);
    registry.registerDatasetType(bias());
    registry.registerCollection("r1", CollectionType.RUN, null);
    registry.registerCollection("r2", CollectionType.RUN, null);
    registry.registerCollection("both", CollectionType.CHAINED, null);
    registry.setChain("both", List.of("r1", "r2"));
    registry.insertDatasets("bias", List.of(det("Cam1", 1)), "r1", DatasetIdGenerationMode.UNIQUE);
    registry.insertDatasets("bias", List.of(det("Cam2", 1)), "r2", DatasetIdGenerationMode.UNIQUE);
    assertThat(registry.collectionSummary("r1").datasetTypes()).containsExactly("bias");
    assertThat(registry.collectionSummary("r1").governors())
        .isEqualTo(Map.of("instrument", List.of("Cam1")));
    assertThat(registry.collectionSummary("both").governors().get("instrument"))
        .containsExactly("Cam1", "Cam2");
    registry.registerCollection("empty", CollectionType.TAGGED, null);
    assertThat(registry.collectionSummary("empty").datasetTypes()).isEmpty();
  }

  @Test
  void chainEditsParentsAndUnlinkingRemoval() {
    for (String r : List.of("a", "b", "c")) {
      registry.registerCollection(r, CollectionType.RUN, null);
    }
    registry.registerCollection("chain", CollectionType.CHAINED, null);
    registry.registerCollection("other", CollectionType.CHAINED, null);
    registry.setChain("chain", List.of("b"));
    registry.prependChain("chain", List.of("a"));
    registry.extendChain("chain", List.of("c"));
    assertThat(registry.chain("chain")).containsExactly("a", "b", "c");
    registry.prependChain("chain", List.of("c"));
    assertThat(registry.chain("chain")).containsExactly("c", "a", "b");
    registry.removeFromChain("chain", List.of("a", "zzz-not-there"));
    assertThat(registry.chain("chain")).containsExactly("c", "b");
    registry.setChain("other", List.of("b"));
    assertThat(registry.parentChains("b")).containsExactly("chain", "other");
    assertThatThrownBy(() -> registry.extendChain("chain", List.of("chain")))
        .isInstanceOf(CollectionCycleException.class);
    registry.removeCollection("b", true);
    assertThat(registry.chain("chain")).containsExactly("c");
    assertThat(registry.chain("other")).isEmpty();
    assertThat(registry.collections()).containsExactly("a", "c", "chain", "other");
  }

  @Test
  void nestedTransactionsCommitTogetherAndSavepointsRollBackAlone() {
    insertCamera("Cam1", 1);
    registry.transaction(
        () -> {
          registry.registerCollection("kept", CollectionType.RUN, null);
          assertThatThrownBy(
                  () ->
                      registry.transaction(
                          () -> {
                            registry.registerCollection("inner", CollectionType.RUN, null);
                            throw new IllegalStateException("boom");
                          }))
              .hasMessage("boom");
          assertThatThrownBy(() -> registry.collectionType("inner"))
              .isInstanceOf(MissingCollectionException.class);
        });
    assertThat(registry.collections()).containsExactly("kept");
    // (Registered outside: H2 commits on DDL, and a new dataset type may create a table.)
    registry.registerDatasetType(bias());
    assertThatThrownBy(
            () ->
                registry.transaction(
                    () -> {
                      registry.registerCollection("lost", CollectionType.RUN, null);
                      registry.insertDatasets(
                          "bias", List.of(det("Cam1", 1)), "lost", DatasetIdGenerationMode.UNIQUE);
                      throw new IllegalStateException("datastore write failed");
                    }))
        .hasMessage("datastore write failed");
    assertThat(registry.collections()).containsExactly("kept");
    assertThat(registry.datasetAssociations("bias", List.of("kept"))).isEmpty();
    // A failing insert inside a transaction rolls back to its savepoint; the outer work stays.
    registry.transaction(
        () -> {
          registry.insertDatasets(
              "bias", List.of(det("Cam1", 1)), "kept", DatasetIdGenerationMode.UNIQUE);
          assertThatThrownBy(
                  () ->
                      registry.insertDatasets(
                          "bias", List.of(det("Cam1", 1)), "kept", DatasetIdGenerationMode.UNIQUE))
              .isInstanceOf(ConflictingDefinitionException.class);
        });
    assertThat(registry.findDataset("bias", det("Cam1", 1), List.of("kept"))).isPresent();
  }

  @Test
  void overLongNamesAndValuesAreClearErrorsAndChangeNothing() {
    assertThatThrownBy(
            () ->
                registry.registerDatasetType(
                    DatasetType.of("x".repeat(129), u.group("detector"), "ExposureF")))
        .isInstanceOf(RuntimeException.class)
        .hasMessageContaining("128");
    assertThatThrownBy(
            () ->
                registry.insertDimensionRecords(
                    "instrument",
                    List.of(
                        DimensionRecord.of(
                            u.element("instrument"), Map.of("name", "I".repeat(500))))))
        .isInstanceOf(RuntimeException.class)
        .hasMessageContaining("500");
    assertThat(registry.fetchDimensionRecords("instrument")).isEmpty();
    assertThat(registry.datasetTypes()).isEmpty();
  }

  // ------------------------------------------------------------ concurrency

  /**
   * Several writers, each with its own connection, insert into one RUN and edit one chain at the
   * same time: every dataset and every chain edit must survive.
   */
  @Test
  void concurrentWritersLoseNothing() throws Exception {
    int writers = 4;
    int each = 15;
    insertCamera("Cam1", writers * each);
    registry.registerDatasetType(bias());
    registry.registerCollection("shared", CollectionType.RUN, null);
    registry.registerCollection("all", CollectionType.CHAINED, null);
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(writers);
    try {
      List<java.util.concurrent.Future<?>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        int first = w * each + 1;
        String mine = "tag" + w;
        done.add(
            pool.submit(
                () -> {
                  try (Registry r = Registries.open(url)) {
                    r.registerCollection(mine, CollectionType.TAGGED, null);
                    r.registerCollection("shared", CollectionType.RUN, null);
                    for (int d = first; d < first + each; d++) {
                      r.insertDatasets(
                          "bias",
                          List.of(det("Cam1", d)),
                          "shared",
                          DatasetIdGenerationMode.UNIQUE);
                    }
                    r.extendChain("all", List.of(mine));
                  }
                  return null;
                }));
      }
      for (var f : done) {
        f.get(120, java.util.concurrent.TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(registry.datasetAssociations("bias", List.of("shared"))).hasSize(writers * each);
    assertThat(registry.chain("all")).containsExactlyInAnyOrder("tag0", "tag1", "tag2", "tag3");
  }

  /** Large inserts take the bulk path on SQLite: references are checked once per value. */
  @Test
  void largeInsertsNameAMissingValueAndLeaveNothingBehind() {
    insertCamera("Cam1", 150);
    registry.registerDatasetType(bias());
    registry.registerCollection("run", CollectionType.RUN, null);
    List<DataCoordinate> ids = new ArrayList<>();
    for (int d = 1; d <= 150; d++) {
      ids.add(det("Cam1", d));
    }
    ids.add(det("Cam1", 151));
    assertThatThrownBy(
            () -> registry.insertDatasets("bias", ids, "run", DatasetIdGenerationMode.UNIQUE))
        .isInstanceOf(InvalidDataIdException.class)
        .hasMessageContaining("no detector record with detector=151 for instrument='Cam1'");
    assertThat(registry.datasetAssociations("bias", List.of("run"))).isEmpty();
    ids.remove(ids.size() - 1);
    registry.insertDatasets("bias", ids, "run", DatasetIdGenerationMode.UNIQUE);
    assertThat(registry.datasetAssociations("bias", List.of("run"))).hasSize(150);
    assertThat(registry.findDataset("bias", det("Cam1", 77), List.of("run"))).isPresent();
  }
}
