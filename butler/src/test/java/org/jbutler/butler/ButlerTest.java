package org.jbutler.butler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jbutler.datastore.Box;
import org.jbutler.datastore.Datastore;
import org.jbutler.datastore.Header;
import org.jbutler.datastore.ImageF;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.Times;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.jbutler.schema.exceptions.DatasetNotFoundException;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A repository created, filled, moved and read back through the Butler API. */
class ButlerTest {

  @TempDir Path dir;

  private static void camera(Butler b) {
    DimensionUniverse u = b.registry().universe();
    b.registry()
        .insertDimensionRecords(
            "instrument",
            List.of(DimensionRecord.of(u.element("instrument"), Map.of("name", "Cam1"))));
    b.registry()
        .insertDimensionRecords(
            "detector",
            List.of(
                DimensionRecord.of(
                    u.element("detector"),
                    Map.of("instrument", "Cam1", "id", 1, "full_name", "S11"))));
    b.registry()
        .insertDimensionRecords(
            "physical_filter",
            List.of(
                DimensionRecord.of(
                    u.element("physical_filter"),
                    Map.of("instrument", "Cam1", "name", "r", "band", "r"))));
    b.registry()
        .insertDimensionRecords(
            "day_obs",
            List.of(
                DimensionRecord.of(
                    u.element("day_obs"), Map.of("instrument", "Cam1", "id", 20260101))));
    b.registry()
        .insertDimensionRecords(
            "group",
            List.of(
                DimensionRecord.of(u.element("group"), Map.of("instrument", "Cam1", "name", "g"))));
    long t0 = Times.parseLiteral("2026-01-01T03:00:00");
    b.registry()
        .insertDimensionRecords(
            "exposure",
            List.of(
                DimensionRecord.of(
                    u.element("exposure"),
                    Map.of(
                        "instrument",
                        "Cam1",
                        "id",
                        5,
                        "obs_id",
                        "E5",
                        "physical_filter",
                        "r",
                        "group",
                        "g",
                        "day_obs",
                        20260101,
                        "timespan",
                        Timespan.of(t0, t0 + 30_000_000_000L)))));
  }

  private static ImageF image() {
    float[] p = new float[20 * 10];
    for (int i = 0; i < p.length; i++) {
      p[i] = i;
    }
    return new ImageF(new Box(0, 0, 20, 10), p, new Header().set("OBSID", "E5"));
  }

