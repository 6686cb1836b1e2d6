package org.jbutler.pipetask;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import org.jbutler.butler.Butler;
import org.jbutler.butler.testing.CommandRunner;
import org.jbutler.pipetask.cli.PipetaskCommand;
import org.jbutler.pipetask.examples.ScaleTask;
import org.jbutler.pipetask.examples.SumTask;
import org.jbutler.pipetask.execution.OutputCollections;
import org.jbutler.pipetask.graph.QuantumGraph;
import org.jbutler.pipetask.graph.file.QuantumGraphFile;
import org.jbutler.schema.CollectionType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pipetask qgraph} end to end on the small Cam1 repository. */
class QgraphCommandTest {

  @TempDir Path dir;
  private final CommandRunner cli = new CommandRunner(PipetaskCommand::new);
  Path repo;
  Path pipeline;

  @BeforeEach
  void setUp() throws Exception {
    repo = dir.resolve("repo");
    Cam1Repo.create(repo, new HashMap<>()).close();
    pipeline = dir.resolve("p.yaml");
    Files.writeString(
        pipeline,
        "description: test\ntasks:\n  scale: "
            + ScaleTask.class.getName()
            + "\n  sum:\n    class: "
            + SumTask.class.getName()
            + "\n    config: {useBias: false}\n");
  }

