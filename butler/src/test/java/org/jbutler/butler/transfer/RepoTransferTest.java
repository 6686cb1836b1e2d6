package org.jbutler.butler.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.jbutler.butler.Butler;
import org.jbutler.butler.testing.Records;
import org.jbutler.datastore.Datastore;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.Times;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export, import into an empty repository, export again: the same datasets, IDs and records. */
class RepoTransferTest {

  @TempDir Path dir;

  private Butler source() {
    Butler b = Butler.create(dir.resolve("source"), Map.of(), null);
    var u = b.registry().universe();
    Records.instrumentWithDetectors(b.registry(), "Cam1", 2);
    Records.insert(
        b.registry(),
        "day_obs",
        Map.of(
            "instrument",
            "Cam1",
            "id",
            20260101,
            "timespan",
            Timespan.of(
                Times.parseLiteral("2026-01-01T12:00:00"),
                Times.parseLiteral("2026-01-02T12:00:00"))));
    b.registry().registerDatasetType(DatasetType.calibration("bias", u.group("detector"), "Bytes"));
    b.registry()
        .registerDatasetType(DatasetType.of("notes", u.group("detector"), "StructuredDataDict"));
    for (int d = 1; d <= 2; d++) {
      b.put(
          new byte[] {(byte) d}, "bias", Map.of("instrument", "Cam1", "detector", d), "calib/run");
      b.put(Map.of("d", d), "notes", Map.of("instrument", "Cam1", "detector", d), "notes/run");
    }
    b.registry().registerCollection("calib", CollectionType.CALIBRATION, "certified");
    b.registry()
        .certify(
            "calib",
            b.registry().queryDatasets("bias", List.of("calib/run"), DataQuery.all()).toList(),
            Timespan.from(Times.parseLiteral("2026-01-01T00:00:00")));
    b.registry().registerCollection("best", CollectionType.TAGGED, null);
    b.registry()
        .associate(
            "best",
            b.registry()
                .queryDatasets(
                    "notes",
                    List.of("notes/run"),
                    DataQuery.where("detector = 2 AND instrument = 'Cam1'"))
                .toList());
    b.registry().registerCollection("all", CollectionType.CHAINED, null);
    b.registry().setChain("all", List.of("best", "notes/run", "calib"));
    return b;
  }

  private static List<DatasetRef> everything(Butler b) {
    return b.registry().queryDatasets("*", List.of("*/run"), DataQuery.all()).toList();
  }

  /** A Progress that records what it was told. */
  private static final class Recorder implements org.jbutler.schema.Progress {
    final Map<String, long[]> bars = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public Bar start(String task, long total) {
      long[] state = {total, 0, 0};
      bars.put(task, state);
      return new Bar() {
        @Override
        public void step(long n) {
          synchronized (state) {
            state[1] += n;
          }
        }

        @Override
        public void close() {
          state[2] = 1;
        }
      };
    }
  }

  @Test
  void longOperationsReportProgress() {
    Recorder progress = new Recorder();
    try (Butler b = source()) {
      b.setProgress(progress);
      List<DatasetRef> refs = everything(b);
      RepoTransfer.export(b, refs, List.of(), dir.resolve("export"));
      b.datastore().verify();
      try (Butler target = Butler.create(dir.resolve("target"), Map.of(), null)) {
        target.setProgress(progress);
        RepoTransfer.importFrom(
            target, dir.resolve("export"), null, Datastore.Transfer.COPY, false);
        // The import's own bar, not one per group from the datastore.
        assertThat(progress.bars).doesNotContainKey("Ingesting files");
      }
      try (Butler third = Butler.create(dir.resolve("third"), Map.of(), null)) {
        third.setProgress(progress);
        third.transferFrom(b, refs, Datastore.Transfer.COPY, true, true);
      }
    }
    for (String task :
        List.of(
            "Exporting files", "Verifying artifacts", "Importing datasets", "Ingesting files")) {
      assertThat(progress.bars).containsKey(task);
      long[] state = progress.bars.get(task);
      assertThat(state[2]).as(task + " closed").isEqualTo(1);
      assertThat(state[1]).as(task + " steps").isEqualTo(state[0]).isEqualTo(4);
    }
  }

