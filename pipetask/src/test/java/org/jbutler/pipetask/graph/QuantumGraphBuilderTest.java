package org.jbutler.pipetask.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jbutler.butler.Butler;
import org.jbutler.butler.testing.Records;
import org.jbutler.datastore.Box;
import org.jbutler.datastore.Header;
import org.jbutler.datastore.ImageF;
import org.jbutler.pipetask.Cam1Repo;
import org.jbutler.pipetask.PrerequisiteMissingException;
import org.jbutler.pipetask.examples.IsrLikeTask;
import org.jbutler.pipetask.examples.ScaleTask;
import org.jbutler.pipetask.examples.SumTask;
import org.jbutler.pipetask.graph.file.QuantumGraphFile;
import org.jbutler.pipetask.pipeline.Pipeline;
import org.jbutler.pipetask.pipeline.PipelineGraph;
import org.jbutler.registry.Registry;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exact graphs on a small real repository: Cam1 with detectors 1-2, exposures 1-2 on night 1, 3 on
 * night 2 and 4 (no raws) on night 2; a bias per detector certified for each night.
 */
class QuantumGraphBuilderTest {

  @TempDir Path dir;
  Butler butler;
  final Map<String, DatasetRef> bias = new java.util.HashMap<>();
  static final long NIGHT1 = Cam1Repo.NIGHT1;
  static final long NIGHT2 = Cam1Repo.NIGHT2;

  @BeforeEach
  void repository() {
    butler = Cam1Repo.create(dir.resolve("repo"), bias);
  }

  @AfterEach
  void close() {
    butler.close();
  }

  private PipelineGraph pipeline(String tasks) {
    return PipelineGraph.build(
        Pipeline.fromYaml("description: test\ntasks:\n" + tasks), butler.registry());
  }

  private static final String SCALE_SUM =
      "  scale: "
          + ScaleTask.class.getName()
          + "\n  sum:\n    class: "
          + SumTask.class.getName()
          + "\n    config: {useBias: false}\n";

  private QuantumGraph build(PipelineGraph p, String where, String constraint) {
    return build(p, where, constraint, List.of(), false);
  }

  private QuantumGraph build(
      PipelineGraph p, String where, String constraint, List<String> skip, boolean clobber) {
    return QuantumGraphBuilder.build(
        p,
        butler.registry(),
        new QuantumGraphBuilder.Request(
            List.of("raw/run", "calib"),
            "out/run",
            null,
            where,
            Map.of(),
            constraint,
            skip,
            clobber,
            "test"));
  }

  @Test
  void oneToOneAndGather() {
    QuantumGraph g = build(pipeline(SCALE_SUM), "instrument = 'Cam1'", "all");
    assertThat(g.quantaPerTask()).containsExactly(Map.entry("scale", 6), Map.entry("sum", 3));
    Map<Object, QuantumGraph.Quantum> sums = new java.util.HashMap<>();
    List<DatasetRef> scaledOutputs = new ArrayList<>();
    for (QuantumGraph.Quantum q : g.quanta()) {
      assertThat(q.id().version()).isEqualTo(7);
      if (q.taskLabel().equals("sum")) {
        sums.put(q.dataId().value("exposure"), q);
      } else {
        scaledOutputs.addAll(q.outputs().get("scaled"));
        assertThat(q.outputs()).containsKeys("_metadata", "_log");
        assertThat(q.inputs().get("exposure")).hasSize(1);
        assertThat(q.inputs().get("exposure").get(0).run()).isEqualTo("raw/run");
      }
    }
    // The gather reads exactly the two predicted outputs of its exposure's scale quanta.
    List<DatasetRef> exp1 = sums.get(1L).inputs().get("images");
    assertThat(exp1).hasSize(2).allMatch(scaledOutputs::contains);
    assertThat(exp1).allMatch(r -> r.dataId().value("exposure").equals(1L));
    assertThat(exp1).allMatch(r -> r.run().equals("out/run"));
    assertThat(g.initQuanta())
        .extracting(QuantumGraph.InitQuantum::taskLabel)
        .containsExactly("scale", "sum", "");
    assertThat(g.initQuanta().get(1).initOutputs()).containsKeys("_config", "schema");
    assertThat(g.datasetsPerType()).containsEntry("scaled", 6).containsEntry("raw", 6);
    // The records the data IDs use, and only those: exposures 1-3 (4 has no raws), 2 detectors.
    assertThat(
            g.records().stream()
                .filter(r -> r.element().name().equals("exposure"))
                .map(r -> r.dataId().value("exposure")))
        .containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(g.records().stream().filter(r -> r.element().name().equals("detector"))).hasSize(2);
    assertThat(g.records().stream().map(r -> r.element().name()).distinct())
        .contains("instrument", "physical_filter", "day_obs", "group");
    // A data query narrows every task.
    QuantumGraph one = build(pipeline(SCALE_SUM), "instrument = 'Cam1' AND exposure = 2", "all");
    assertThat(one.quantaPerTask()).containsExactly(Map.entry("scale", 2), Map.entry("sum", 1));
  }

