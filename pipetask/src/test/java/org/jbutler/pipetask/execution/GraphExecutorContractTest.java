package org.jbutler.pipetask.execution;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jbutler.butler.Butler;
import org.jbutler.pipetask.Cam1Repo;
import org.jbutler.pipetask.examples.FlakyTask;
import org.jbutler.pipetask.examples.SumTask;
import org.jbutler.pipetask.graph.QuantumGraph;
import org.jbutler.pipetask.graph.QuantumGraphBuilder;
import org.jbutler.pipetask.pipeline.Pipeline;
import org.jbutler.pipetask.pipeline.PipelineGraph;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.Progress;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link GraphExecutor} must do, whatever runs the quanta (threads of this process, a
 * batch system): run them in dependency order, register each quantum's outputs with its metadata
 * and log, keep a failure's log and block what depends on it, count no-work as success, and on a
 * second run of the same graph into the same run do only what is not done. An executor adds a
 * subclass that says how to make one.
 */
abstract class GraphExecutorContractTest {

  /** Makes the executor under test. */
  abstract GraphExecutor executor(
      Butler butler, PipelineGraph pipeline, QuantumGraph graph, GraphExecutor.Options options);

  @TempDir Path dir;
  Butler butler;

  @BeforeEach
  void setUp() {
    butler = Cam1Repo.create(dir.resolve("repo"), new HashMap<>());
  }

  @AfterEach
  void tearDown() {
    butler.close();
  }

  private PipelineGraph pipeline(String flakyConfig) {
    return PipelineGraph.build(
        Pipeline.fromYaml(
            "description: contract\ninstrument: Cam1\ntasks:\n  flaky:\n    class: "
                + FlakyTask.class.getName()
                + "\n    config: {"
                + flakyConfig
                + "}\n  sum:\n    class: "
                + SumTask.class.getName()
                + "\n    config: {useBias: false}\n"),
        butler.registry());
  }

  /** Builds the graph for a run, registers its types and makes the run. */
  private QuantumGraph graph(PipelineGraph pg, String run) {
    QuantumGraph g =
        QuantumGraphBuilder.build(
            pg,
            butler.registry(),
            new QuantumGraphBuilder.Request(
                List.of("raw/run"),
                run,
                null,
                "instrument = 'Cam1'",
                Map.of(),
                "all",
                butler.registry().collections().contains(run) ? List.of(run) : List.of(),
                false,
                "contract"));
    for (var t : g.datasetTypes().values()) {
      butler.registry().registerDatasetType(t);
    }
    butler.registry().registerCollection(run, org.jbutler.schema.CollectionType.RUN, null);
    return g;
  }

  private List<DatasetRef> datasets(String type, String run) {
    return butler.registry().queryDatasets(type, List.of(run), DataQuery.all()).toList();
  }

  private static Map<String, Map<GraphExecutor.Status, Integer>> run(GraphExecutor e)
      throws InterruptedException {
    e.writeInitOutputs(false);
    return e.execute().perTask();
  }

  private GraphExecutor.Options options() {
    return new GraphExecutor.Options(2, false, 0, Progress.NONE);
  }

  @Test
  void everyQuantumRunsInDependencyOrderAndRegistersItsOutputsMetadataAndLog() throws Exception {
    PipelineGraph pg = pipeline("");
    QuantumGraph g = graph(pg, "out");
    Map<String, Map<GraphExecutor.Status, Integer>> counts =
        run(executor(butler, pg, g, options()));
    assertThat(counts.get("flaky").get(GraphExecutor.Status.SUCCEEDED)).isEqualTo(6);
    assertThat(counts.get("sum").get(GraphExecutor.Status.SUCCEEDED)).isEqualTo(3);
    assertThat(datasets("scaled", "out")).hasSize(6);
    assertThat(datasets("exposure_sum", "out")).hasSize(3);
    assertThat(datasets("flaky_metadata", "out")).hasSize(6);
    assertThat(datasets("flaky_log", "out")).hasSize(6);
    assertThat(datasets("sum_metadata", "out")).hasSize(3);
    assertThat(butler.datastore().verify().ok()).isTrue();
  }