  @Test
  void roundTripKeepsIdsCollectionsRecordsAndFiles() throws Exception {
    Path exported;
    List<DatasetRef> original;
    try (Butler b = source()) {
      original = everything(b);
      exported =
          RepoTransfer.export(b, original, List.of("calib", "best", "all"), dir.resolve("export"));
    }
    String text = Files.readString(exported);
    assertThat(text)
        .contains("version: 1.0.2")
        .contains("!uuid")
        .contains("!lsst.daf.butler.Timespan")
        .contains("begin: !butler_time/tai/iso '2026-01-01 00:00:37.000000000'");
    try (Butler target = Butler.create(dir.resolve("target"), Map.of(), null)) {
      RepoTransfer.ImportSummary s =
          RepoTransfer.importFrom(
              target, dir.resolve("export"), null, Datastore.Transfer.COPY, false);
      assertThat(s.datasets()).isEqualTo(4);
      assertThat(Set.copyOf(everything(target))).isEqualTo(Set.copyOf(original));
      assertThat(target.registry().chain("all")).containsExactly("best", "notes/run", "calib");
      assertThat(target.registry().collectionDocumentation("calib")).isEqualTo("certified");
      assertThat(target.registry().queryDatasets("notes", List.of("best"), DataQuery.all()).count())
          .isEqualTo(1);
      try (Butler reader =
          Butler.open(target.root(), new Butler.Options(List.of("calib"), null, Map.of()))) {
        var found =
            reader
                .registry()
                .findDataset(
                    "bias",
                    org.jbutler.schema.dimensions.DataCoordinate.ofRequired(
                        target.registry().universe().group("detector"), "Cam1", 1),
                    List.of("calib"),
                    Timespan.instant(Times.parseLiteral("2026-06-01T00:00:00")));
        assertThat(found).isPresent();
        assertThat((byte[]) reader.get(found.get(), Map.of())).containsExactly(1);
      }
      assertThat(target.datastore().verify().ok()).isTrue();
      // Exporting again gives the same datasets and records.
      Path again =
          RepoTransfer.export(
              target, everything(target), List.of("calib", "best", "all"), dir.resolve("export2"));
      assertThat(datasetIds(Files.readString(again))).isEqualTo(datasetIds(text));
      // Importing the same file twice is idempotent for datasets.
      RepoTransfer.importFrom(target, dir.resolve("export"), null, null, false);
      assertThat(everything(target)).hasSize(4);
    }
  }

  private static Set<String> datasetIds(String yaml) {
    return yaml.lines()
        .filter(l -> l.contains("!uuid"))
        .map(String::trim)
        .collect(Collectors.toSet());
  }

  @Test
  void exportingAChainCarriesEveryCollectionItReaches() {
    try (Butler b = source()) {
      b.registry().registerCollection("empty/run", CollectionType.RUN, null);
      b.registry().registerCollection("outer", CollectionType.CHAINED, null);
      b.registry().setChain("outer", List.of("all", "empty/run"));
      List<DatasetRef> refs =
          b.registry().queryDatasets("*", List.of("outer"), DataQuery.all()).toList();
      RepoTransfer.export(
          b, List.copyOf(new java.util.LinkedHashSet<>(refs)), List.of("outer"), dir.resolve("x"));
    }
    try (Butler target = Butler.create(dir.resolve("target"), Map.of(), null)) {
      RepoTransfer.importFrom(target, dir.resolve("x"), null, Datastore.Transfer.COPY, false);
      var r = target.registry();
      assertThat(r.chain("outer")).containsExactly("all", "empty/run");
      assertThat(r.chain("all")).containsExactly("best", "notes/run", "calib");
      assertThat(r.collectionType("calib")).isEqualTo(CollectionType.CALIBRATION);
      assertThat(r.collectionType("best")).isEqualTo(CollectionType.TAGGED);
      assertThat(r.collectionType("empty/run")).isEqualTo(CollectionType.RUN);
      assertThat(r.collectionDocumentation("calib")).isEqualTo("certified");
      assertThat(r.datasetAssociations("bias", List.of("calib")))
          .hasSize(2)
          .allSatisfy(
              a ->
                  assertThat(a.timespan())
                      .isEqualTo(Timespan.from(Times.parseLiteral("2026-01-01T00:00:00"))));
      assertThat(r.queryDatasets("notes", List.of("best"), DataQuery.all()).toList())
          .extracting(d -> d.dataId().value("detector"))
          .containsExactly(2L);
      // Through the imported chain, the calibration lookup works as in the source.
      assertThat(
              r.findDataset(
                  "bias",
                  org.jbutler.schema.dimensions.DataCoordinate.standardize(
                      Map.of("instrument", "Cam1", "detector", 1), r.universe().group("detector")),
                  List.of("outer"),
                  Timespan.of(
                      Times.parseLiteral("2026-01-01T13:00:00"),
                      Times.parseLiteral("2026-01-01T13:01:00"))))
          .isPresent();
    }
  }

