package org.jbutler.pipetask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jbutler.butler.Butler;
import org.jbutler.butler.testing.CommandRunner;
import org.jbutler.datastore.FitsIo;
import org.jbutler.datastore.ImageF;
import org.jbutler.pipetask.cli.PipetaskCommand;
import org.jbutler.pipetask.examples.FlakyTask;
import org.jbutler.pipetask.examples.SumTask;
import org.jbutler.pipetask.execution.GraphExecutor;
import org.jbutler.pipetask.graph.file.QuantumGraphFile;
import org.jbutler.pipetask.pipeline.Pipeline;
import org.jbutler.pipetask.pipeline.PipelineGraph;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.DatasetRef;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pipetask run} on the small Cam1 repository: a per-detector task (which can be told to
 * fail, find no work or sleep) and a per-exposure gather.
 */
class RunCommandTest {

  @TempDir Path dir;
  private final CommandRunner cli = new CommandRunner(PipetaskCommand::new);
  Path repo;
  Path pipeline;
  final Map<String, DatasetRef> bias = new HashMap<>();

  @BeforeEach
  void setUp() throws Exception {
    repo = dir.resolve("repo");
    Cam1Repo.create(repo, bias).close();
    pipeline = dir.resolve("p.yaml");
    Files.writeString(
        pipeline,
        "description: test\ninstrument: Cam1\ntasks:\n  flaky: "
            + FlakyTask.class.getName()
            + "\n  sum:\n    class: "
            + SumTask.class.getName()
            + "\n    config: {useBias: false}\n");
  }