  @Test
  void createPutGetReopenAndMove() throws Exception {
    Path repo = dir.resolve("repo");
    try (Butler b = Butler.create(repo, Map.of(), null)) {
      camera(b);
      b.registry()
          .registerDatasetType(
              DatasetType.of(
                  "calexp", b.registry().universe().group("exposure", "detector"), "ExposureF"));
      b.registry()
          .registerDatasetType(
              DatasetType.of(
                  "bkg", b.registry().universe().group("exposure", "detector"), "ImageF"));
    }
    assertThat(Files.readString(repo.resolve("butler.yaml"))).contains("<butlerRoot>");
    DatasetRef ref;
    try (Butler b = Butler.open(repo, Butler.Options.run("u/me/run1"))) {
      ref =
          b.put(
              image(),
              "bkg",
              Map.of("instrument", "Cam1", "exposure.obs_id", "E5", "detector.full_name", "S11"));
      assertThat(ref.dataId().required())
          .isEqualTo(Map.of("instrument", "Cam1", "detector", 1L, "exposure", 5L));
      assertThat(b.uri(ref).toString()).contains("E5").contains("S11").endsWith(".fits");
      assertThat(b.get("bkg", Map.of("instrument", "Cam1", "exposure", 5, "detector", 1), Map.of()))
          .isEqualTo(image());
      ImageF cut =
          (ImageF)
              b.get(
                  "bkg",
                  Map.of("instrument", "Cam1", "exposure", 5, "detector", 1),
                  Map.of("bbox", new Box(3, 2, 4, 4)));
      assertThat(cut.at(0, 0)).isEqualTo(image().at(3, 2));
      assertThat(
              b.get(
                  "bkg.metadata",
                  Map.of("instrument", "Cam1", "exposure", 5, "detector", 1),
                  Map.of()))
          .isEqualTo(new Header().set("OBSID", "E5"));
      assertThat(b.exists(ref)).isTrue();
      // A failed transaction leaves neither rows nor files of the puts inside it.
      Path[] written = new Path[1];
      assertThatThrownBy(
              () ->
                  b.transaction(
                      () -> {
                        DatasetRef inner =
                            b.put(
                                image(),
                                "bkg",
                                Map.of("instrument", "Cam1", "exposure", 5, "detector", 1),
                                "u/me/scratch");
                        written[0] = b.uri(inner);
                        assertThat(written[0]).exists();
                        throw new IllegalStateException("stop");
                      }))
          .hasMessage("stop");
      assertThat(written[0]).doesNotExist();
      assertThatThrownBy( // the run registered inside went too
              () ->
                  b.findDataset(
                      "bkg",
                      Map.of("instrument", "Cam1", "exposure", 5, "detector", 1),
                      List.of("u/me/scratch")))
          .isInstanceOf(org.jbutler.schema.exceptions.MissingCollectionException.class);
      assertThat(b.existence(ref, true)).isEqualTo(new Butler.DatasetExistence(true, true, true));
      // Read as another storage class: ImageF as ImageD (pixel type), refused for a table.
      var asDouble = (org.jbutler.datastore.ImageD) b.get(ref, Map.of(), "ImageD");
      assertThat(asDouble.get(3, 2)).isEqualTo(image().at(3, 2));
      assertThat(b.get(ref, Map.of(), "ImageF")).isEqualTo(image());
      assertThatThrownBy(() -> b.get(ref, Map.of(), "ArrowTable"))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageContaining("cannot be read as ArrowTable");
      assertThatThrownBy(() -> b.get(ref, Map.of(), "NoSuchClass"))
          .hasMessageContaining("Unknown storage class");
      assertThatThrownBy(
              () ->
                  b.get(
                      "bkg", Map.of("instrument", "Cam1", "exposure", 5, "detector", 9), Map.of()))
          .hasMessageContaining("no detector record with detector=9");
    }
    // The repository can move: <butlerRoot> stands for wherever it is now.
    Path moved = dir.resolve("elsewhere");
    Files.move(repo, moved);
    try (Butler b =
        Butler.open(
            moved.resolve("butler.yaml"),
            new Butler.Options(List.of("u/me/run1"), null, Map.of("instrument", "Cam1")))) {
      assertThat(b.get(ref, Map.of())).isEqualTo(image());
      assertThat(b.get("bkg", Map.of("exposure", 5, "detector", 1), Map.of())).isEqualTo(image());
      assertThat(b.datastore().verify().ok()).isTrue();
      Files.write(b.uri(ref), new byte[] {1});
      assertThat(b.existence(ref, false)).isEqualTo(new Butler.DatasetExistence(true, true, false));
      assertThat(b.existence(ref, true).verified()).isFalse();
      Files.delete(b.uri(ref));
      assertThat(b.existence(ref, false).stored()).isFalse();
      assertThatThrownBy(() -> b.put(image(), "bkg", Map.of("exposure", 5, "detector", 1)))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageContaining("needs a run");
    }
  }

  @Test
  void calibrationsAreFoundAtTheExposuresTime() {
    try (Butler b = Butler.create(dir.resolve("repo"), Map.of(), null)) {
      camera(b);
      b.registry()
          .registerDatasetType(
              DatasetType.calibration("bias", b.registry().universe().group("detector"), "ImageF"));
      DatasetRef early =
          b.put(image(), "bias", Map.of("instrument", "Cam1", "detector", 1), "calib/2025");
      b.registry().registerCollection("calib", CollectionType.CALIBRATION, null);
      b.registry()
          .certify(
              "calib", List.of(early), Timespan.until(Times.parseLiteral("2026-06-01T00:00:00")));
      try (Butler r = Butler.open(b.root(), new Butler.Options(List.of("calib"), null, Map.of()))) {
        // Another butler on the same repository: same universe instance, equal refs.
        assertThat(r.registry().universe()).isSameAs(b.registry().universe());
        assertThat(
                r.findDataset(
                    "bias", Map.of("instrument", "Cam1", "detector", 1, "exposure", 5), List.of()))
            .contains(early);
        assertThat(r.findDataset("bias", Map.of("instrument", "Cam1", "detector", 1), List.of()))
            .isEmpty();
      }
    }
  }

