package org.jbutler.datastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.DatastoreRecords;
import org.jbutler.schema.StorageClassFactory;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.jbutler.schema.exceptions.DatasetNotFoundException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link Datastore} promises (put/get/ingest/trash/verify on real files), run against
 * each place its records can live: the SQL registry ({@link SqlRecordsDatastoreTest}) and an
 * in-memory fake with the same transaction rules ({@link MemoryRecordsDatastoreTest}). An object
 * store datastore adds a subclass.
 */
abstract class DatastoreContractTest {

  static final DimensionUniverse U = DimensionUniverse.defaultUniverse();

  /** The dataset types the tests use. */
  static final List<DatasetType> TYPES =
      List.of(
          DatasetType.of("bias", U.group("detector"), "ImageF"),
          DatasetType.of("calexp", U.group("detector"), "ExposureF"),
          DatasetType.of("src", U.group("detector"), "ArrowTable"),
          DatasetType.of("summary", U.group("detector"), "StructuredDataDict"),
          DatasetType.of("config", U.group("instrument"), "Config"),
          DatasetType.of("blob", U.group("detector"), "Bytes"));

  /**
   * Where the datastore's records live and how datasets are registered: instrument Cam1 with
   * detectors 1-3 (full names D1-D3) and the {@link #TYPES}.
   */
  interface Backend extends AutoCloseable {
    /** The records the datastore is given. */
    DatastoreRecords records();

    /**
     * Registers a dataset of a type with an expanded data ID in a run (made if new).
     *
     * @param detector 0 for a type with only the instrument
     */
    DatasetRef register(String type, int detector, String run);

    /** The registered datasets of a type in a run. */
    List<DatasetRef> registered(String type, String run);

    @Override
    void close();
  }

  /** Makes the backend, in a fresh directory. */
  abstract Backend backend(Path dir);

  @TempDir Path dir;
  private Backend backend;
  private FileDatastore store;
  private Path root;

  @BeforeEach
  void setUp() {
    backend = backend(dir);
    root = dir.resolve("datastore");
    store = datastore(null);
  }

  private FileDatastore datastore(String checksum) {
    return new FileDatastore(
        root,
        backend.records(),
        FileTemplates.defaults(),
        Formatters.defaults(),
        StorageClassFactory.defaults(),
        checksum);
  }

  @AfterEach
  void tearDown() {
    backend.close();
  }

  /** Registers a dataset with an expanded data ID (as the butler does before a put). */
  private DatasetRef register(String type, int detector) {
    return backend.register(type, detector, "run");
  }

  private static ImageF image(int w, int h) {
    float[] p = new float[w * h];
    for (int i = 0; i < p.length; i++) {
      p[i] = i * 0.5f;
    }
    return new ImageF(new Box(0, 0, w, h), p, new Header().set("OBSID", "x"));
  }

  @Test
  void everyFormatterRoundTripsAndReadsPartsAlone() {
    DatasetRef bias = register("bias", 1);
    ImageF img = image(50, 40);
    store.put(img, bias);
    assertThat(store.get(bias, Map.of())).isEqualTo(img);
    assertThat(store.path(bias))
        .startsWith(root)
        .hasToString(root.resolve("run/bias/bias_Cam1_D1_run.fits").toString());
    ImageF cut = (ImageF) store.get(bias, Map.of("bbox", new Box(10, 5, 4, 3)));
    assertThat(cut.at(0, 0)).isEqualTo(img.at(10, 5));
    assertThatThrownBy(() -> store.get(bias, Map.of("columns", List.of("x"))))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("does not understand the read parameter 'columns'");

    DatasetRef calexp = register("calexp", 1);
    Exposure e =
        new Exposure(
            img,
            new ImageI(img.bbox(), new int[2000], new Header()),
            img,
            new Header().set("A", 1L));
    store.put(e, calexp);
    assertThat(store.get(calexp, Map.of())).isEqualTo(e);
    DatasetRef metadataRef = calexp.makeComponentRef("metadata", "PropertyList");
    assertThat(store.get(metadataRef, Map.of())).isEqualTo(e.metadata());

    DatasetRef src = register("src", 1);
    Map<String, Object> cols = new LinkedHashMap<>();
    cols.put("id", new long[] {1, 2});
    cols.put("flux", new double[] {3.5, 4.5});
    store.put(new ColumnarTable(cols, new Header()), src);
    ColumnarTable subset = (ColumnarTable) store.get(src, Map.of("columns", List.of("flux")));
    assertThat(subset.names()).containsExactly("flux");

    DatasetRef summary = register("summary", 1);
    Map<String, Object> data = Map.of("n", 3, "names", List.of("a", "b"));
    store.put(data, summary);
    assertThat(store.get(summary, Map.of())).isEqualTo(data);
    assertThat(store.path(summary).toString()).endsWith(".json");

    DatasetRef config = register("config", 0);
    store.put(Map.of("doThing", true), config);
    assertThat(store.path(config).toString()).endsWith(".yaml");
    assertThat(store.get(config, Map.of())).isEqualTo(Map.of("doThing", true));

    DatasetRef blob = register("blob", 1);
    store.put(new byte[] {1, 2, 3}, blob);
    assertThat((byte[]) store.get(blob, Map.of())).containsExactly(1, 2, 3);
    assertThat(store.verify().ok()).isTrue();
  }

