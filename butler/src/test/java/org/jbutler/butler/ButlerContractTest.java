package org.jbutler.butler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jbutler.butler.testing.TestCamera;
import org.jbutler.datastore.Box;
import org.jbutler.datastore.Datastore;
import org.jbutler.datastore.Header;
import org.jbutler.datastore.ImageF;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.jbutler.schema.exceptions.DatasetNotFoundException;
import org.jbutler.schema.exceptions.MissingDatasetTypeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Butler} and {@link LimitedButler} promises, written against the interfaces
 * only: a remote client or a quantum-backed butler adds a subclass that says how to make one (and,
 * for a limited butler, {@link #limited}). The repository holds the {@link TestCamera} with two
 * detectors and one exposure, and the dataset types {@code calexp} (ImageF) and {@code summary}
 * (StructuredDataDict) per detector.
 */
abstract class ButlerContractTest {

  /**
   * Makes a butler on a new repository under {@code dir}, with {@code run} as its default run and
   * collection.
   */
  abstract Butler newButler(Path dir, String run);

  /** The limited view a quantum would use; the butler itself unless a subclass says otherwise. */
  LimitedButler limited(Butler butler) {
    return butler;
  }

  @TempDir Path dir;
  Butler butler;

  @BeforeEach
  void setUp() {
    butler = newButler(dir, "run");
    butler.registry().registerCollection("run", CollectionType.RUN, null);
    TestCamera.insert(butler.registry(), 2);
    TestCamera.exposure(butler.registry(), 1, 1, 1);
    var u = butler.registry().universe();
    butler.registry().registerDatasetType(DatasetType.of("calexp", u.group("detector"), "ImageF"));
    butler
        .registry()
        .registerDatasetType(DatasetType.of("summary", u.group("detector"), "StructuredDataDict"));
  }

  @AfterEach
  void tearDown() {
    butler.close();
  }

  private static Map<String, Object> detector(int d) {
    return Map.of("instrument", TestCamera.NAME, "detector", d);
  }

  private static ImageF image(float v) {
    return new ImageF(
        new Box(0, 0, 4, 3), new float[] {v, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}, new Header());
  }

  /** A ref for a dataset not yet written, as a quantum graph predicts it. */
  private DatasetRef predicted(String type, int d, String run) {
    DatasetType t = butler.registry().datasetType(type);
    return new DatasetRef(
        t, DataCoordinate.standardize(detector(d), t.dimensions()), run, UUID.randomUUID());
  }

  @Test
  void putThenGetByDataIdAndByRefWithParameters() {
    DatasetRef ref = butler.put(image(42), "calexp", detector(1), "run");
    assertThat(ref.run()).isEqualTo("run");
    assertThat(butler.get("calexp", detector(1), Map.of())).isEqualTo(image(42));
    assertThat(butler.get(ref, Map.of())).isEqualTo(image(42));
    ImageF cut = (ImageF) butler.get(ref, Map.of("bbox", new Box(1, 1, 2, 2)));
    assertThat(cut.at(0, 0)).isEqualTo(image(42).at(1, 1));
    assertThat(butler.exists(ref)).isTrue();
    assertThat(butler.findDataset("calexp", detector(1), List.of("run"))).contains(ref);
    assertThat(butler.uri(ref)).startsWith(butler.root());
  }

  @Test
  @SuppressWarnings("deprecation")
  void theOldNamesStillWorkThisRelease() {
    DatasetRef ref = butler.put(image(1), "calexp", detector(1), "run");
    assertThat(butler.getURI(ref)).isEqualTo(butler.uri(ref));
    assertThat(butler.datastore().getPath(ref)).isEqualTo(butler.datastore().path(ref));
  }

  @Test
  void unstoreKeepsTheDatasetAndDisassociateLeavesItsRun() {
    DatasetRef ref = butler.put(image(2), "calexp", detector(1), "run");
    butler.registry().registerCollection("tagged", CollectionType.TAGGED, null);
    butler.registry().associate("tagged", List.of(ref));
    butler.disassociate("tagged", List.of(ref));
    assertThat(
            butler.registry().queryDatasets("calexp", List.of("tagged"), DataQuery.all()).toList())
        .isEmpty();
    assertThat(butler.exists(ref)).isTrue();
    butler.unstore(List.of(ref));
    assertThat(butler.registry().findDataset(ref.id())).contains(ref);
    assertThat(butler.exists(ref)).isFalse(); // no artifact
  }

  @Test
  void readingWhatIsNotThereNamesIt() {
    assertThatThrownBy(() -> butler.get("calexp", detector(1), Map.of()))
        .isInstanceOf(DatasetNotFoundException.class)
        .hasMessageContaining("calexp");
    assertThatThrownBy(() -> butler.get("nope", detector(1), Map.of()))
        .isInstanceOf(MissingDatasetTypeException.class)
        .hasMessageContaining("nope");
    DatasetRef ghost = predicted("calexp", 1, "run");
    assertThat(butler.exists(ghost)).isFalse();
    assertThat(limited(butler).exists(ghost)).isFalse();
  }

  @Test
  void aPredictedRefIsStoredUnderItsOwnIdAndOnlyOnce() {
    DatasetRef p = predicted("calexp", 2, "out");
    DatasetRef stored = limited(butler).put(image(7), p);
    assertThat(stored.id()).isEqualTo(p.id());
    assertThat(limited(butler).get(p, Map.of())).isEqualTo(image(7));
    assertThatThrownBy(() -> limited(butler).put(image(8), p))
        .isInstanceOf(ConflictingDefinitionException.class);
    assertThat(limited(butler).get(p, Map.of())).isEqualTo(image(7)); // unchanged
  }

  /** A quantum's outputs appear together or not at all. */
  @Test
  void stagedDatasetsAreRecordedAllOrNone() {
    LimitedButler l = limited(butler);
    DatasetRef a = predicted("calexp", 1, "out");
    DatasetRef b = predicted("summary", 1, "out");
    Datastore.Written wa = l.stage(image(1), expand(a));
    Datastore.Written wb = l.stage(Map.of("n", 1), expand(b));
    assertThat(l.exists(a)).isFalse(); // staged is not visible
    l.registerWritten(List.of(wa, wb));
    assertThat(l.exists(a)).isTrue();
    assertThat(l.get(b, Map.of())).isEqualTo(Map.of("n", 1));
    // A second batch whose second member conflicts (its ID is taken): neither appears.
    DatasetRef c = predicted("calexp", 2, "out");
    Datastore.Written wc = l.stage(image(2), expand(c));
    DatasetRef clash =
        new DatasetRef(
            b.datasetType(), expand(predicted("summary", 2, "out")).dataId(), "out", a.id());
    Datastore.Written wd = l.stage(Map.of("n", 2), clash);
    assertThatThrownBy(() -> l.registerWritten(List.of(wc, wd)))
        .isInstanceOf(ConflictingDefinitionException.class);
    assertThat(l.exists(c)).isFalse();
    assertThat(butler.registry().queryDatasets("calexp", List.of("out"), DataQuery.all()).toList())
        .containsExactly(a);
  }

  @Test
  void purgeRemovesTheDatasetAndItsArtifact() throws Exception {
    DatasetRef ref = butler.put(image(3), "calexp", detector(1), "run");
    Path file = butler.uri(ref);
    assertThat(file).exists();
    limited(butler).purge(List.of(ref));
    assertThat(limited(butler).exists(ref)).isFalse();
    assertThat(Files.exists(file)).isFalse();
    assertThat(butler.findDataset("calexp", detector(1), List.of("run"))).isEmpty();
  }

  @Test
  void aTransactionThatFailsLeavesNoDatasetsAndNoFiles() {
    assertThatThrownBy(
            () ->
                butler.transaction(
                    () -> {
                      butler.put(image(5), "calexp", detector(1), "run");
                      butler.put(Map.of("k", "v"), "summary", detector(1), "run");
                      throw new IllegalStateException("a later step failed");
                    }))
        .hasMessage("a later step failed");
    assertThat(butler.findDataset("calexp", detector(1), List.of("run"))).isEmpty();
    assertThat(butler.findDataset("summary", detector(1), List.of("run"))).isEmpty();
    assertThat(butler.datastore().verify().ok()).isTrue(); // no stray files
  }

  private DatasetRef expand(DatasetRef r) {
    return new DatasetRef(
        r.datasetType(),
        butler.registry().expandDataId(r.dataId().required(), r.datasetType().dimensions()),
        r.run(),
        r.id());
  }
}