  @Test
  void ingestIsAllOrNothing() throws Exception {
    Path repo = dir.resolve("repo");
    try (Butler b = Butler.create(repo, Map.of(), null)) {
      camera(b);
      b.registry()
          .registerDatasetType(
              DatasetType.of("notes", b.registry().universe().group("detector"), "Bytes"));
      Path good = Files.write(dir.resolve("a.bin"), new byte[] {1});
      List<DatasetRef> refs =
          b.ingest(
              "notes",
              List.of(Map.of("instrument", "Cam1", "detector", 1)),
              List.of(good),
              "raw/ingest",
              Datastore.Transfer.COPY,
              DatasetIdGenerationMode.DATAID_TYPE_RUN);
      assertThat((byte[]) b.get(refs.get(0), Map.of())).containsExactly(1);
      assertThatThrownBy(
              () ->
                  b.ingest(
                      "notes",
                      List.of(Map.of("instrument", "Cam1", "detector", 1)),
                      List.of(dir.resolve("none.bin")),
                      "raw/other",
                      Datastore.Transfer.COPY,
                      DatasetIdGenerationMode.UNIQUE))
          .isInstanceOf(DatasetNotFoundException.class);
      assertThat(
              b.registry()
                  .queryDatasets("notes", List.of("raw/*"), org.jbutler.registry.DataQuery.all())
                  .toList())
          .containsExactly(refs.get(0));
    }
  }

  @Test
  void badRepositoriesAndPasswordsAreRefused() throws Exception {
    Path repo = dir.resolve("repo");
    Butler.create(repo, Map.of(), null).close();
    assertThatThrownBy(() -> Butler.create(repo, Map.of(), null))
        .isInstanceOf(ConflictingDefinitionException.class)
        .hasMessageContaining("already exists");
    assertThatThrownBy(() -> Butler.open(dir.resolve("nowhere"), Butler.Options.none()))
        .isInstanceOfSatisfying(
            org.jbutler.schema.exceptions.ButlerException.class,
            e ->
                assertThat(e.category())
                    .isEqualTo(org.jbutler.schema.exceptions.ButlerException.Category.MISSING))
        .hasMessageContaining("butler create");
    Path broken = dir.resolve("broken");
    Butler.create(broken, Map.of(), null).close();
    Files.writeString(broken.resolve("butler.yaml"), "registry: [unclosed\n  db: x");
    assertThatThrownBy(() -> Butler.open(broken, Butler.Options.none()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("Cannot read")
        .hasMessageContaining("butler.yaml");
    Path pg = dir.resolve("pg");
    assertThatThrownBy(
            () ->
                Butler.create(
                    pg,
                    Map.of(
                        "registry", Map.of("db", "jdbc:postgresql://h/db?user=u&password=secret")),
                    null))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("JBUTLER_DB_PASSWORD")
        .hasMessageNotContaining("secret");
    assertThat(pg.resolve("butler.yaml")).doesNotExist();
  }

  @Test
  void aFormatterAndAStorageClassComeFromTheConfigurationByName(@TempDir Path dir)
      throws Exception {
    Map<String, Object> overrides =
        Map.of(
            "storageClasses",
            Map.of("Text", Map.of("javaType", "java.lang.String")),
            "datastore",
            Map.of(
                "formatters",
                Map.of("Text", org.jbutler.butler.testing.TextFormatter.class.getName())));
    Path root = dir.resolve("ext");
    Butler.create(root, overrides, null).close();
    try (Butler b = Butler.open(root, Butler.Options.run("notes/run"))) {
      org.jbutler.butler.testing.Records.instrumentWithDetectors(b.registry(), "Cam1", 1);
      b.registry()
          .registerDatasetType(
              org.jbutler.schema.DatasetType.of(
                  "note", b.registry().universe().group("detector"), "Text"));
      org.jbutler.schema.DatasetRef ref =
          b.put("hello, sky", "note", Map.of("instrument", "Cam1", "detector", 1));
      java.nio.file.Path file = b.uri(ref);
      assertThat(file.getFileName().toString()).endsWith(".txt");
      assertThat(java.nio.file.Files.readString(file)).isEqualTo("TEXT:hello, sky");
      assertThat(b.get(ref, Map.of())).isEqualTo("hello, sky");
      assertThat(b.validateConfig()).isEmpty();
    }
    // Reopened: the formatter recorded by class name is found again.
    try (Butler b = Butler.open(root, Butler.Options.none())) {
      org.jbutler.schema.DatasetRef ref =
          b.registry()
              .queryDatasets(
                  "note", java.util.List.of("notes/run"), org.jbutler.registry.DataQuery.all())
              .toList()
              .get(0);
      assertThat(b.get(ref, Map.of())).isEqualTo("hello, sky");
    }
    Map<String, Object> bad =
        Map.of("datastore", Map.of("formatters", Map.of("Text", "com.example.NoSuchFormatter")));
    Path other = dir.resolve("bad");
    assertThatThrownBy(() -> Butler.create(other, bad, null).close())
        .hasMessageContaining("Unknown formatter 'com.example.NoSuchFormatter'");
    assertThat(other).doesNotExist(); // refused before anything was written
  }
}