  @Test
  void calibrationsAreFoundForEachExposuresNight() {
    QuantumGraph g =
        build(
            pipeline("  isr: " + IsrLikeTask.class.getName() + "\n"), "instrument = 'Cam1'", "all");
    assertThat(g.quanta()).hasSize(6);
    for (QuantumGraph.Quantum q : g.quanta()) {
      long e = (Long) q.dataId().value("exposure");
      long d = (Long) q.dataId().value("detector");
      assertThat(q.inputs().get("bias")).containsExactly(bias.get((e <= 2 ? 1 : 2) + "/" + d));
    }
  }

  @Test
  void missingPrerequisitesNameTheTaskDataIdAndCollections() {
    butler.registry().decertify("calib", "bias", Timespan.from(NIGHT2), null);
    assertThatThrownBy(
            () ->
                build(
                    pipeline("  isr: " + IsrLikeTask.class.getName() + "\n"),
                    "instrument = 'Cam1'",
                    "all"))
        .isInstanceOf(PrerequisiteMissingException.class)
        .hasMessageContaining("Task 'isr'")
        .hasMessageContaining("exposure")
        .hasMessageContaining("bias")
        .hasMessageContaining("Collections searched: [raw/run, calib]");
    // Optional (minimum 0): the quanta of night 2 simply have no bias.
    QuantumGraph g =
        build(
            pipeline(
                "  isr:\n    class: "
                    + IsrLikeTask.class.getName()
                    + "\n    config: {biasMinimum: 0}\n"),
            "instrument = 'Cam1'",
            "all");
    assertThat(g.quanta()).filteredOn(q -> q.inputs().get("bias").isEmpty()).hasSize(2);
  }

  @Test
  void minimumPruningPropagatesDownstream() {
    // Without the dataset constraint, exposure 4 (no raws) has quanta that find no input.
    QuantumGraph g = build(pipeline(SCALE_SUM), "instrument = 'Cam1'", "off");
    assertThat(g.quantaPerTask()).containsExactly(Map.entry("scale", 6), Map.entry("sum", 3));
    assertThat(g.quanta()).noneMatch(q -> q.dataId().value("exposure").equals(4L));
  }

  @Test
  void emptyGraphsExplainWhy() {
    assertThatThrownBy(
            () -> build(pipeline(SCALE_SUM), "instrument = 'Cam1' AND exposure = 99", "all"))
        .isInstanceOf(QuantumGraphBuilder.EmptyGraphException.class)
        .hasMessageStartingWith("The quantum graph is empty");
    butler.registry().registerCollection("empty/run", CollectionType.RUN, null);
    assertThatThrownBy(
            () ->
                QuantumGraphBuilder.build(
                    pipeline(SCALE_SUM),
                    butler.registry(),
                    new QuantumGraphBuilder.Request(
                        List.of("empty/run"),
                        "out/run",
                        null,
                        "",
                        Map.of(),
                        "all",
                        List.of(),
                        false,
                        "")))
        .hasMessageContaining("no 'raw' datasets in the input collections [empty/run]");
  }

