package org.jbutler.pipetask.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jbutler.butler.Butler;
import org.jbutler.butler.cli.FormatMixin;
import org.jbutler.butler.cli.Results;
import org.jbutler.butler.cli.TerminalProgress;
import org.jbutler.pipetask.GraphExecutor;
import org.jbutler.pipetask.Pipeline;
import org.jbutler.pipetask.PipelineGraph;
import org.jbutler.pipetask.QuantumGraph;
import org.jbutler.pipetask.QuantumGraphFile;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.jbutler.schema.exceptions.MissingDatasetTypeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pipetask run}: build (or load) a quantum graph and execute it. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description =
        "Build a quantum graph (the options of qgraph) or load one (-g), then run it: init-outputs first, then quanta in dependency order on -j workers in this process. Exit code 0 if every quantum succeeded (or had no work), 1 if any failed or was blocked; the table below lists the others.")
public final class RunCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Mixin PipelineOptions pipeline;

  @Mixin QgraphOptions qgraph;

  @Mixin FormatMixin format;

  @Option(
      names = {"-j", "--processes"},
      paramLabel = "N",
      defaultValue = "1",
      description = "Quanta run at once (default: ${DEFAULT-VALUE}).")
  int processes;

  @Option(names = "--fail-fast", description = "Stop starting quanta after the first failure.")
  boolean failFast;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      defaultValue = "0",
      description = "Fail a quantum that runs longer than this (default: no limit).")
  double timeout;

  @Option(
      names = "--register-dataset-types",
      description = "Register the pipeline's new dataset types (else they must exist).")
  boolean registerDatasetTypes;

  @Option(names = "--skip-init-writes", description = "Do not write configs and init-outputs.")
  boolean skipInitWrites;

  @Option(names = "--init-only", description = "Write configs and init-outputs, run no quanta.")
  boolean initOnly;

  @Option(
      names = {"-q", "--save-qgraph"},
      paramLabel = "FILE",
      description = "Also save the graph.")
  Path save;

  @Option(
      names = "--summary",
      paramLabel = "FILE",
      description = "Write every quantum's outcome as JSON (also after failures).")
  Path summary;

  @Option(
      names = "--no-progress",
      negatable = true,
      defaultValue = "true",
      description = "Show a progress bar on a terminal (default: on; --no-progress turns it off).")
  boolean progress;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    // Every option is checked before anything is written to the repository.
    if (processes < 1) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "-j/--processes must be at least 1, not " + processes + ".");
    }
    if (!(timeout >= 0) || Double.isInfinite(timeout)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "--timeout must be a number of seconds >= 0 (0: no limit), not " + timeout + ".");
    }
    try (Butler butler = Butler.open(qgraph.repo(), Butler.Options.none())) {
      PipelineGraph pg = null;
      if (!qgraph.loading() || pipeline.given()) {
        pg = PipelineGraph.build(pipeline.load(), butler.registry());
      }
      String command =
          "pipetask run " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
      QgraphOptions.Resolved r = qgraph.obtain(pg, butler, command, true);
      QuantumGraph graph = r.graph();
      if (pg == null) {
        pg = PipelineGraph.build(Pipeline.fromYaml(graph.pipelineYaml()), butler.registry());
      }
      if (save != null) {
        QuantumGraphFile.write(graph, butler.registry().universe(), save);
      }
      registerTypes(butler, graph);
      r.collections().apply(butler.registry());
      pruneReplaced(butler, r.collections());
      GraphExecutor executor =
          new GraphExecutor(
              butler,
              pg,
              graph,
              new GraphExecutor.Options(
                  processes, failFast, timeout, TerminalProgress.forCli(progress)));
      if (!skipInitWrites) {
        executor.writeInitOutputs(r.collections().extendRun());
      }
      if (initOnly) {
        out.println("Wrote the init-outputs to " + graph.header().outputRun() + ".");
        out.flush();
        return 0;
      }
      long t0 = System.nanoTime();
      GraphExecutor.Report report;
      // On SIGTERM or Ctrl-C, say what was done and how to go on (finished quanta are recorded).
      java.util.concurrent.atomic.AtomicBoolean finished =
          new java.util.concurrent.atomic.AtomicBoolean();
      String chain = graph.header().outputChain();
      Thread onSignal =
          new Thread(
              () -> {
                if (finished.get()) {
                  return;
                }
                GraphExecutor.RunProgress p = executor.runProgress();
                System.err.println(
                    "Interrupted: "
                        + p.done()
                        + " of "
                        + p.total()
                        + " quanta had finished ("
                        + p.failed()
                        + " failed) in run "
                        + graph.header().outputRun()
                        + "; what finished is recorded. To resume with the rest, run the same"
                        + " command with --extend-run"
                        + (chain == null
                            ? " --output-run " + graph.header().outputRun()
                            : " (-o " + chain + ")")
                        + ".");
                System.err.flush();
              },
              "pipetask-interrupted");
      Runtime.getRuntime().addShutdownHook(onSignal);
      try {
        report = executor.execute();
      } finally {
        finished.set(true);
        try {
          Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (IllegalStateException e) {
          // shutting down already: the hook has run or is running
        }
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (summary != null) {
        writeSummary(report, summary);
      }
      printSummary(report, pg, graph, seconds, out);
      return report.anyFailed() ? 1 : 0;
    }
  }

  private void registerTypes(Butler butler, QuantumGraph graph) {
    List<DatasetType> missing = new ArrayList<>();
    for (DatasetType t : graph.datasetTypes().values()) {
      try {
        butler.registry().datasetType(t.name());
      } catch (MissingDatasetTypeException e) {
        missing.add(t);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    if (!registerDatasetTypes) {
      throw new InvalidConfigException(
          "Dataset types not registered in the repository: "
              + String.join(", ", missing.stream().map(DatasetType::name).toList())
              + "; give --register-dataset-types to register them.");
    }
    for (DatasetType t : missing) {
      butler.registry().registerDatasetType(t);
    }
  }

  private static void pruneReplaced(Butler butler, OutputCollections c) {
    if (c.replacedRun() == null || c.pruneReplaced() == null) {
      return;
    }
    if (c.pruneReplaced().equals("purge")) {
      butler.removeRuns(List.of(c.replacedRun()), true);
      LOG.info("Removed the replaced run {} and its datasets.", c.replacedRun());
      return;
    }
    // unstore: the files of the task outputs go; configs, init-outputs and packages stay.
    List<DatasetRef> refs = new ArrayList<>();
    for (DatasetType t : butler.registry().queryDatasetTypes("*")) {
      if (t.dimensions().names().isEmpty()) {
        continue;
      }
      refs.addAll(
          butler
              .registry()
              .queryDatasets(t.name(), List.of(c.replacedRun()), DataQuery.all(), false)
              .toList());
    }
    butler.pruneDatasets(refs, List.of(), true, false);
    LOG.info(
        "Deleted the files of {} outputs of the replaced run {}.", refs.size(), c.replacedRun());
  }

  private void printSummary(
      GraphExecutor.Report report,
      PipelineGraph pg,
      QuantumGraph graph,
      double seconds,
      PrintWriter out) {
    List<List<Object>> rows = new ArrayList<>();
    Map<String, Map<GraphExecutor.Status, Integer>> perTask = report.perTask();
    // Pipeline order; "skipped (done)" counts quanta skipped while running and those the graph
    // left out at build time as already done (--extend-run, --skip-existing-in).
    for (PipelineGraph.TaskNode t : pg.tasks()) {
      Map<GraphExecutor.Status, Integer> counts = perTask.get(t.label());
      int skippedAtBuild = graph.skippedAtBuild().getOrDefault(t.label(), 0);
      if (counts == null && skippedAtBuild == 0) {
        continue;
      }
      java.util.function.Function<GraphExecutor.Status, Integer> n =
          s -> counts == null ? 0 : counts.get(s);
      rows.add(
          List.of(
              t.label(),
              n.apply(GraphExecutor.Status.SUCCEEDED),
              n.apply(GraphExecutor.Status.NO_WORK),
              n.apply(GraphExecutor.Status.FAILED),
              n.apply(GraphExecutor.Status.BLOCKED),
              n.apply(GraphExecutor.Status.SKIPPED) + skippedAtBuild));
    }
    Results.print(
        out,
        format.format(),
        List.of("task", "succeeded", "no work", "failed", "blocked", "skipped (done)"),
        rows);
    if (format.format() == org.jbutler.butler.cli.OutputFormat.TABLE) {
      long failed =
          report.quanta().stream().filter(q -> q.status() == GraphExecutor.Status.FAILED).count();
      out.printf(
          java.util.Locale.ROOT,
          "%d quanta in %.1f s into run %s%s%n",
          report.quanta().size(),
          seconds,
          graph.header().outputRun(),
          failed > 0 ? "; " + failed + " failed (their logs are in <label>_log)" : "");
      report.quanta().stream()
          .filter(q -> q.status() == GraphExecutor.Status.FAILED)
          .limit(10)
          .forEach(
              q -> out.println("  failed: " + q.task() + " " + q.dataId() + ": " + q.message()));
    }
    out.flush();
  }

  private static void writeSummary(GraphExecutor.Report report, Path file) throws IOException {
    List<Map<String, Object>> quanta = new ArrayList<>();
    for (GraphExecutor.QuantumResult q : report.quanta()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", q.id().toString());
      m.put("task", q.task());
      m.put("dataId", q.dataId().required());
      m.put("status", q.status().name());
      m.put("message", q.message());
      m.put("seconds", q.seconds());
      quanta.add(m);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("perTask", report.perTask());
    doc.put("quanta", quanta);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), doc);
  }
}