  @Test
  void aFailureKeepsItsLogBlocksWhatDependsOnItAndNoWorkIsSuccess() throws Exception {
    PipelineGraph pg = pipeline("failDetector: 2, noWorkDetector: 1");
    QuantumGraph g = graph(pg, "out");
    GraphExecutor.Report report = executor(butler, pg, g, options()).execute();
    Map<String, Map<GraphExecutor.Status, Integer>> counts = report.perTask();
    assertThat(counts.get("flaky").get(GraphExecutor.Status.FAILED)).isEqualTo(3);
    assertThat(counts.get("flaky").get(GraphExecutor.Status.NO_WORK)).isEqualTo(3);
    assertThat(counts.get("sum").get(GraphExecutor.Status.BLOCKED)).isEqualTo(3);
    assertThat(report.anyFailed()).isTrue();
    assertThat(datasets("flaky_log", "out")).hasSize(6); // failures keep their logs
    assertThat(datasets("flaky_metadata", "out")).hasSize(3); // only the no-work ones succeeded
    assertThat(datasets("scaled", "out")).isEmpty();
    assertThat(butler.datastore().verify().ok()).isTrue();
  }

  /**
   * pipe_base keeps an AlgorithmError's metadata for the failed quantum; so does every executor.
   */
  @Test
  void anAlgorithmErrorsMetadataIsKeptWithTheFailedQuantumsLog() throws Exception {
    PipelineGraph pg = pipeline("algorithmErrorDetector: 1, failDetector: 2");
    QuantumGraph g = graph(pg, "out");
    executor(butler, pg, g, options()).execute();
    List<Map<?, ?>> failures = new java.util.ArrayList<>();
    for (DatasetRef log : datasets("flaky_log", "out")) {
      for (Object o : (List<?>) butler.get(log, Map.of())) {
        if (o instanceof Map<?, ?> r && r.get("failure") instanceof Map<?, ?> f) {
          failures.add(f);
        }
      }
    }
    assertThat(failures).hasSize(6); // one record per failed quantum: 3 exposures x 2 detectors
    List<Map<?, ?>> algorithm = failures.stream().filter(f -> f.get("metadata") != null).toList();
    assertThat(algorithm).hasSize(3);
    assertThat(algorithm.get(0).get("type")).isEqualTo(FlakyTask.TooFewStarsError.class.getName());
    assertThat(algorithm.get(0).get("message"))
        .isEqualTo("too few stars to fit a PSF on detector 1");
    Map<?, ?> values = (Map<?, ?>) algorithm.get(0).get("metadata");
    assertThat(new java.util.TreeMap<>(values).toString())
        .isEqualTo("{detector=1, minStars=5, nStars=3}");
    assertThat(datasets("flaky_metadata", "out")).hasSize(0); // a failure is still a failure
  }

  @Test
  void runningTheSameRunAgainDoesOnlyWhatIsNotDone() throws Exception {
    PipelineGraph failing = pipeline("failDetector: 2");
    run(executor(butler, failing, graph(failing, "out"), options()));
    List<DatasetRef> first = datasets("scaled", "out");
    assertThat(first).hasSize(3);
    // Fixed: the next graph of the run skips what succeeded and the executor does the rest.
    PipelineGraph fixed = pipeline("");
    QuantumGraph again = graph(fixed, "out");
    assertThat(again.quantaPerTask()).containsEntry("flaky", 3).containsEntry("sum", 3);
    Map<String, Map<GraphExecutor.Status, Integer>> counts =
        executor(butler, fixed, again, options()).execute().perTask();
    assertThat(counts.get("flaky").get(GraphExecutor.Status.SUCCEEDED)).isEqualTo(3);
    List<DatasetRef> all = datasets("scaled", "out");
    assertThat(all).hasSize(6).containsAll(first); // nothing doubled, nothing replaced
    assertThat(
            all.stream().map(DatasetRef::dataId).map(DataCoordinate::required).distinct().count())
        .isEqualTo(6);
  }
}