  @Test
  void skipExistingAndClobber() {
    PipelineGraph p = pipeline(SCALE_SUM);
    QuantumGraph first = build(p, "instrument = 'Cam1'", "all");
    // "Run" one scale quantum: write its output and its metadata.
    QuantumGraph.Quantum done =
        first.quanta().stream()
            .filter(q -> q.taskLabel().equals("scale"))
            .findFirst()
            .orElseThrow();
    for (DatasetType t :
        List.of(first.datasetTypes().get("scaled"), first.datasetTypes().get("scale_metadata"))) {
      butler.registry().registerDatasetType(t);
    }
    DatasetRef scaled = done.outputs().get("scaled").get(0);
    butler.put(new ImageF(new Box(0, 0, 2, 1), new float[] {1, 2}, new Header()), scaled);
    butler.put(Map.of("ok", true), done.outputs().get("_metadata").get(0));
    // Without skip or clobber: the existing output is an error naming it.
    assertThatThrownBy(() -> build(p, "instrument = 'Cam1'", "all"))
        .isInstanceOf(ConflictingDefinitionException.class)
        .hasMessageContaining("Output scaled")
        .hasMessageContaining("already exists in the output run 'out/run'");
    // Skipping: that quantum is done; its existing output feeds the gather.
    QuantumGraph skipped = build(p, "instrument = 'Cam1'", "all", List.of("out/run"), false);
    assertThat(skipped.quantaPerTask()).containsEntry("scale", 5).containsEntry("sum", 3);
    assertThat(skipped.quanta())
        .filteredOn(q -> q.taskLabel().equals("sum"))
        .flatExtracting(q -> q.inputs().get("images"))
        .contains(scaled);
    // Clobbering: the quantum runs again and reuses the output's ID.
    QuantumGraph clobbered = build(p, "instrument = 'Cam1'", "all", List.of(), true);
    assertThat(clobbered.quantaPerTask()).containsEntry("scale", 6);
    assertThat(clobbered.quanta())
        .flatExtracting(q -> q.outputs().getOrDefault("scaled", List.of()))
        .contains(scaled);
  }

