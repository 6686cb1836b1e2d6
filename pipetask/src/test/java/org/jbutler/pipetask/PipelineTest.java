package org.jbutler.pipetask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jbutler.pipetask.examples.ScaleTask;
import org.jbutler.pipetask.examples.SumTask;
import org.jbutler.pipetask.pipeline.Pipeline;
import org.jbutler.pipetask.pipeline.PipelineGraph;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pipeline YAML: reading, imports, configs, contracts, steps, label expressions, saving. */
class PipelineTest {

  static final String SCALE = ScaleTask.class.getName();
  static final String SUM = SumTask.class.getName();

  @TempDir Path dir;

  private Path write(String name, String yaml) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, yaml);
    return p;
  }

  private String base() {
    return "description: two tasks\n"
        + "parameters:\n  factor: 3.5\n  kind: deep\n"
        + "tasks:\n"
        + "  scale:\n    class: "
        + SCALE
        + "\n    config:\n      factor: parameters.factor\n      limits.high: 1000\n"
        + "  sum: "
        + SUM
        + "\n"
        + "subsets:\n  all: {subset: [scale, sum], description: everything}\n  first: [scale]\n";
  }

  @Test
  void readsConfiguresAndResolvesAGraph() throws Exception {
    Path f = write("p.yaml", base());
    PipelineGraph g = PipelineGraph.build(Pipeline.load(f.toString()), null);
    assertThat(g.tasks()).extracting(PipelineGraph.TaskNode::label).containsExactly("scale", "sum");
    ScaleTask.Config c = (ScaleTask.Config) g.task("scale").config().config();
    assertThat(c.factor()).isEqualTo(3.5);
    assertThat(c.limits().high()).isEqualTo(1000);
    assertThat(c.limits().low()).isZero(); // untouched nested field keeps its default
    // Automatic datasets and the global packages.
    assertThat(g.datasetTypes())
        .containsKeys(
            "scale_config",
            "scale_metadata",
            "scale_log",
            "sum_config",
            "sum_metadata",
            "packages",
            "raw",
            "scaled",
            "bias",
            "exposure_sum",
            "sum_schema");
    assertThat(g.datasetTypes().get("scaled").producer()).isEqualTo("scale");
    assertThat(g.datasetTypes().get("scaled").consumers()).containsExactly("sum.images");
    assertThat(g.datasetTypes().get("raw").producer()).isNull();
    assertThat(g.datasetTypes().get("bias").prerequisite()).isTrue();
    assertThat(g.datasetTypes().get("sum_metadata").definition().dimensions().names())
        .contains("exposure")
        .doesNotContain("detector");
    assertThat(g.toDot()).contains("\"task:scale\" -> \"ds:scaled\"").contains("[style=dashed]");
  }

  @Test
  void savedPipelinesLoadBackToTheSameGraph() throws Exception {
    write("base.yaml", base());
    Path top =
        write(
            "top.yaml",
            "description: top\nimports:\n  - location: base.yaml\n    rename: {sum: total}\n"
                + "tasks:\n  scale:\n    class: "
                + SCALE
                + "\n    config:\n      - iterations: 4\n      - doClip: true\n");
    Pipeline p = Pipeline.load(top.toString());
    assertThat(p.tasks()).containsOnlyKeys("scale", "total");
    // The importer's config blocks come after the imported ones.
    assertThat(p.tasks().get("scale").configs()).hasSize(3);
    Path saved = write("saved.yaml", p.toYaml());
    Pipeline again = Pipeline.load(saved.toString());
    assertThat(again.toYaml()).isEqualTo(p.toYaml());
    PipelineGraph a = PipelineGraph.build(p, null);
    PipelineGraph b = PipelineGraph.build(again, null);
    assertThat(b.datasetTypes().keySet()).isEqualTo(a.datasetTypes().keySet());
    assertThat(b.task("scale").config()).isEqualTo(a.task("scale").config());
    assertThat(a.datasetTypes()).containsKey("total_metadata").doesNotContainKey("sum_metadata");
    assertThat(p.subsets().get("all").tasks()).containsExactly("scale", "total");
  }

  @Test
  void importsIncludeExcludeAndConflicts() throws Exception {
    write("base.yaml", base());
    Pipeline inc =
        Pipeline.fromYaml(
            "description: x\nimports:\n  - location: "
                + dir.resolve("base.yaml")
                + "\n    include: [first]\n");
    assertThat(inc.tasks()).containsOnlyKeys("scale");
    assertThat(inc.subsets()).containsOnlyKeys("first"); // 'all' names a dropped task: dropped
    Pipeline exc =
        Pipeline.fromYaml(
            "description: x\nimports:\n  - location: "
                + dir.resolve("base.yaml")
                + "\n    exclude: [scale]\n    labeledSubsetModifyMode: EDIT\n");
    assertThat(exc.tasks()).containsOnlyKeys("sum");
    assertThat(exc.subsets().get("all").tasks()).containsExactly("sum");
    String twice =
        "description: x\nimports:\n  - "
            + dir.resolve("base.yaml")
            + "\n  - "
            + dir.resolve("base.yaml")
            + "\n";
    assertThatThrownBy(() -> Pipeline.fromYaml(twice))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("task label 'scale' comes from two imports");
    write("cam1.yaml", "description: a\ninstrument: Cam1\ntasks:\n  a: " + SCALE + "\n");
    write("cam2.yaml", "description: b\ninstrument: Cam2\ntasks:\n  b: " + SUM + "\n");
    assertThatThrownBy(
            () ->
                Pipeline.fromYaml(
                    "description: x\nimports: ["
                        + dir.resolve("cam1.yaml")
                        + ", "
                        + dir.resolve("cam2.yaml")
                        + "]\n"))
        .hasMessageContaining("one instrument");
    write("loop.yaml", "description: loop\nimports: [loop.yaml]\n");
    assertThatThrownBy(() -> Pipeline.load(dir.resolve("loop.yaml").toString()))
        .hasMessageContaining("imports itself");
    assertThatThrownBy(
            () ->
                Pipeline.fromYaml(
                    "description: x\nimports:\n  - location: "
                        + dir.resolve("base.yaml")
                        + "\n    include: [scale]\n    exclude: [sum]\n"))
        .hasMessageContaining("both include and exclude");
  }

  @Test
  void badPipelinesAreClearErrors() {
    assertThatThrownBy(() -> Pipeline.fromYaml("tasks: {a: " + SCALE + "}\n"))
        .hasMessageContaining("needs a description");
    assertThatThrownBy(() -> Pipeline.fromYaml("description: x\ninherits: [a]\n"))
        .hasMessageContaining("use imports");
    assertThatThrownBy(() -> Pipeline.fromYaml("description: x\nsubset: {}\ntasks: {}\n"))
        .hasMessageContaining("'subsets', not 'subset'");
    assertThatThrownBy(() -> Pipeline.fromYaml("description: x\ntask: {}\n"))
        .hasMessageContaining("unknown key 'task'");
    assertThatThrownBy(
            () ->
                Pipeline.fromYaml("description: x\ntasks: {a: " + SCALE + "}\nsubsets: {a: [a]}\n"))
        .hasMessageContaining("subset 'a' has the name of a task");
    assertThatThrownBy(() -> Pipeline.load(dir.resolve("absent.yaml").toString()))
        .hasMessageContaining("No pipeline file")
        .isInstanceOfSatisfying(
            org.jbutler.schema.exceptions.ButlerException.class,
            e ->
                assertThat(e.category())
                    .isEqualTo(org.jbutler.schema.exceptions.ButlerException.Category.MISSING));
  }

  private static PipelineGraph graph(String yaml) {
    return PipelineGraph.build(Pipeline.fromYaml(yaml), null);
  }

  @Test
  void configErrorsNameTheTaskAndField() {
    String head = "description: x\ntasks:\n  scale:\n    class: " + SCALE + "\n    config:\n";
    assertThatThrownBy(() -> graph(head + "      factr: 2\n"))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("Task 'scale': unknown config field 'factr'")
        .hasMessageContaining("factor");
    assertThatThrownBy(() -> graph(head + "      limits.middle: 2\n"))
        .hasMessageContaining("unknown config field 'limits.middle'");
    assertThatThrownBy(() -> graph(head + "      iterations: lots\n"))
        .hasMessageContaining("Task 'scale': config field 'iterations' is invalid")
        .hasMessageContaining("'lots' is not an integer")
        .hasMessageNotContaining("CoercionConfig")
        .hasMessageNotContaining("coerce");
    assertThatThrownBy(() -> graph(head + "      factor: -1\n"))
        .hasMessageContaining("Task 'scale': factor must be positive");
    assertThatThrownBy(() -> graph(head + "      factor: parameters.nope\n"))
        .hasMessageContaining("parameters.nope, which the pipeline does not define");
    assertThatThrownBy(() -> graph(head + "      python: config.factor = 2\n"))
        .hasMessageContaining("python: config blocks cannot run");
    assertThatThrownBy(() -> graph(head + "      connections.nothing: x\n"))
        .hasMessageContaining("connections.nothing is neither a connection nor a template");
    assertThatThrownBy(() -> graph(head + "      saveLogOutput: maybe\n"))
        .hasMessageContaining("saveLogOutput must be true or false");
    assertThatThrownBy(() -> graph("description: x\ntasks:\n  a: org.example.Missing\n"))
        .hasMessageContaining("Task 'a': no class org.example.Missing");
    assertThatThrownBy(() -> graph("description: x\ntasks:\n  a: java.lang.String\n"))
        .hasMessageContaining("is not a PipelineTask");
  }

  @Test
  void connectionsAreRenamedAndTemplated() {
    PipelineGraph g =
        graph(
            "description: x\ntasks:\n  scale:\n    class: "
                + SCALE
                + "\n    config:\n      connections.prefix: deep_\n      connections.exposure: raw2\n"
                + "      saveLogOutput: false\n"
                + "  sum:\n    class: "
                + SUM
                + "\n    config:\n      connections.images: deep_scaled\n      useBias: false\n");
    assertThat(g.datasetTypes()).containsKeys("deep_scaled", "raw2");
    assertThat(g.datasetTypes()).doesNotContainKeys("scaled", "raw", "scale_log", "bias");
    assertThat(g.datasetTypes().get("deep_scaled").consumers()).containsExactly("sum.images");
    assertThat(g.datasetTypes()).containsKey("sum_log");
  }

  @Test
  void graphChecksNameTasksAndDatasetTypes() {
    String two = "description: x\ntasks:\n  a: " + SCALE + "\n  b: " + SCALE + "\n";
    assertThatThrownBy(() -> graph(two))
        .hasMessageContaining("'scaled' is written by two tasks, 'a' and 'b'");
    // sum reads 'scaled' with other dimensions when renamed onto raw's consumer.
    assertThatThrownBy(
            () ->
                graph(
                    "description: x\ntasks:\n  scale: "
                        + SCALE
                        + "\n  sum:\n    class: "
                        + SUM
                        + "\n    config:\n      connections.total: raw\n"))
        .hasMessageContaining("Dataset type 'raw' has dimensions");
    // A cycle: scale reads what sum writes and sum reads what scale writes.
    assertThatThrownBy(
            () ->
                graph(
                    "description: x\ntasks:\n  scale:\n    class: "
                        + SCALE
                        + "\n    config:\n      connections.exposure: other\n"
                        + "  scale2:\n    class: "
                        + SCALE
                        + "\n    config:\n      connections.exposure: scaled\n      connections.scaled: other\n"))
        .hasMessageContaining("cycle among tasks");
    // A prerequisite may not be produced in the pipeline.
    assertThatThrownBy(
            () ->
                graph(
                    "description: x\ntasks:\n  makeBias: "
                        + org.jbutler.pipetask.examples.MakeBiasTask.class.getName()
                        + "\n  scale: "
                        + SCALE
                        + "\n  sum: "
                        + SUM
                        + "\n"))
        .hasMessageContaining("'bias' is a prerequisite input")
        .hasMessageContaining("task 'makeBias' writes it");
    // Storage classes that cannot convert.
    assertThatThrownBy(
            () ->
                graph(
                    "description: x\ntasks:\n  makeBias:\n    class: "
                        + org.jbutler.pipetask.examples.MakeBiasTask.class.getName()
                        + "\n    config: {storageClass: StructuredDataDict}\n  sum: "
                        + SUM
                        + "\n"))
        .hasMessageContaining(
            "'bias' is StructuredDataDict in makeBias.bias but ImageF in sum.bias")
        .hasMessageContaining("no conversion between them");
  }

  @Test
  void contractsAndSteps() {
    String tasks =
        "description: x\ntasks:\n  scale:\n    class: "
            + SCALE
            + "\n    config: {doClip: true}\n  sum: "
            + SUM
            + "\n";
    graph(
        tasks
            + "contracts:\n  - scale.doClip == sum.useBias\n  - scale.connections.scaled == 'scaled'\n");
    assertThatThrownBy(
            () ->
                graph(
                    tasks
                        + "contracts:\n  - contract: scale.factor > 5 and not sum.useBias\n    msg: too small\n"))
        .hasMessageContaining("Contract(s) not satisfied")
        .hasMessageContaining("too small");
    assertThatThrownBy(() -> graph(tasks + "contracts: [scale.nothing == 1]\n"))
        .hasMessageContaining("task scale has no config field 'nothing'");
    assertThatThrownBy(() -> graph(tasks + "contracts: [\"len(scale.factor) == 1\"]\n"))
        .hasMessageContaining("calls such as 'len(...)' are not supported");
    String steps = tasks + "subsets:\n  s1: [scale]\n  s2: [sum]\nsteps:\n";
    graph(
        steps
            + "  - {label: s1, dimensions: [exposure, detector]}\n  - {label: s2, dimensions: exposure}\n");
    assertThatThrownBy(
            () ->
                graph(steps + "  - {label: s2, dimensions: []}\n  - {label: s1, dimensions: []}\n"))
        .hasMessageContaining("reads 'scaled', which task 'scale' writes in the later step s1");
    assertThatThrownBy(() -> graph(steps + "  - {label: s1, dimensions: []}\n"))
        .hasMessageContaining("Task 'sum' is in no step");
    assertThatThrownBy(
            () ->
                graph(
                    steps
                        + "  - {label: s1, dimensions: []}\n  - {label: s2, dimensions: [detector]}\n"))
        .hasMessageContaining("Step 's2' is sharded by")
        .hasMessageContaining("task 'sum' has quantum dimensions");
  }

  @Test
  void labelExpressions() throws Exception {
    Path f = write("p.yaml", base());
    assertThat(labels(f + "#sum")).containsExactly("sum");
    assertThat(labels(f + "#first")).containsExactly("scale");
    assertThat(labels(f + "#scale..sum")).containsExactly("scale", "sum");
    assertThat(labels(f + "#..scale")).containsExactly("scale");
    assertThat(labels(f + "#sum..")).containsExactly("sum");
    assertThatThrownBy(() -> labels(f + "#scale,sum.."))
        .hasMessageContaining("mixes a list and a range");
    assertThatThrownBy(() -> labels(f + "#nope"))
        .hasMessageContaining("'nope' is not a task label");
    assertThatThrownBy(() -> labels(f + "#sum..scale")).hasMessageContaining("selects no task");
  }

  private List<String> labels(String uri) {
    return PipelineGraph.build(Pipeline.load(uri), null).tasks().stream()
        .map(PipelineGraph.TaskNode::label)
        .toList();
  }

  @Test
  void commandLineEditsApplyInOrder() {
    Pipeline p = Pipeline.fromYaml(base());
    p.addConfig("scale", Map.of("factor", 5.0)).addConfig("parameters", Map.of("kind", "shallow"));
    p.deleteTask("sum").addTask(SUM, "sum2");
    PipelineGraph g = PipelineGraph.build(p, null);
    assertThat(((ScaleTask.Config) g.task("scale").config().config()).factor()).isEqualTo(5.0);
    assertThat(p.parameters().get("kind")).isEqualTo("shallow");
    assertThat(g.tasks())
        .extracting(PipelineGraph.TaskNode::label)
        .containsExactly("scale", "sum2");
    assertThat(p.subsets().get("all").tasks()).containsExactly("scale");
    assertThatThrownBy(() -> p.deleteTask("sum")).hasMessageContaining("no such task");
    assertThatThrownBy(() -> p.addConfig("nope", Map.of())).hasMessageContaining("no such task");
  }
}
