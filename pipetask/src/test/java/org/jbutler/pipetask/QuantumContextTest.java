package org.jbutler.pipetask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jbutler.butler.Butler;
import org.jbutler.butler.testing.TestCamera;
import org.jbutler.datastore.Box;
import org.jbutler.datastore.Header;
import org.jbutler.datastore.ImageF;
import org.jbutler.datastore.ImageI;
import org.jbutler.pipetask.examples.ScaleTask;
import org.jbutler.pipetask.examples.SumTask;
import org.jbutler.pipetask.pipeline.Pipeline;
import org.jbutler.pipetask.pipeline.PipelineGraph;
import org.jbutler.registry.Registry;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tasks run against a real repository through a QuantumContext; graphs checked against it. */
class QuantumContextTest {

  @TempDir Path dir;
  private Butler butler;
  private final List<DatasetRef> raws = new java.util.ArrayList<>();

  @BeforeEach
  void repository() {
    butler = Butler.create(dir.resolve("repo"), Map.of(), null);
    Registry r = butler.registry();
    var u = r.universe();
    TestCamera.insert(r, 2);
    TestCamera.exposure(r, 7, 1, -1);
    r.registerDatasetType(DatasetType.of("raw", u.group("exposure", "detector"), "ImageI"));
    for (int d = 1; d <= 2; d++) {
      int[] p = {d, 2 * d, 3 * d, 4 * d};
      raws.add(
          butler.put(
              new ImageI(new Box(0, 0, 2, 2), p, new Header()),
              "raw",
              Map.of("instrument", "Cam1", "exposure", 7, "detector", d),
              "raw/run"));
    }
  }

  @org.junit.jupiter.api.AfterEach
  void close() {
    butler.close();
  }

  private QuantumContext.Io io() {
    return new QuantumContext.Io() {
      @Override
      public Object get(DatasetRef ref, Map<String, Object> parameters) {
        return butler.get(ref, parameters);
      }

      @Override
      public void put(Object object, DatasetRef ref) {
        butler.put(object, ref);
      }
    };
  }

  @Test
  void theDefaultRunQuantumReadsRunsAndWritesOnlyItsOwnDatasets() {
    PipelineGraph g =
        PipelineGraph.build(
            Pipeline.fromYaml(
                "description: x\ntasks:\n  scale:\n    class: "
                    + ScaleTask.class.getName()
                    + "\n    config: {factor: 10}\n"),
            butler.registry());
    PipelineGraph.TaskNode node = g.task("scale");
    butler.registry().registerDatasetType(g.datasetTypes().get("scaled").definition());
    DatasetType scaledType = butler.registry().datasetType("scaled");
    DatasetRef raw = raws.get(0);
    DatasetRef predicted = new DatasetRef(scaledType, raw.dataId(), "out/run", UUID.randomUUID());
    Map<String, Connection> conns = node.connections().all();
    QuantumRefs inputs =
        new QuantumRefs(
            Map.of("exposure", conns.get("exposure")), Map.of("exposure", List.of(raw)));
    QuantumRefs outputs =
        new QuantumRefs(
            Map.of("scaled", conns.get("scaled")), Map.of("scaled", List.of(predicted)));
    QuantumContext ctx = new QuantumContext(io(), raw.dataId(), inputs, outputs);
    node.task().runQuantum(ctx, inputs, outputs);
    ImageF out = (ImageF) butler.get(predicted, Map.of());
    assertThat(out.pixels()).containsExactly(10f, 20f, 30f, 40f);
    assertThat(ctx.datasetsRead()).containsExactly(raw);
    assertThat(ctx.datasetsWritten()).containsExactly(predicted);
    // Only this quantum's datasets.
    assertThatThrownBy(() -> ctx.get(raws.get(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not an input of quantum");
    assertThatThrownBy(() -> ctx.put(out, raws.get(1)))
        .hasMessageContaining("is not an output of quantum");
    assertThatThrownBy(() -> ctx.put(Map.of("nonsense", out), outputs))
        .hasMessageContaining("'nonsense', which is not an output connection");
  }

  @Test
  void adjustQuantumEnforcesMinimumAndMultiple() {
    PipelineGraph g =
        PipelineGraph.build(
            Pipeline.fromYaml(
                "description: x\ntasks:\n  scale: "
                    + ScaleTask.class.getName()
                    + "\n  sum: "
                    + SumTask.class.getName()
                    + "\n"),
            null);
    PipelineTask<?> scale = g.task("scale").task();
    Connections sc = g.task("scale").connections();
    DataCoordinate id = raws.get(0).dataId();
    assertThatThrownBy(() -> scale.adjustQuantum(Map.of("exposure", List.of()), Map.of(), sc, id))
        .isInstanceOf(NoWorkFound.class)
        .hasMessageContaining("fewer than its minimum 1");
    assertThatThrownBy(() -> scale.adjustQuantum(Map.of("exposure", raws), Map.of(), sc, id))
        .hasMessageContaining("connection exposure takes one dataset but 2 were found");
    PipelineTask<?> sum = g.task("sum").task();
    Connections sumc = g.task("sum").connections();
    // bias has minimum 0: optional; images gathered.
    PipelineTask.AdjustedQuantum a =
        sum.adjustQuantum(Map.of("images", raws, "bias", List.of()), Map.of(), sumc, id);
    assertThat(a.inputs().get("images")).hasSize(2);
    // An adjustment may only remove datasets.
    PipelineTask.AdjustedQuantum grown =
        new PipelineTask.AdjustedQuantum(Map.of("images", raws), Map.of());
    assertThatThrownBy(
            () -> grown.checkSubsetOf(Map.of("images", raws.subList(0, 1)), Map.of(), "sum"))
        .hasMessageContaining("adjustQuantum added datasets to images");
    assertThat(new NoWorkFound("x").caveats()).containsExactly(QuantumSuccessCaveat.NO_WORK);
    assertThat(new UnprocessableDataError("x").caveats())
        .contains(QuantumSuccessCaveat.UNPROCESSABLE_DATA);
  }

  @Test
  void graphsAreCheckedAgainstTheRepositorysDefinitions() {
    var u = butler.registry().universe();
    butler.registry().registerDatasetType(DatasetType.of("scaled", u.group("detector"), "ImageF"));
    assertThatThrownBy(
            () ->
                PipelineGraph.build(
                    Pipeline.fromYaml(
                        "description: x\ntasks:\n  scale: " + ScaleTask.class.getName() + "\n"),
                    butler.registry()))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("Dataset type 'scaled' has dimensions")
        .hasMessageContaining("in the pipeline (task 'scale')")
        .hasMessageContaining("in the repository");
    butler
        .registry()
        .registerDatasetType(DatasetType.of("exposure_sum", u.group("exposure"), "ImageF"));
    assertThatThrownBy(
            () ->
                PipelineGraph.build(
                    Pipeline.fromYaml(
                        "description: x\ntasks:\n  scale:\n    class: "
                            + ScaleTask.class.getName()
                            + "\n    config: {connections.scaled: scaled2}\n  sum:\n    class: "
                            + SumTask.class.getName()
                            + "\n    config: {connections.images: scaled2}\n"),
                    butler.registry()))
        .hasMessageContaining("'exposure_sum' is StructuredDataDict in the pipeline")
        .hasMessageContaining("but ImageF in the repository");
  }
}