  private int qgraph(String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of("qgraph", "-b", repo.toString(), "-p", pipeline.toString()));
    args.addAll(List.of(more));
    return cli.run(args.toArray(String[]::new));
  }

  @Test
  void buildsShowsSavesAndLoads() throws Exception {
    Path saved = dir.resolve("g.qgraph");
    Path dot = dir.resolve("g.dot");
    assertThat(
            qgraph(
                "-i",
                "raw/run,calib",
                "-o",
                "u/me/out",
                "-d",
                "instrument = 'Cam1' AND exposure IN (1, 2)",
                "--show",
                "summary",
                "-q",
                saved.toString(),
                "--qgraph-dot",
                dot.toString()))
        .as(cli.lastErr())
        .isZero();
    String summary = cli.lastOut();
    assertThat(summary)
        .containsPattern("scale\\s+4")
        .containsPattern("sum\\s+2")
        .containsPattern("scaled\\s+4")
        .containsPattern("raw\\s+4")
        .containsPattern("output run u/me/out/\\d{8}T\\d{6}Z")
        .contains("output chain u/me/out");
    assertThat(Files.readString(dot)).startsWith("digraph QuantumGraph").contains("shape=box");
    // qgraph does not create collections: that happens when the graph runs.
    try (Butler b = Butler.open(repo, Butler.Options.none())) {
      assertThat(b.registry().collections()).doesNotContain("u/me/out");
    }
    QuantumGraph g = QuantumGraphFile.read(saved);
    assertThat(g.quanta()).hasSize(6);
    assertThat(g.header().outputChain()).isEqualTo("u/me/out");
    assertThat(g.header().inputs()).containsExactly("raw/run", "calib");
    assertThat(g.header().command()).contains("instrument = 'Cam1' AND exposure IN (1, 2)");

    // Loaded without a pipeline: the same summary; as JSON for scripts.
    assertThat(cli.run("qgraph", "-g", saved.toString(), "--show", "summary", "--format", "json"))
        .as(cli.lastErr())
        .isZero();
    var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cli.lastOut());
    assertThat(doc.get("quanta_per_task").get("scale").asInt()).isEqualTo(4);
    assertThat(doc.get("datasets_per_type").get("raw").asInt()).isEqualTo(4);
    assertThat(doc.get("output").asText()).isEqualTo("u/me/out");
    // With --format json, standard output is JSON only (notes go to standard error).
    Path again = dir.resolve("again.qgraph");
    assertThat(
            cli.run(
                "qgraph",
                "-g",
                saved.toString(),
                "--show",
                "summary",
                "--format",
                "json",
                "-q",
                again.toString()))
        .isZero();
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(cli.lastOut())
                .get("quanta")
                .asInt())
        .isEqualTo(6);
    assertThat(cli.lastOut()).doesNotContain("Saved");
    assertThat(cli.lastErr()).contains("Saved 6 quanta");
    assertThat(QuantumGraphFile.read(again).quanta()).hasSize(6);
    assertThat(cli.run("qgraph", "-g", saved.toString(), "--show", "workflow")).isZero();
    String workflow = cli.lastOut();
    assertThat(workflow.lines().filter(l -> l.startsWith("Quantum "))).hasSize(6);
    // Each gather has two parents.
    assertThat(workflow.lines().filter(l -> l.startsWith("Parent Quantum "))).hasSize(4);
    assertThat(cli.run("qgraph", "-g", saved.toString(), "--show", "graph")).isZero();
    assertThat(cli.lastOut()).contains("Task scale:").contains("input exposure: raw");
    assertThat(cli.run("qgraph", "-g", saved.toString(), "-b", repo.toString(), "--show", "uri"))
        .as(cli.lastErr())
        .isZero();
    assertThat(cli.lastOut()).contains("file:").contains("/raw/run/");
    assertThat(cli.run("qgraph", "-g", saved.toString(), "--show", "uri")).isEqualTo(2);
    assertThat(cli.lastErr()).contains("needs the repository");
  }

  @Test
  void anUnknownCommandIsAnErrorAndHelpListsTheExitCodes() {
    assertThat(cli.run("nosuch", "--help")).isEqualTo(2);
    assertThat(cli.lastErr()).contains("Unknown command 'nosuch'").contains("pipetask --help");
    assertThat(cli.run("run", "--help")).isZero();
    assertThat(cli.lastOut()).contains("Exit codes:").contains("130  interrupted");
  }

  @Test
  void collectionOptionsFollowPipetasksConventions() throws Exception {
    // --output-run alone: reads (run,) + inputs, no chain.
    assertThat(qgraph("-i", "raw/run", "--output-run", "mine", "--show", "summary")).isZero();
    assertThat(cli.lastOut()).contains("output run mine;");
    // A new -o without -i is an error.
    assertThat(qgraph("-o", "fresh")).isEqualTo(2);
    assertThat(cli.lastErr()).contains("-o fresh is a new collection: give its inputs with -i");
    // No output at all.
    assertThat(qgraph("-i", "raw/run")).isEqualTo(2);
    assertThat(cli.lastErr()).contains("Give an output");
    // An existing run without --extend-run: a conflict (3), as in butler.
    assertThat(qgraph("-i", "raw/run", "--output-run", "raw/run")).isEqualTo(3);
    assertThat(cli.lastErr())
        .contains("Output run 'raw/run' already exists, but --extend-run was not given");
    // --extend-run of a run that does not exist: missing (4), as in butler.
    assertThat(qgraph("-i", "raw/run", "--output-run", "nope", "--extend-run")).isEqualTo(4);
    assertThat(cli.lastErr()).contains("does not exist");
    assertThat(qgraph("-i", "raw/run", "-o", "x", "--extend-run", "--replace-run")).isEqualTo(2);
    assertThat(cli.lastErr()).contains("cannot be used together");
    assertThat(qgraph("-i", "nothere", "-o", "x")).isEqualTo(4);
    assertThat(cli.lastErr()).contains("-i:").contains("nothere");

    // An existing chain: apply() makes it [run] + inputs; later graphs read through it, a new
    // run goes in front, --extend-run reuses the first child, --replace-run swaps it.
    try (Butler b = Butler.open(repo, Butler.Options.none())) {
      OutputCollections first =
          OutputCollections.resolve(
              b.registry(),
              List.of("raw/run", "calib"),
              "out",
              "out/r1",
              false,
              false,
              null,
              List.of(),
              false);
      first.apply(b.registry());
      assertThat(b.registry().chain("out")).containsExactly("out/r1", "raw/run", "calib");
      assertThat(b.registry().collectionType("out/r1")).isEqualTo(CollectionType.RUN);

      OutputCollections again =
          OutputCollections.resolve(
              b.registry(), List.of(), "out", "out/r2", false, false, null, List.of(), false);
      assertThat(again.readPath()).containsExactly("out/r1", "raw/run", "calib");
      again.apply(b.registry());
      assertThat(b.registry().chain("out")).containsExactly("out/r2", "out/r1", "raw/run", "calib");

      OutputCollections extend =
          OutputCollections.resolve(
              b.registry(), List.of("raw/run"), "out", null, true, false, null, List.of(), false);
      assertThat(extend.outputRun()).isEqualTo("out/r2");
      assertThat(extend.skipExistingIn()).containsExactly("out/r2");

      OutputCollections replace =
          OutputCollections.resolve(
              b.registry(), List.of(), "out", "out/r3", false, true, null, List.of(), false);
      assertThat(replace.replacedRun()).isEqualTo("out/r2");
      assertThat(replace.readPath()).containsExactly("out/r1", "raw/run", "calib");
      replace.apply(b.registry());
      assertThat(b.registry().chain("out")).containsExactly("out/r3", "out/r1", "raw/run", "calib");
    }
    // Inputs that are not a contiguous part of the existing chain: a conflict with it (3).
    assertThat(qgraph("-i", "calib,raw/run", "-o", "out")).isEqualTo(3);
    assertThat(cli.lastErr()).contains("not consistent with the existing output chain out");
    // A run that is in the chain already: --extend-run through the CLI reads it first.
    assertThat(qgraph("-o", "out", "--extend-run", "--show", "summary")).as(cli.lastErr()).isZero();
    assertThat(cli.lastOut()).contains("output run out/r3,");
  }

  @Test
  void thePipelinesInstrumentConstrainsTheDataQuery() throws Exception {
    assertThat(qgraph("-i", "raw/run", "-o", "x", "-d", "exposure = 3")).isEqualTo(2);
    assertThat(cli.lastErr()).contains("nothing constrains instrument");
    Files.writeString(pipeline, "instrument: Cam1\n" + Files.readString(pipeline));
    assertThat(qgraph("-i", "raw/run", "-o", "x", "-d", "exposure = 3", "--show", "summary"))
        .as(cli.lastErr())
        .isZero();
    assertThat(cli.lastOut()).containsPattern("scale\\s+2").containsPattern("sum\\s+1");
  }

  @Test
  void theShippedNoopTasksMakeOneQuantumPerDataIdAndAGather() {
    assertThat(
            cli.run(
                "qgraph",
                "-b",
                repo.toString(),
                "-t",
                "org.jbutler.pipetask.tasks.NoopTask",
                "-t",
                "org.jbutler.pipetask.tasks.NoopSumTask",
                "--instrument",
                "Cam1",
                "-i",
                "raw/run",
                "--output-run",
                "noop",
                "--show",
                "summary"))
        .as(cli.lastErr())
        .isZero();
    assertThat(cli.lastOut())
        .containsPattern("noopTask\\s+6")
        .containsPattern("noopSumTask\\s+3")
        .containsPattern("noop_out\\s+6")
        .containsPattern("noop_sum\\s+3")
        .containsPattern("raw\\s+6");
  }

  @Test
  void emptyGraphsExplainThemselvesWithExitCode() {
    assertThat(qgraph("-i", "raw/run", "-o", "x", "-d", "instrument = 'Cam1' AND exposure = 4"))
        .isEqualTo(4);
    assertThat(cli.lastErr()).startsWith("Error: ").contains("raw");
    assertThat(qgraph("-i", "raw/run", "-o", "x", "-d", "exposure = ")).isEqualTo(2);
    assertThat(cli.lastErr()).contains("exposure = ");
  }

  @Test
  void loadingAnotherMajorVersionIsAClearError() throws Exception {
    Path saved = dir.resolve("g.qgraph");
    assertThat(qgraph("-i", "raw/run", "-o", "x", "-q", saved.toString())).isZero();
    byte[] bytes = Files.readAllBytes(saved);
    // The major version follows the 8-byte magic as a big-endian short.
    bytes[9] = 9;
    Files.write(saved, bytes);
    assertThat(cli.run("qgraph", "-g", saved.toString(), "--show", "summary")).isNotZero();
    assertThat(cli.lastErr()).contains("format 9.").doesNotContain("Exception");
    // Cut short or damaged: exit 5 (damaged data); not a graph at all: exit 2.
    bytes[9] = 1;
    Files.write(saved, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThat(cli.run("qgraph", "-g", saved.toString(), "--show", "summary")).isEqualTo(5);
    assertThat(cli.lastErr()).contains("is truncated");
    byte[] flipped = bytes.clone();
    for (int i = flipped.length - 40; i < flipped.length - 24; i++) {
      flipped[i] = (byte) ~flipped[i];
    }
    Files.write(saved, flipped);
    assertThat(cli.run("qgraph", "-g", saved.toString(), "--show", "summary")).isEqualTo(5);
    assertThat(cli.lastErr()).contains("is damaged").doesNotContain("Exception");
    Files.writeString(saved, "hello");
    assertThat(cli.run("qgraph", "-g", saved.toString(), "--show", "summary")).isEqualTo(2);
    assertThat(cli.lastErr()).contains("is not a jbutler quantum graph file");
  }
}