  private int run(String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "run",
                "-b",
                repo.toString(),
                "-p",
                pipeline.toString(),
                "-i",
                "raw/run",
                "--no-progress",
                "--register-dataset-types"));
    args.addAll(List.of(more));
    return cli.run(args.toArray(String[]::new));
  }

  /** {@code pipetask run -b REPO -g GRAPH --no-progress ...}. */
  private int runGraph(Path graph, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("run", "-b", repo.toString(), "-g", graph.toString(), "--no-progress"));
    args.addAll(List.of(more));
    return cli.run(args.toArray(String[]::new));
  }

  private static List<DatasetRef> datasets(Butler b, String type, String run) {
    return b.registry().queryDatasets(type, List.of(run), DataQuery.all()).toList();
  }

  @Test
  void runsEveryQuantumAndRecordsMetadataLogsAndProvenance() throws Exception {
    assertThat(run("--output-run", "out", "-j", "2")).as(cli.lastErr()).isZero();
    assertThat(cli.lastOut())
        .containsPattern("flaky\\s+6\\s+0\\s+0\\s+0\\s+0")
        .containsPattern("sum\\s+3\\s+0\\s+0\\s+0\\s+0")
        .contains("9 quanta in");
    try (Butler b = Butler.open(repo, Butler.Options.none())) {
      assertThat(datasets(b, "scaled", "out")).hasSize(6);
      assertThat(datasets(b, "flaky_metadata", "out")).hasSize(6);
      assertThat(datasets(b, "flaky_log", "out")).hasSize(6);
      assertThat(datasets(b, "exposure_sum", "out")).hasSize(3);
      assertThat(datasets(b, "sum_metadata", "out")).hasSize(3);
      for (String init : List.of("flaky_config", "sum_config", "sum_schema", "packages")) {
        assertThat(datasets(b, init, "out")).as(init).hasSize(1);
      }
      // Provenance in the FITS header: the task, its config hash and the raw that made it.
      DatasetRef scaled =
          b.registry()
              .findDataset(
                  "scaled",
                  org.jbutler.schema.dimensions.DataCoordinate.standardize(
                      Map.of("instrument", "Cam1", "exposure", 2, "detector", 1),
                      b.registry().datasetType("scaled").dimensions()),
                  List.of("out"))
              .orElseThrow();
      DatasetRef raw =
          b.findDataset(
                  "raw",
                  Map.of("instrument", "Cam1", "exposure", 2, "detector", 1),
                  List.of("raw/run"))
              .orElseThrow();
      ImageF image = (ImageF) FitsIo.readImage(b.uri(scaled), 0, null);
      assertThat(image.metadata().get("JBUTLER.TASK")).contains("flaky");
      assertThat(image.metadata().get("JBUTLER.INPUT0.ID")).contains(raw.id().toString());
      assertThat(image.metadata().get("JBUTLER.INPUT0.TYPE")).contains("raw");
      assertThat((String) image.metadata().get("JBUTLER.CONFIG").orElseThrow()).hasSize(16);
      // The metadata: status, inputs, outputs, config hash, the task's own values.
      DatasetRef meta =
          datasets(b, "flaky_metadata", "out").stream()
              .filter(r -> r.dataId().value("exposure").equals(2L))
              .filter(r -> r.dataId().value("detector").equals(1L))
              .findFirst()
              .orElseThrow();
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) b.get(meta, Map.of());
      @SuppressWarnings("unchecked")
      Map<String, Object> q = (Map<String, Object>) m.get("quantum");
      assertThat(q.get("status")).isEqualTo("SUCCEEDED");
      assertThat(q.get("configHash")).isEqualTo(image.metadata().get("JBUTLER.CONFIG").get());
      assertThat(q.get("inputs").toString()).contains(raw.id().toString());
      assertThat(q.get("outputs").toString()).contains(scaled.id().toString());
      assertThat(m.get("task").toString()).contains("pixels=2");
      // The log holds the quantum's own records.
      DatasetRef log =
          datasets(b, "flaky_log", "out").stream()
              .filter(r -> r.dataId().value("detector").equals(2L))
              .findFirst()
              .orElseThrow();
      assertThat(b.get(log, Map.of()).toString())
          .contains("Processing detector 2")
          .doesNotContain("Processing detector 1");
      assertThat(b.datastore().verify().ok()).isTrue();
    }
  }

  @Test
  void aPipelineRunsAsALibraryCallWithoutTheCommandLine() throws Exception {
    try (Butler b = Butler.open(repo, Butler.Options.none())) {
      org.jbutler.pipetask.execution.PipelineRun run =
          org.jbutler.pipetask.execution.PipelineRun.builder(b)
              .pipeline(PipelineGraph.build(Pipeline.load(pipeline.toString()), b.registry()))
              .inputs(List.of("raw/run"))
              .output("u/lib")
              .dataQuery("instrument = 'Cam1' AND exposure < 3")
              .prepare();
      // Preparing changes nothing; the graph is there to look at first.
      assertThat(b.registry().collections()).doesNotContain("u/lib");
      assertThat(run.graph().quantaPerTask()).containsEntry("flaky", 4).containsEntry("sum", 2);
      assertThat(run.progress().done()).isZero();
      GraphExecutor.Report report =
          run.execute(
              org.jbutler.pipetask.execution.PipelineRun.ExecutionOptions.defaults()
                  .withProcesses(2));
      assertThat(report.anyFailed()).isFalse();
      assertThat(run.progress().done()).isEqualTo(6);
      String out = b.registry().chain("u/lib").get(0);
      assertThat(datasets(b, "scaled", out)).hasSize(4);
      assertThat(datasets(b, "exposure_sum", out)).hasSize(2);
    }
    assertThatCode(
            () ->
                org.jbutler.pipetask.execution.PipelineRun.ExecutionOptions.defaults()
                    .withProcesses(0))
        .hasMessageContaining("-j/--processes must be at least 1");
  }

  @Test
  void aTaskThatCannotMultiprocessNeverRunsTwoQuantaAtOnceAndNoWorkCaveatsAreRecorded()
      throws Exception {
    Path serial = dir.resolve("serial.yaml");
    Files.writeString(
        serial,
        "description: serial\ninstrument: Cam1\ntasks:\n  serial: "
            + org.jbutler.pipetask.examples.SerialTask.class.getName()
            + "\n");
    org.jbutler.pipetask.examples.SerialTask.MOST_AT_ONCE.set(0);
    assertThat(
            cli.run(
                "run",
                "-b",
                repo.toString(),
                "-p",
                serial.toString(),
                "-i",
                "raw/run",
                "--output-run",
                "serial",
                "-j",
                "4",
                "-c",
                "serial:unprocessableDetector=2",
                "--no-progress",
                "--register-dataset-types"))
        .as(cli.lastErr())
        .isZero();
    assertThat(cli.lastOut()).containsPattern("serial\\s+3\\s+3\\s+0\\s+0");
    assertThat(org.jbutler.pipetask.examples.SerialTask.MOST_AT_ONCE.get()).isEqualTo(1);
    try (Butler b = Butler.open(repo, Butler.Options.none())) {
      DatasetRef unprocessable =
          datasets(b, "serial_metadata", "serial").stream()
              .filter(r -> r.dataId().value("detector").equals(2L))
              .findFirst()
              .orElseThrow();
      Map<?, ?> quantum = (Map<?, ?>) ((Map<?, ?>) b.get(unprocessable, Map.of())).get("quantum");
      assertThat(String.valueOf(quantum.get("caveats")))
          .contains("NO_WORK")
          .contains("UNPROCESSABLE_DATA");
    }
  }

  @Test
  void runAndReportJsonAreOneDocumentEach() throws Exception {
    com.fasterxml.jackson.databind.ObjectReader json =
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readerFor(com.fasterxml.jackson.databind.JsonNode.class)
            .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    assertThat(run("--output-run", "js", "-c", "flaky:failDetector=2", "--format", "json"))
        .isEqualTo(1);
    com.fasterxml.jackson.databind.JsonNode summary = json.readValue(cli.lastOut());
    assertThat(summary).hasSize(2);
    assertThat(summary.get(0).get("task").asText()).isEqualTo("flaky");
    assertThat(summary.get(0).get("failed").asInt()).isEqualTo(3);
    assertThat(cli.run("report", repo.toString(), "--run", "js", "--format", "json")).isEqualTo(1);
    com.fasterxml.jackson.databind.JsonNode report = json.readValue(cli.lastOut());
    assertThat(report.get(0).get("blocked").isNull()).isTrue();
    assertThat(cli.lastErr()).contains("blocked: not known without the graph");
  }

  @Test
  void badOptionsAreRefusedBeforeAnythingIsWritten() throws Exception {
    List<String> before;
    try (Butler b = Butler.open(repo, Butler.Options.none())) {
      before = b.registry().collections();
    }
    assertThat(run("-o", "u/zero", "-j", "0")).isEqualTo(2);
    assertThat(cli.lastErr()).contains("-j/--processes must be at least 1");
    assertThat(run("-o", "u/neg", "--timeout", "-5")).isEqualTo(2);
    assertThat(cli.lastErr()).contains("--timeout must be");
    assertThat(run("-o", "u/nan", "--timeout", "NaN")).isEqualTo(2);
    try (Butler b = Butler.open(repo, Butler.Options.none())) {
      assertThat(b.registry().collections()).isEqualTo(before);
    }
  }

  @Test
  void reportListsTheValuesAnAlgorithmErrorRecorded() throws Exception {
    Path graph = dir.resolve("g.qgraph");
    assertThat(
            run(
                "--output-run",
                "out",
                "-c",
                "flaky:algorithmErrorDetector=2",
                "-q",
                graph.toString()))
        .isEqualTo(1);
    assertThat(cli.run("report", repo.toString(), graph.toString(), "--failed")).isEqualTo(1);
    assertThat(cli.lastOut())
        .contains("too few stars to fit a PSF on detector 2 [detector=2, minStars=5, nStars=3]");
  }

  @Test
  void aFailureKeepsItsLogBlocksDownstreamAndLetsOthersFinish() throws Exception {
    Path graph = dir.resolve("g.qgraph");
    assertThat(
            run(
                "--output-run",
                "out",
                "-c",
                "flaky:failDetector=2",
                "--summary",
                dir.resolve("s.json").toString(),
                "-q",
                graph.toString()))
        .isEqualTo(1);
    assertThat(cli.lastOut())
        .containsPattern("flaky\\s+3\\s+0\\s+3\\s+0\\s+0")
        .containsPattern("sum\\s+0\\s+0\\s+0\\s+3\\s+0")
        .contains("failed: flaky")
        .contains("detector 2 is broken");
    assertThat(Files.readString(dir.resolve("s.json"))).contains("\"status\" : \"BLOCKED\"");
    try (Butler b = Butler.open(repo, Butler.Options.none())) {
      assertThat(datasets(b, "scaled", "out")).hasSize(3);
      assertThat(datasets(b, "flaky_metadata", "out")).hasSize(3);
      assertThat(datasets(b, "flaky_log", "out")).hasSize(6);
      DatasetRef failedLog =
          datasets(b, "flaky_log", "out").stream()
              .filter(r -> r.dataId().value("detector").equals(2L))
              .findFirst()
              .orElseThrow();
      assertThat(b.get(failedLog, Map.of()).toString()).contains("detector 2 is broken");
      assertThat(datasets(b, "exposure_sum", "out")).isEmpty();
      assertThat(b.datastore().verify().ok()).isTrue();
    }
    // pipetask report: from the run's metadata and logs; blocked quanta need the graph.
    assertThat(cli.run("report", repo.toString(), graph.toString(), "--failed")).isEqualTo(1);
    assertThat(cli.lastOut())
        .containsPattern("flaky\\s+3\\s+0\\s+3\\s+0")
        .containsPattern("sum\\s+0\\s+0\\s+0\\s+3")
        .contains("detector 2 is broken");
    assertThat(cli.run("report", repo.toString(), "--run", "out")).isEqualTo(1);
    assertThat(cli.lastOut())
        .containsPattern("flaky\\s+3\\s+0\\s+3\\s*\\n")
        .containsPattern("sum\\s+0\\s+0\\s+0\\s*\\n")
        .contains("blocked: not known without the graph")
        .contains("No quantum of sum finished or failed")
        .doesNotContain("?");
    // A temporary file a killed writer left in the run is removed when the run is extended.
    Path leftover;
    try (Butler b = Butler.open(repo, Butler.Options.none())) {
      leftover = b.uri(datasets(b, "scaled", "out").get(0)).resolveSibling(".jbutler-tmp-x.fits");
    }
    Files.writeString(leftover, "half a file");
    // Again into the same run: only what is not done runs (the failures fail again).
    assertThat(run("--output-run", "out", "--extend-run", "-c", "flaky:failDetector=2"))
        .isEqualTo(1);
    assertThat(cli.lastOut()).containsPattern("flaky\\s+0\\s+0\\s+3\\s+0");
    assertThat(leftover).doesNotExist();
    // A different config for the same run is refused, naming the field.
    assertThat(run("--output-run", "out", "--extend-run")).isEqualTo(3);
    assertThat(cli.lastErr()).contains("flaky_config").contains("failDetector");
    // --fail-fast stops starting quanta after the first failure.
    assertThat(run("--output-run", "ff", "-c", "flaky:failDetector=1", "--fail-fast")).isEqualTo(1);
    assertThat(cli.lastOut()).containsPattern("flaky\\s+\\d+\\s+0\\s+1\\s+[1-9]");
  }

  @Test
  void noWorkIsSuccessAndDownstreamWithoutInputsHasNoWorkToo() throws Exception {
    assertThat(run("--output-run", "nw", "-c", "flaky:noWorkDetector=2"))
        .as(cli.lastErr())
        .isZero();
    // Each exposure's sum still runs, on its one detector.
    assertThat(cli.lastOut())
        .containsPattern("flaky\\s+3\\s+3\\s+0\\s+0")
        .containsPattern("sum\\s+3\\s+0\\s+0\\s+0");
    try (Butler b = Butler.open(repo, Butler.Options.none())) {
      assertThat(datasets(b, "flaky_metadata", "nw")).hasSize(6);
      assertThat(datasets(b, "scaled", "nw")).hasSize(3);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> sums =
          datasets(b, "exposure_sum", "nw").stream()
              .map(r -> (Map<String, Object>) b.get(r, Map.of()))
              .toList();
      assertThat(sums).allMatch(s -> ((Number) s.get("images")).intValue() == 1);
    }
    // With no work anywhere, the gathers have nothing either: no work, not failed.
    Files.writeString(
        pipeline,
        Files.readString(pipeline)
                .replace(
                    "  flaky: " + FlakyTask.class.getName(),
                    "  flaky:\n    class: "
                        + FlakyTask.class.getName()
                        + "\n    config: {noWorkDetector: 1}")
            + "");
    assertThat(run("--output-run", "nw2", "-d", "detector = 1")).as(cli.lastErr()).isZero();
    assertThat(cli.lastOut())
        .containsPattern("flaky\\s+0\\s+3\\s+0\\s+0")
        .containsPattern("sum\\s+0\\s+3\\s+0\\s+0");
  }

  @Test
  void runsASavedGraphAndNeedsTypesRegisteredOrAllowed() throws Exception {
    Path graph = dir.resolve("saved.qgraph");
    assertThat(
            cli.run(
                "qgraph",
                "-b",
                repo.toString(),
                "-p",
                pipeline.toString(),
                "-i",
                "raw/run",
                "-o",
                "u/saved",
                "-q",
                graph.toString()))
        .as(cli.lastErr())
        .isZero();
    assertThat(runGraph(graph)).isEqualTo(2);
    assertThat(cli.lastErr())
        .contains("Dataset types not registered")
        .contains("scaled")
        .contains("--register-dataset-types");
    // Where --show uri predicts the outputs will be.
    assertThat(cli.run("qgraph", "-b", repo.toString(), "-g", graph.toString(), "--show", "uri"))
        .isZero();
    java.util.Set<String> predicted = new java.util.TreeSet<>();
    cli.lastOut()
        .lines()
        .filter(l -> l.trim().startsWith("output scaled "))
        .forEach(l -> predicted.add(l.substring(l.indexOf("file:"))));
    assertThat(predicted).hasSize(6);
    // Some quanta alone (as a cluster job would): the two scale quanta of exposure 1.
    List<String> ids =
        QuantumGraphFile.read(graph).quanta().stream()
            .filter(q -> q.taskLabel().equals("flaky"))
            .filter(q -> q.dataId().value("exposure").equals(1L))
            .map(q -> q.id().toString())
            .toList();
    assertThat(ids).hasSize(2);
    assertThat(
            runGraph(graph, "--qgraph-node-id", String.join(",", ids), "--register-dataset-types"))
        .as(cli.lastErr())
        .isZero();
    assertThat(cli.lastOut())
        .containsPattern("flaky\\s+2\\s+0\\s+0\\s+0\\s+0")
        .doesNotContain("sum ");
    assertThat(
            cli.run(
                "run",
                "-b",
                repo.toString(),
                "-g",
                graph.toString(),
                "--qgraph-node-id",
                java.util.UUID.randomUUID().toString(),
                "--no-progress"))
        .isEqualTo(2);
    assertThat(cli.lastErr()).contains("has no quantum");
    assertThat(runGraph(graph, "--register-dataset-types", "-j", "2")).as(cli.lastErr()).isZero();
    assertThat(cli.lastOut())
        .containsPattern("flaky\\s+4\\s+0\\s+0\\s+0\\s+2")
        .containsPattern("sum\\s+3");
    try (Butler b = Butler.open(repo, Butler.Options.none())) {
      // The graph's chain is made when it runs: [its run] + inputs.
      List<String> chain = b.registry().chain("u/saved");
      assertThat(chain).hasSize(2).endsWith("raw/run");
      assertThat(datasets(b, "exposure_sum", chain.get(0))).hasSize(3);
      java.util.Set<String> actual = new java.util.TreeSet<>();
      datasets(b, "scaled", chain.get(0)).forEach(r -> actual.add(b.uri(r).toUri().toString()));
      assertThat(actual).isEqualTo(predicted);
    }
    // Running it again: everything is done already.
    assertThat(runGraph(graph)).isZero();
    assertThat(cli.lastOut()).containsPattern("flaky\\s+0\\s+0\\s+0\\s+0\\s+6");
  }

  @Test
  void aDamagedInputFailsItsQuantumWithTheFileNamedInItsLog() throws Exception {
    Path damaged;
    try (Butler b = Butler.open(repo, Butler.Options.none())) {
      DatasetRef raw =
          b.findDataset(
                  "raw",
                  Map.of("instrument", "Cam1", "exposure", 3, "detector", 1),
                  List.of("raw/run"))
              .orElseThrow();
      damaged = b.uri(raw);
    }
    byte[] bytes = Files.readAllBytes(damaged);
    Files.write(damaged, java.util.Arrays.copyOf(bytes, bytes.length / 3));
    assertThat(run("--output-run", "dmg", "-j", "2")).isEqualTo(1);
    assertThat(cli.lastOut())
        .containsPattern("flaky\\s+5\\s+0\\s+1\\s+0")
        .containsPattern("sum\\s+2\\s+0\\s+0\\s+1");
    try (Butler b = Butler.open(repo, Butler.Options.none())) {
      DatasetRef log =
          datasets(b, "flaky_log", "dmg").stream()
              .filter(r -> r.dataId().value("exposure").equals(3L))
              .filter(r -> r.dataId().value("detector").equals(1L))
              .findFirst()
              .orElseThrow();
      assertThat(b.get(log, Map.of()).toString()).contains(damaged.getFileName().toString());
      assertThat(datasets(b, "scaled", "dmg")).hasSize(5);
    }
  }

  @Test
  void runsOnAPostgresRegistryWithParallelWorkers() throws Exception {
    String url = org.jbutler.testing.ExternalResources.newPostgresDatabase();
    repo = dir.resolve("pgrepo");
    Cam1Repo.create(repo, new HashMap<>(), Map.of("registry", Map.of("db", url))).close();
    assertThat(Files.readString(repo.resolve("butler.yaml"))).contains("jdbc:postgresql:");
    assertThat(run("-o", "u/pg", "-j", "3", "-c", "flaky:failDetector=2"))
        .as(cli.lastErr())
        .isEqualTo(1);
    assertThat(cli.lastOut())
        .containsPattern("flaky\\s+3\\s+0\\s+3\\s+0")
        .containsPattern("sum\\s+0\\s+0\\s+0\\s+3");
    assertThat(run("-o", "u/pg", "--extend-run", "-j", "3", "-c", "flaky:failDetector=2"))
        .isEqualTo(1);
    assertThat(cli.lastOut()).containsPattern("flaky\\s+0\\s+0\\s+3\\s+0");
    try (Butler b = Butler.open(repo, Butler.Options.none())) {
      String out = b.registry().chain("u/pg").get(0);
      assertThat(datasets(b, "scaled", out)).hasSize(3);
      assertThat(datasets(b, "flaky_metadata", out)).hasSize(3);
      // Each failed quantum's log was replaced by the second attempt's: one per quantum.
      assertThat(datasets(b, "flaky_log", out)).hasSize(6);
      assertThat(b.datastore().verify().ok()).isTrue();
    }
  }

  @Test
  void aQuantumOverItsTimeoutFails() {
    assertThat(
            run(
                "--output-run",
                "slow",
                "-c",
                "flaky:sleepSeconds=30",
                "--timeout",
                "0.3",
                "-j",
                "2",
                "-d",
                "exposure = 1"))
        .isEqualTo(1);
    assertThat(cli.lastOut())
        .containsPattern("flaky\\s+0\\s+0\\s+2\\s+0")
        .containsPattern("sum\\s+0\\s+0\\s+0\\s+1")
        .contains("timed out");
  }

  /** The arguments shared by a killed child run and the run that resumes it. */
  private List<String> childRunArgs() {
    return List.of(
        "run",
        "-b",
        repo.toString(),
        "-p",
        pipeline.toString(),
        "-c",
        "flaky:sleepSeconds=0.4",
        "-o",
        "u/out",
        "--no-progress");
  }

  /** Starts {@code pipetask run} in another JVM, its output to {@code log}. */
  private Process startChildRun(Path log) throws IOException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> childCommand =
        new ArrayList<>(List.of(java, "-cp", classpath, PipetaskCommand.class.getName()));
    childCommand.addAll(childRunArgs());
    childCommand.addAll(List.of("-i", "raw/run", "--register-dataset-types"));
    return new ProcessBuilder(childCommand)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  /** Waits until the child has finished at least two quanta of flaky; returns how many. */
  private int waitForTwoDone(Process child) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    int done = 0;
    while (System.currentTimeMillis() < deadline && child.isAlive()) {
      try (Butler b = Butler.open(repo, Butler.Options.none())) {
        if (b.registry().collections().contains("u/out")) {
          done =
              b.registry()
                  .queryDatasets("flaky_metadata", List.of("u/out"), DataQuery.all())
                  .toList()
                  .size();
        }
      } catch (RuntimeException e) {
        // the repository is being written; look again
      }
      if (done >= 2) {
        break;
      }
      Thread.sleep(50);
    }
    return done;
  }

  @Test
  void terminatedRunSaysHowToResumeAndTheResumeCountsWhatWasDone() throws Exception {
    Path log = dir.resolve("child.log");
    Process child = startChildRun(log);
    int done = waitForTwoDone(child);
    child.destroy(); // SIGTERM: the JVM runs its shutdown hooks
    assertThat(child.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    String said = Files.readString(log);
    assertThat(said).contains("Interrupted").contains("resume with").contains("--extend-run");
    assertThat(done).as(said).isBetween(2, 5);
    List<String> again = new ArrayList<>(childRunArgs());
    again.addAll(List.of("--extend-run", "-j", "2"));
    assertThat(cli.run(again.toArray(String[]::new))).as(cli.lastErr()).isZero();
    try (Butler b = Butler.open(repo, Butler.Options.none())) {
      String run = b.registry().chain("u/out").get(0);
      assertThat(datasets(b, "flaky_metadata", run)).hasSize(6);
    }
    // The quanta finished before the signal were left out of the new graph: counted as done.
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("flaky\\s+(\\d+)\\s+0\\s+0\\s+0\\s+(\\d+)")
            .matcher(cli.lastOut());
    assertThat(m.find()).as(cli.lastOut()).isTrue();
    int ranNow = Integer.parseInt(m.group(1));
    int skipped = Integer.parseInt(m.group(2));
    assertThat(ranNow + skipped).isEqualTo(6);
    assertThat(skipped).isGreaterThanOrEqualTo(done).isPositive();
  }

  @Test
  void killedAnyTimeThenExtendedFinishesWithNoDuplicateOrLoss() throws Exception {
    Path log = dir.resolve("child.log");
    Process child = startChildRun(log);
    // Kill it (SIGKILL: no clean-up at all) once some quanta are done and others are running.
    int done = waitForTwoDone(child);
    child.destroyForcibly().waitFor();
    assertThat(done).as(Files.readString(log)).isBetween(2, 5);
    List<String> common = childRunArgs();
    // Re-run into the same chain's run.
    List<String> again = new ArrayList<>(common);
    again.addAll(List.of("--extend-run", "-j", "2"));
    assertThat(cli.run(again.toArray(String[]::new))).as(cli.lastErr()).isZero();
    try (Butler b = Butler.open(repo, Butler.Options.none())) {
      String run = b.registry().chain("u/out").get(0);
      assertThat(datasets(b, "scaled", run)).hasSize(6);
      assertThat(datasets(b, "flaky_metadata", run)).hasSize(6);
      assertThat(datasets(b, "exposure_sum", run)).hasSize(3);
      assertThat(datasets(b, "sum_metadata", run)).hasSize(3);
      // Every file in the run's directory is a recorded artifact: nothing left over, none lost.
      assertThat(b.datastore().verify().ok()).as(b.datastore().verify().toString()).isTrue();
      try (Stream<Path> files = Files.walk(b.datastore().root().resolve(run))) {
        assertThat(files.filter(Files::isRegularFile).count())
            .isEqualTo(
                6 + 6 + 6 + 3 + 3 + 3 + 4); // scaled, flaky meta+log, sums, sum meta+log, inits
      }
    }
  }
}
