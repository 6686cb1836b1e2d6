package org.jbutler.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jbutler.schema.CollectionCycleException;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.CollectionTypeException;
import org.jbutler.schema.ConflictingDefinitionException;
import org.jbutler.schema.DataCoordinate;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.DimensionRecord;
import org.jbutler.schema.DimensionUniverse;
import org.jbutler.schema.InvalidConfigException;
import org.jbutler.schema.InvalidDataIdException;
import org.jbutler.schema.InvalidNameException;
import org.jbutler.schema.MissingCollectionException;
import org.jbutler.schema.MissingDatasetTypeException;
import org.jbutler.schema.Timespan;
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
          .hasMessageContaining("read-only");
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
}