  @Test
  void legacyFormsAreRead() throws Exception {
    Path exp = Files.createDirectories(dir.resolve("legacy"));
    Files.write(exp.resolve("b.bin"), new byte[] {9});
    Files.writeString(
        exp.resolve("export.yaml"),
        String.join(
            "\n",
            "description: Butler Data Repository Export",
            "version: 0",
            "universe_version: 7",
            "data:",
            "- type: dimension",
            "  element: instrument",
            "  records:",
            "  - {name: Cam1, visit_max: 1024, detector_max: 4, class_name: x.Y}",
            "- type: dimension",
            "  element: detector",
            "  records:",
            "  - {instrument: Cam1, id: 1, full_name: Aa, raft: A, name_in_raft: a, purpose: SCIENCE}",
            "- type: run",
            "  name: imported_g",
            "- type: dataset_type",
            "  name: bias",
            "  dimensions: [instrument, detector]",
            "  storage_class: Bytes",
            "  is_calibration: true",
            "- type: dataset",
            "  dataset_type: bias",
            "  run: imported_g",
            "  records:",
            "  - dataset_id: !uuid 'e15ab039-bc8b-4135-87c5-90902a7c0b22'",
            "    data_id: {instrument: Cam1, detector: 1}",
            "    path: b.bin",
            ""));
    try (Butler target = Butler.create(dir.resolve("t"), Map.of(), null)) {
      RepoTransfer.importFrom(target, exp, null, Datastore.Transfer.COPY, false);
      DatasetRef ref =
          target
              .registry()
              .findDataset(java.util.UUID.fromString("e15ab039-bc8b-4135-87c5-90902a7c0b22"))
              .orElseThrow();
      assertThat(ref.run()).isEqualTo("imported_g");
      assertThat((byte[]) target.get(ref, Map.of())).containsExactly(9);
    }
  }

  @Test
  void aBadEntryLeavesTheRepositoryAsItWas() throws Exception {
    try (Butler b = source()) {
      RepoTransfer.export(b, everything(b), List.of("calib"), dir.resolve("export"));
    }
    Path yaml = dir.resolve("export/export.yaml");
    String text = Files.readString(yaml);
    Files.writeString(
        yaml,
        text.replaceFirst("storage_class: StructuredDataDict", "storage_class: NoSuchClass")
            .replace("dataset_type: notes", "dataset_type: nonexistent"));
    try (Butler target = Butler.create(dir.resolve("target"), Map.of(), null)) {
      assertThatThrownBy(
              () ->
                  RepoTransfer.importFrom(
                      target, dir.resolve("export"), null, Datastore.Transfer.COPY, false))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageContaining("Import failed at data entry")
          .hasMessageContaining("nonexistent")
          .hasMessageContaining("Nothing was imported");
      assertThat(target.registry().collections()).isEmpty();
      assertThat(target.registry().fetchDimensionRecords("detector")).isEmpty();
      assertThat(target.datastore().verify().unreferenced()).isEmpty();
    }
    Files.writeString(yaml, "version: 1.0.2\ndata: [ {type: dataset, records: [\n");
    try (Butler target = Butler.open(dir.resolve("target"), Butler.Options.none())) {
      assertThatThrownBy(
              () -> RepoTransfer.importFrom(target, dir.resolve("export"), null, null, false))
          .isInstanceOf(InvalidConfigException.class)
          .hasMessageContaining("Cannot parse")
          .hasMessageContaining("export.yaml");
    }
    Files.writeString(yaml, "version: 2.0.0\ndata: []\n");
    try (Butler target = Butler.open(dir.resolve("target"), Butler.Options.none())) {
      assertThatThrownBy(
              () -> RepoTransfer.importFrom(target, dir.resolve("export"), null, null, false))
          .hasMessageContaining("export format version 2.0.0");
    }
  }
}