  @Test
  void savedGraphsLoadBackIdenticalAndOneQuantumAlone() throws Exception {
    QuantumGraph g =
        build(
            pipeline(SCALE_SUM + "  isr: " + IsrLikeTask.class.getName() + "\n"),
            "instrument = 'Cam1'",
            "all");
    Path file = dir.resolve("g.qgraph");
    QuantumGraphFile.write(g, butler.registry().universe(), file);
    QuantumGraph back = QuantumGraphFile.read(file);
    assertThat(back.quanta()).isEqualTo(g.quanta());
    assertThat(back.header()).isEqualTo(g.header());
    assertThat(back.initQuanta()).isEqualTo(g.initQuanta());
    assertThat(back.records()).isEqualTo(g.records());
    assertThat(back.datasetTypes()).isEqualTo(g.datasetTypes());
    assertThat(back.pipelineYaml()).isEqualTo(g.pipelineYaml());
    try (org.jbutler.pipetask.graph.file.QuantumGraphReader r = QuantumGraphFile.open(file)) {
      for (QuantumGraph.Quantum q :
          List.of(g.quanta().get(0), g.quanta().get(g.quanta().size() - 1))) {
        assertThat(r.quantum(q.id())).isEqualTo(q);
      }
      assertThat(r.header()).containsEntry("n_quanta", g.quanta().size());
      java.util.UUID absent = org.jbutler.schema.DatasetIds.newUnique();
      assertThatThrownBy(() -> r.quantum(absent)).hasMessageContaining("has no quantum " + absent);
    }
    // Not a graph; another major version; a truncated file.
    Path text = dir.resolve("text.qgraph");
    java.nio.file.Files.writeString(text, "hello, this is not a graph");
    assertThatThrownBy(() -> QuantumGraphFile.read(text))
        .hasMessageContaining("is not a jbutler quantum graph");
    byte[] bytes = java.nio.file.Files.readAllBytes(file);
    bytes[9] = 9; // major version 9
    Path future = dir.resolve("future.qgraph");
    java.nio.file.Files.write(future, bytes);
    assertThatThrownBy(() -> QuantumGraphFile.read(future))
        .hasMessageContaining("format 9.")
        .hasMessageContaining("reads format 1.x");
    Path cut = dir.resolve("cut.qgraph");
    java.nio.file.Files.write(
        cut, java.util.Arrays.copyOf(java.nio.file.Files.readAllBytes(file), 200));
    assertThatThrownBy(() -> QuantumGraphFile.read(cut))
        .isInstanceOf(org.jbutler.schema.exceptions.DamagedDataException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void aDamagedGraphFileIsSaidToBeDamagedWhereverTheDamageIs() throws Exception {
    QuantumGraph g = build(pipeline(SCALE_SUM), "instrument = 'Cam1'", "all");
    Path file = dir.resolve("g.qgraph");
    QuantumGraphFile.write(g, butler.registry().universe(), file);
    byte[] good = java.nio.file.Files.readAllBytes(file);
    java.util.UUID one = g.quanta().get(0).id();
    // 16 bytes flipped 40 bytes before the end (inside the index), then in every other place.
    for (int at : new int[] {good.length - 40, good.length / 2, good.length / 3, 200}) {
      byte[] bad = good.clone();
      for (int i = at; i < at + 16 && i < bad.length; i++) {
        bad[i] = (byte) ~bad[i];
      }
      Path damaged = dir.resolve("damaged-" + at + ".qgraph");
      java.nio.file.Files.write(damaged, bad);
      assertThatThrownBy(() -> QuantumGraphFile.read(damaged))
          .as("damage at byte " + at)
          .isInstanceOf(org.jbutler.schema.exceptions.DamagedDataException.class)
          .hasMessageContaining("is damaged");
      if (at == good.length - 40) {
        // One quantum read alone checks the index it searches (other quanta's blocks are not
        // read, so damage there is not its concern).
        assertThatThrownBy(() -> QuantumGraphFile.subgraph(damaged, List.of(one)))
            .isInstanceOf(org.jbutler.schema.exceptions.DamagedDataException.class)
            .hasMessageContaining("'index' section fails its checksum");
      }
    }
  }

  @Test
  void graphFilesOfFormatOneZeroWithoutChecksumsStillRead() throws Exception {
    QuantumGraph g = build(pipeline(SCALE_SUM), "instrument = 'Cam1'", "all");
    Path file = dir.resolve("g.qgraph");
    QuantumGraphFile.write(g, butler.registry().universe(), file);
    // Rewrite as format 1.0: the same sections, a table without the CRC after each length.
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(java.nio.file.Files.readAllBytes(file));
    in.position(8 + 2);
    assertThat(in.getShort()).isEqualTo((short) 1);
    int n = in.getInt();
    List<String> names = new ArrayList<>();
    List<long[]> spans = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] name = new byte[in.getShort()];
      in.get(name);
      names.add(new String(name, java.nio.charset.StandardCharsets.UTF_8));
      spans.add(new long[] {in.getLong(), in.getLong()});
      in.getInt();
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.DataOutputStream d = new java.io.DataOutputStream(out);
    d.write("JBQGRAPH".getBytes(java.nio.charset.StandardCharsets.US_ASCII)); // the format's magic
    d.writeShort(1);
    d.writeShort(0);
    d.writeInt(n);
    for (int i = 0; i < n; i++) {
      d.writeUTF(names.get(i));
      d.writeLong(spans.get(i)[0] - 4L * n);
      d.writeLong(spans.get(i)[1]);
    }
    byte[] all = in.array();
    d.write(all, (int) spans.get(0)[0], all.length - (int) spans.get(0)[0]);
    Path old = dir.resolve("old.qgraph");
    java.nio.file.Files.write(old, out.toByteArray());
    assertThat(QuantumGraphFile.read(old).quanta()).isEqualTo(g.quanta());
    assertThat(QuantumGraphFile.subgraph(old, List.of(g.quanta().get(1).id())).quanta())
        .containsExactly(g.quanta().get(1));
  }

  @Test
  void largeGraphsResolveInParallelAndLinkEveryGatherInput(@TempDir Path other) {
    // 30 exposures x 100 detectors: 3,000 quanta of one task, above the parallel threshold.
    try (Butler big = Butler.create(other.resolve("big"), Map.of(), null)) {
      Registry r = big.registry();
      Records.insert(r, "instrument", Map.of("name", "Big"));
      Records.insert(r, "physical_filter", Map.of("instrument", "Big", "name", "r", "band", "r"));
      Records.insert(r, "day_obs", Map.of("instrument", "Big", "id", 20260101));
      Records.insert(r, "group", Map.of("instrument", "Big", "name", "g"));
      var u = r.universe();
      List<DimensionRecord> dets = new ArrayList<>();
      for (int d = 0; d < 100; d++) {
        dets.add(
            DimensionRecord.of(
                u.element("detector"), Map.of("instrument", "Big", "id", d, "full_name", "D" + d)));
      }
      r.insertDimensionRecords("detector", dets);
      List<DimensionRecord> exps = new ArrayList<>();
      List<org.jbutler.schema.dimensions.DataCoordinate> ids = new ArrayList<>();
      var group = u.group("exposure", "detector");
      for (int e = 0; e < 30; e++) {
        exps.add(
            DimensionRecord.of(
                u.element("exposure"),
                Map.of(
                    "instrument",
                    "Big",
                    "id",
                    e,
                    "obs_id",
                    "E" + e,
                    "physical_filter",
                    "r",
                    "group",
                    "g",
                    "day_obs",
                    20260101)));
        for (int d = 0; d < 100; d++) {
          ids.add(org.jbutler.schema.dimensions.DataCoordinate.ofRequired(group, "Big", d, e));
        }
      }
      r.insertDimensionRecords("exposure", exps);
      r.registerDatasetType(DatasetType.of("raw", group, "ImageI"));
      r.registerCollection("raw/run", CollectionType.RUN, null);
      r.insertDatasets("raw", ids, "raw/run", org.jbutler.schema.DatasetIdGenerationMode.UNIQUE);
      PipelineGraph p =
          PipelineGraph.build(
              Pipeline.fromYaml(
                  "description: t\ninstrument: Big\ntasks:\n  noop: "
                      + org.jbutler.pipetask.tasks.NoopTask.class.getName()
                      + "\n  noopSum: "
                      + org.jbutler.pipetask.tasks.NoopSumTask.class.getName()
                      + "\n"),
              r);
      QuantumGraph g =
          QuantumGraphBuilder.build(
              p,
              r,
              new QuantumGraphBuilder.Request(
                  List.of("raw/run"), "out", null, "", Map.of(), "all", List.of(), false, "t"));
      assertThat(g.quantaPerTask())
          .containsExactly(Map.entry("noop", 3000), Map.entry("noopSum", 30));
      Map<java.util.UUID, Object> producedFor = new java.util.HashMap<>();
      java.util.Set<java.util.UUID> quantumIds = new java.util.HashSet<>();
      for (QuantumGraph.Quantum q : g.quanta()) {
        assertThat(quantumIds.add(q.id())).isTrue();
        if (q.taskLabel().equals("noop")) {
          DatasetRef out = q.outputs().get("output").get(0);
          assertThat(producedFor.put(out.id(), q.dataId().value("exposure"))).isNull();
        }
      }
      for (QuantumGraph.Quantum q : g.quanta()) {
        if (q.taskLabel().equals("noopSum")) {
          List<DatasetRef> in = q.inputs().get("inputs");
          assertThat(in).hasSize(100);
          assertThat(in)
              .allMatch(ref -> q.dataId().value("exposure").equals(producedFor.get(ref.id())));
        }
      }
    }
  }

  @Test
  void graphRecordsExpandRequiredOnlyDataIdsThroughImpliedElements() {
    QuantumGraph g = build(pipeline(SCALE_SUM), "instrument = 'Cam1'", "all");
    GraphRecords records = new GraphRecords(g, null);
    QuantumGraph.Quantum q =
        g.quanta().stream().filter(x -> x.taskLabel().equals("scale")).findFirst().orElseThrow();
    DatasetRef raw = q.inputs().get("exposure").get(0);
    org.jbutler.schema.dimensions.DataCoordinate requiredOnly =
        org.jbutler.schema.dimensions.DataCoordinate.ofRequired(
            raw.dataId().dimensions(), raw.dataId().requiredValues().toArray());
    org.jbutler.schema.dimensions.DataCoordinate e = records.expand(requiredOnly);
    // exposure -> physical_filter -> band: each implied value and its record.
    assertThat(e.hasFull()).isTrue();
    assertThat(e.value("band")).isEqualTo("r");
    assertThat(e.records()).containsKeys("exposure", "physical_filter", "detector", "day_obs");
    // The same data ID with all its values expands the same (one cache entry for both).
    assertThat(records.expand(q.dataId()).records()).containsKeys("physical_filter");
  }
}