  @Test
  void aFailedPutLeavesNeitherFilesNorRows() throws Exception {
    DatasetRef bias = register("bias", 1);
    // The formatter fails: wrong object type.
    assertThatThrownBy(() -> store.put("not an image", bias))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("writes Image");
    assertThat(backend.records().records(bias.id())).isEmpty();
    assertThat(store.verify().unreferenced()).isEmpty();
    // The registry fails: the dataset is not registered.
    DatasetRef ghost =
        new DatasetRef(bias.datasetType(), bias.dataId(), "run", java.util.UUID.randomUUID());
    assertThatThrownBy(() -> store.put(image(4, 4), ghost))
        .isInstanceOf(DatasetNotFoundException.class);
    assertThat(store.verify().unreferenced()).isEmpty();
    // The caller's transaction fails after the put: the file goes with the rows.
    assertThatThrownBy(
            () ->
                backend
                    .records()
                    .transaction(
                        () -> {
                          DatasetRef r = register("bias", 2);
                          store.put(image(4, 4), r);
                          assertThat(store.exists(r)).isTrue();
                          throw new IllegalStateException("later step failed");
                        }))
        .hasMessage("later step failed");
    assertThat(backend.registered("bias", "run")).containsExactly(bias);
    assertThat(store.verify().ok()).isTrue();
    // A second put to the same path is refused and changes nothing.
    store.put(image(4, 4), bias);
    assertThatThrownBy(() -> store.put(image(4, 4), bias))
        .isInstanceOf(ConflictingDefinitionException.class);
    assertThat(store.get(bias, Map.of())).isEqualTo(image(4, 4));
  }

  @Test
  void crc32cIsRecordedAndVerifyWithChecksumsFindsSameSizeDamage() throws Exception {
    FileDatastore recorded =
        new FileDatastore(
            root,
            backend.records(),
            FileTemplates.defaults(),
            Formatters.defaults(),
            StorageClassFactory.defaults(),
            FileDatastore.DEFAULT_CHECKSUM,
            false);
    DatasetRef a = register("blob", 1);
    recorded.put(new byte[] {1, 2, 3, 4}, a);
    java.util.zip.CRC32C expected = new java.util.zip.CRC32C();
    expected.update(new byte[] {1, 2, 3, 4});
    assertThat(backend.records().records(a.id()).get(0).checksum())
        .isEqualTo(String.format("crc32c:%08x", expected.getValue()));
    assertThat(recorded.verify(true).ok()).isTrue();
    Files.write(recorded.path(a), new byte[] {1, 2, 3, 5}); // same size, other bytes
    assertThat(recorded.verify(false).ok()).isTrue(); // sizes only: not seen
    Datastore.VerifyReport report = recorded.verify(true);
    assertThat(report.damaged()).singleElement().asString().contains("checksum differs");
    // Not checked at get (a cut-out reads a part of a file; a checksum needs all of it).
    assertThat(recorded.get(a, Map.of())).isEqualTo(new byte[] {1, 2, 3, 5});
  }

  @Test
  void getChecksSizeAndChecksumAndReportsMissingFiles() throws Exception {
    FileDatastore checked = datastore("SHA-256");
    DatasetRef a = register("blob", 1);
    checked.put(new byte[] {1, 2, 3, 4}, a);
    assertThat(backend.records().records(a.id()).get(0).checksum()).startsWith("sha-256:");
    assertThat(checked.verify(a)).isTrue();
    Files.write(checked.path(a), new byte[] {1, 2, 3, 5});
    assertThat(checked.verify(a)).isFalse(); // same size, other bytes
    assertThatThrownBy(() -> checked.get(a, Map.of()))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("checksum");
    Files.write(checked.path(a), new byte[] {1, 2});
    assertThatThrownBy(() -> store.get(a, Map.of()))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("size 2, recorded 4");
    Files.delete(checked.path(a));
    assertThatThrownBy(() -> store.get(a, Map.of()))
        .isInstanceOf(DatasetNotFoundException.class)
        .hasMessageContaining("missing");
    assertThat(store.verify().missing()).hasSize(1);
  }

