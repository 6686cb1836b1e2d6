package org.jbutler.pipetask.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jbutler.butler.Butler;
import org.jbutler.cli.FormatMixin;
import org.jbutler.cli.TerminalProgress;
import org.jbutler.pipetask.execution.GraphExecutor;
import org.jbutler.pipetask.execution.PipelineRun;
import org.jbutler.pipetask.graph.QuantumGraph;
import org.jbutler.pipetask.pipeline.PipelineGraph;
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
    // Every option is checked (by ExecutionOptions) before anything is written to the repository.
    PipelineRun.ExecutionOptions options =
        new PipelineRun.ExecutionOptions(
            processes,
            failFast,
            timeout,
            TerminalProgress.forCli(progress),
            registerDatasetTypes,
            skipInitWrites,
            initOnly);
    try (Butler butler = Butler.open(qgraph.repo(), Butler.Options.none())) {
      PipelineGraph pg = null;
      if (!qgraph.loading() || pipeline.given()) {
        pg = PipelineGraph.build(pipeline.load(), butler.registry());
      }
      String command =
          "pipetask run " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
      PipelineRun run = qgraph.prepare(pg, butler, command, true);
      QuantumGraph graph = run.graph();
      if (save != null) {
        run.save(save);
      }
      long t0 = System.nanoTime();
      GraphExecutor.Report report;
      // On SIGTERM or Ctrl-C, say what was done and how to go on (finished quanta are recorded).
      java.util.concurrent.atomic.AtomicBoolean finished =
          new java.util.concurrent.atomic.AtomicBoolean();
      Thread onSignal = new Thread(() -> sayInterrupted(finished, run), "pipetask-interrupted");
      Runtime.getRuntime().addShutdownHook(onSignal);
      try {
        report = run.execute(options);
      } finally {
        finished.set(true);
        try {
          Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (IllegalStateException e) {
          // shutting down already: the hook has run or is running
        }
      }
      if (report == null) {
        out.println("Wrote the init-outputs to " + graph.header().outputRun() + ".");
        out.flush();
        return 0;
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      if (summary != null) {
        RunSummary.writeJson(report, summary);
      }
      RunSummary.print(report, run.pipeline(), graph, seconds, out, format.format());
      return report.anyFailed() ? 1 : 0;
    }
  }

  private static void sayInterrupted(
      java.util.concurrent.atomic.AtomicBoolean finished, PipelineRun run) {
    if (finished.get()) {
      return;
    }
    GraphExecutor.RunProgress p = run.progress();
    QuantumGraph.Header h = run.graph().header();
    System.err.println(
        "Interrupted: "
            + p.done()
            + " of "
            + p.total()
            + " quanta had finished ("
            + p.failed()
            + " failed) in run "
            + h.outputRun()
            + "; what finished is recorded. To resume with the rest, run the same"
            + " command with --extend-run"
            + (h.outputChain() == null
                ? " --output-run " + h.outputRun()
                : " (-o " + h.outputChain() + ")")
            + ".");
    System.err.flush();
  }
}
