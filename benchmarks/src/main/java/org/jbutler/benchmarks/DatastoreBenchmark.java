package org.jbutler.benchmarks;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import org.jbutler.datastore.Box;
import org.jbutler.datastore.FileDatastore;
import org.jbutler.datastore.FileTemplates;
import org.jbutler.datastore.Formatters;
import org.jbutler.datastore.Header;
import org.jbutler.datastore.ImageF;
import org.jbutler.registry.Registries;
import org.jbutler.registry.Registry;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.StorageClassFactory;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;

/**
 * The datastore figures of the Datastore issue, on a SQLite repository: put then get of a 4096 x
 * 4096 float32 image against a plain FileChannel write (with force) and read of the same bytes; a
 * 100 x 100 cut-out against a full get; and 10,000 small JSON puts into one run, each in its own
 * transaction as a butler put is.
 */
final class DatastoreBenchmark implements Benchmark {

  private static final int SIZE = 4096;

  @Override
  public String name() {
    return "datastore";
  }

  @Override
  public String description() {
    return "put/get a 4096^2 float32 image vs FileChannel; cut-out vs full get; 10k JSON puts";
  }

  @Override
  public void run(Reporter reporter) throws Exception {
    Harness.inTempDir(dir -> measure(reporter, dir));
  }

  private void measure(Reporter reporter, Path dir) throws Exception {
    DimensionUniverse u = DimensionUniverse.defaultUniverse();
    try (Registry registry = Registries.create("jdbc:sqlite:" + dir.resolve("gen3.sqlite3"), u)) {
      registry.insertDimensionRecords(
          "instrument",
          List.of(DimensionRecord.of(u.element("instrument"), Map.of("name", "SimCam"))));
      int n = 10_000;
      List<DimensionRecord> detectors = new java.util.ArrayList<>();
      for (int d = 0; d < n; d++) {
        detectors.add(
            DimensionRecord.of(
                u.element("detector"),
                Map.of("instrument", "SimCam", "id", d, "full_name", "D" + d)));
      }
      registry.insertDimensionRecords("detector", detectors);
      registry.registerDatasetType(DatasetType.of("image", u.group("detector"), "ImageF"));
      registry.registerDatasetType(
          DatasetType.of("summary", u.group("detector"), "StructuredDataDict"));
      // What a repository records by default: a CRC-32C of every file put.
      FileDatastore store = store(dir, registry, FileDatastore.DEFAULT_CHECKSUM);
      float[] pixels = new float[SIZE * SIZE];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (float) Math.sin(i * 1e-3);
      }
      ImageF image = new ImageF(new Box(0, 0, SIZE, SIZE), pixels, new Header().set("A", 1L));
      double mb = pixels.length * 4 / 1e6;
      DataCoordinate det =
          registry.expandDataId(Map.of("instrument", "SimCam", "detector", 0), u.group("detector"));
      int[] runs = {0};
      DatasetRef[] last = new DatasetRef[1];
      double put = putSeconds(registry, store, image, det, runs, last);
      ByteBuffer bytes = ByteBuffer.allocateDirect(pixels.length * 4).order(ByteOrder.BIG_ENDIAN);
      bytes.asFloatBuffer().put(pixels);
      Path plain = dir.resolve("plain.bin");
      double rawWrite =
          Harness.medianSeconds(
              1,
              5,
              () -> {
                Files.deleteIfExists(plain);
                try (FileChannel c =
                    FileChannel.open(
                        plain, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                  ByteBuffer b = bytes.duplicate();
                  b.rewind();
                  while (b.hasRemaining()) {
                    c.write(b);
                  }
                  c.force(true);
                }
              });
      reporter.rate(
          "datastore.put_4096sq_float32", mb / put, "MB/s", "filechannel_write", mb / rawWrite);
      // The same without the checksum: what recording it costs.
      FileDatastore unchecked = store(dir, registry, null);
      double putUnchecked = putSeconds(registry, unchecked, image, det, runs, new DatasetRef[1]);
      reporter.rate(
          "datastore.put_4096sq_float32_no_checksum",
          mb / putUnchecked,
          "MB/s",
          "filechannel_write",
          mb / rawWrite);
      DatasetRef ref = last[0];
      double get = Harness.medianSeconds(1, 5, () -> store.get(ref, Map.of()));
      double rawRead =
          Harness.medianSeconds(
              1,
              5,
              () -> {
                ByteBuffer b = ByteBuffer.allocateDirect(pixels.length * 4);
                try (FileChannel c = FileChannel.open(plain, StandardOpenOption.READ)) {
                  while (b.hasRemaining() && c.read(b) >= 0) {
                    // read all
                  }
                }
                b.flip();
                float[] back = new float[pixels.length];
                b.order(ByteOrder.BIG_ENDIAN).asFloatBuffer().get(back);
              });
      reporter.rate(
          "datastore.get_4096sq_float32", mb / get, "MB/s", "filechannel_read", mb / rawRead);
      double cut =
          Harness.medianSeconds(
              3, 21, () -> store.get(ref, Map.of("bbox", new Box(2000, 2000, 100, 100))));
      reporter.time("datastore.cutout_100sq_of_4096sq", cut * 1e3, "ms", "full_get", get * 1e3);

      registry.registerCollection("json", CollectionType.RUN, null);
      long start = System.nanoTime();
      for (int i = 0; i < n; i++) {
        int k = i;
        DataCoordinate d = DataCoordinate.ofRequired(u.group("detector"), "SimCam", k);
        registry.transaction(
            () -> {
              DatasetRef r =
                  registry
                      .insertDatasets("summary", List.of(d), "json", DatasetIdGenerationMode.UNIQUE)
                      .get(0);
              store.put(Map.of("i", k, "name", "metadata"), r);
            });
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      // Baseline: the file work alone, no registry: write a temp file, fsync, rename.
      Path plainDir = Files.createDirectories(dir.resolve("plain-json"));
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        Path tmp = plainDir.resolve(".tmp" + i);
        try (FileChannel c =
            FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
          c.write(ByteBuffer.wrap(("{\"i\": " + i + ", \"name\": \"metadata\"}").getBytes()));
          c.force(true);
        }
        Files.move(tmp, plainDir.resolve(i + ".json"));
      }
      double plainSeconds = (System.nanoTime() - t0) / 1e9;
      reporter.rate(
          "datastore.put_10k_json",
          n / seconds,
          "datasets/s",
          "plain_write_fsync_rename",
          n / plainSeconds);
    }
  }

  /** Median seconds to put the image as a new dataset in a new run, each in one transaction. */
  private static double putSeconds(
      org.jbutler.registry.Registry registry,
      FileDatastore store,
      ImageF image,
      DataCoordinate det,
      int[] runs,
      DatasetRef[] last)
      throws Exception {
    return Harness.medianSeconds(
        1,
        5,
        () -> {
          String run = "img" + runs[0]++;
          registry.registerCollection(run, CollectionType.RUN, null);
          registry.transaction(
              () -> {
                DatasetRef r =
                    registry
                        .insertDatasets("image", List.of(det), run, DatasetIdGenerationMode.UNIQUE)
                        .get(0);
                store.put(image, r);
                last[0] = r;
              });
        });
  }

  private static FileDatastore store(
      Path dir, org.jbutler.registry.Registry registry, String checksum) {
    return new FileDatastore(
        dir.resolve("datastore"),
        registry.datastoreRecords(),
        FileTemplates.of(Map.of("default", "{run:/}/{datasetType}/{id}")),
        Formatters.defaults(),
        StorageClassFactory.defaults(),
        checksum,
        false);
  }
}