  @Test
  void ingestTransferModes() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("incoming"));
    Map<Datastore.Transfer, Integer> detector =
        Map.of(
            Datastore.Transfer.COPY, 1,
            Datastore.Transfer.MOVE, 2,
            Datastore.Transfer.SYMLINK, 3);
    for (var entry : detector.entrySet()) {
      Path f = outside.resolve(entry.getKey() + ".bin");
      Files.write(f, new byte[] {7, 8});
      DatasetRef r = register("blob", entry.getValue());
      store.ingest(List.of(r), List.of(f), entry.getKey());
      assertThat((byte[]) store.get(r, Map.of())).containsExactly(7, 8);
      Path stored = store.path(r);
      assertThat(stored).startsWithRaw(root);
      switch (entry.getKey()) {
        case COPY -> assertThat(f).exists();
        case MOVE -> assertThat(f).doesNotExist();
        default -> assertThat(Files.isSymbolicLink(stored)).isTrue();
      }
    }
    // direct: the record holds the absolute path, nothing is copied.
    Path external = outside.resolve("external.bin");
    Files.write(external, new byte[] {9});
    DatasetRef direct = backend.register("blob", 1, "run2");
    store.ingest(List.of(direct), List.of(external), Datastore.Transfer.DIRECT);
    assertThat(store.path(direct)).isEqualTo(external.toAbsolutePath());
    // A failed ingest (the second file is missing) leaves nothing: no rows, no copies, the moved
    // file is back where it was.
    List<DatasetRef> two =
        List.of(backend.register("blob", 1, "run3"), backend.register("blob", 2, "run3"));
    Path first = outside.resolve("first.bin");
    Files.write(first, new byte[] {1});
    assertThatThrownBy(
            () ->
                store.ingest(
                    two, List.of(first, outside.resolve("absent.bin")), Datastore.Transfer.MOVE))
        .isInstanceOf(DatasetNotFoundException.class)
        .hasMessageContaining("absent.bin");
    assertThat(first).exists();
    assertThat(backend.records().records(two.get(0).id())).isEmpty();
    assertThat(store.verify().unreferenced()).isEmpty();
  }

  /** Files are placed several at once; one that cannot be placed undoes all the others. */
  @Test
  void aFailureWhilePlacingManyFilesUndoesEveryOne() throws Exception {
    List<DatasetRef> refs = new java.util.ArrayList<>();
    for (String run : List.of("p1", "p2")) {
      for (int d = 1; d <= 3; d++) {
        refs.add(backend.register("blob", d, run));
      }
    }
    Path outside = Files.createDirectories(dir.resolve("incoming"));
    List<Path> sources = new java.util.ArrayList<>();
    for (int i = 0; i < refs.size(); i++) {
      Path f = outside.resolve("f" + i + ".bin");
      Files.write(f, new byte[] {(byte) i});
      sources.add(f);
    }
    // A plain file where the last dataset's directory has to be.
    Path blocker = root.resolve(store.pathFor(refs.get(5))).getParent();
    Files.createDirectories(blocker.getParent());
    Files.writeString(blocker, "in the way");
    assertThatThrownBy(() -> store.ingest(refs, sources, Datastore.Transfer.MOVE))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining(blocker.toString());
    for (Path f : sources) {
      assertThat(f).exists(); // every moved file went back
    }
    for (DatasetRef r : refs) {
      assertThat(backend.records().records(r.id())).isEmpty();
    }
    assertThat(store.verify().unreferenced()).containsExactly(root.relativize(blocker).toString());
  }

  @Test
  void linkModesPointAtTheOriginal() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("links"));
    Datastore.Transfer[] modes = {
      Datastore.Transfer.RELSYMLINK, Datastore.Transfer.HARDLINK, Datastore.Transfer.LINK
    };
    for (int i = 0; i < modes.length; i++) {
      Path f = outside.resolve(modes[i] + ".bin");
      Files.write(f, new byte[] {(byte) i});
      DatasetRef r = register("blob", i + 1);
      store.ingest(List.of(r), List.of(f), modes[i]);
      Path stored = store.path(r);
      assertThat((byte[]) store.get(r, Map.of())).containsExactly((byte) i);
      if (modes[i] == Datastore.Transfer.RELSYMLINK) {
        assertThat(Files.readSymbolicLink(stored).isAbsolute()).isFalse();
      } else {
        assertThat(Files.isSameFile(stored, f)).isTrue();
      }
    }
    // AUTO: a file already inside the root is recorded where it is.
    Path inside = Files.createDirectories(root.resolve("preexisting")).resolve("x.bin");
    Files.write(inside, new byte[] {42});
    DatasetRef auto = backend.register("blob", 1, "auto");
    store.ingest(List.of(auto), List.of(inside), Datastore.Transfer.AUTO);
    assertThat(store.path(auto)).isEqualTo(inside);
    assertThat(backend.records().records(auto.id()).get(0).path()).isEqualTo("preexisting/x.bin");
  }

  @Test
  void trashDeletesAFileOnlyWhenNoRecordReferencesItAndVerifyFindsStrays() throws Exception {
    DatasetRef a = register("blob", 1);
    DatasetRef b = register("blob", 2);
    Path shared = Files.createDirectories(root.resolve("shared")).resolve("both.bin");
    Files.write(shared, new byte[] {5});
    store.ingest(List.of(a, b), List.of(shared, shared), Datastore.Transfer.NONE);
    store.trash(List.of(a));
    assertThat(store.emptyTrash()).isZero();
    assertThat(shared).exists();
    assertThat(store.exists(a)).isFalse();
    store.trash(List.of(b));
    assertThat(store.emptyTrash()).isEqualTo(1);
    assertThat(shared).doesNotExist();
    Files.writeString(root.resolve(".jbutler-tmp-123.fits"), "left by a crash");
    assertThat(store.verify().unreferenced()).containsExactly(".jbutler-tmp-123.fits");
  }
}
