package org.jbutler.pipetask.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jbutler.butler.Butler;
import org.jbutler.cli.FormatMixin;
import org.jbutler.pipetask.graph.file.QuantumGraphFile;
import org.jbutler.pipetask.pipeline.PipelineGraph;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pipetask qgraph}: build a quantum graph (or load one), show it, save it. */
@Command(
    name = "qgraph",
    mixinStandardHelpOptions = true,
    description =
        "Build the quantum graph of a pipeline against a repository: every task's quanta with their input and predicted output datasets, resolved before anything runs. Or load a saved graph with -g. Show it (--show), save it (-q), draw it (--qgraph-dot).")
public final class QgraphCommand implements Callable<Integer> {

  @Mixin PipelineOptions pipeline;

  @Mixin QgraphOptions qgraph;

  @Mixin FormatMixin format;

  @Option(
      names = "--show",
      paramLabel = "ITEM",
      description =
          "summary (quanta per task, datasets per type), graph (every quantum with its refs),"
              + " workflow (quanta and their dependencies), uri (where inputs are and outputs"
              + " will be); or a pipeline item of `pipetask build --show`. Repeatable.")
  List<String> show = new ArrayList<>();

  @Option(
      names = {"-q", "--save-qgraph"},
      paramLabel = "FILE",
      description = "Save the graph (conventionally FILE.qgraph).")
  Path save;

  @Option(names = "--qgraph-dot", paramLabel = "FILE", description = "Write the graph in dot.")
  Path dot;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    List<String> pipelineItems =
        show.stream().filter(s -> !GraphPrinter.GRAPH_ITEMS.contains(s)).toList();
    boolean graphWanted =
        save != null || dot != null || pipelineItems.size() < show.size() || show.isEmpty();
    Butler butler = null;
    try {
      if (!qgraph.loading() || qgraph.repo != null) {
        butler = Butler.open(qgraph.repo(), Butler.Options.none());
      }
      PipelineGraph pg = null;
      if (!qgraph.loading() || pipeline.given()) {
        pg = PipelineGraph.build(pipeline.load(), butler == null ? null : butler.registry());
        for (String item : pipelineItems) {
          BuildCommand.show(item, pg, out);
        }
      } else if (!pipelineItems.isEmpty()) {
        throw new org.jbutler.schema.exceptions.InvalidConfigException(
            "--show " + pipelineItems.get(0) + " needs the pipeline: give -p FILE.");
      }
      out.flush();
      if (!graphWanted) {
        return 0;
      }
      String command =
          "pipetask qgraph " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
      org.jbutler.pipetask.graph.QuantumGraph graph =
          butler == null ? qgraph.readSaved() : qgraph.prepare(pg, butler, command, false).graph();
      for (String item : show) {
        if (GraphPrinter.GRAPH_ITEMS.contains(item)) {
          GraphPrinter.show(item, graph, butler, out, format.format());
        }
      }
      // Notes go to standard error when standard output is JSON or CSV for a script.
      PrintWriter notes =
          format.format() == org.jbutler.cli.OutputFormat.TABLE ? out : spec.commandLine().getErr();
      if (save != null) {
        QuantumGraphFile.write(graph, universe(butler), save);
        notes.println("Saved " + graph.quanta().size() + " quanta to " + save + ".");
      }
      if (dot != null) {
        Files.writeString(dot, GraphPrinter.dot(graph));
        notes.println("Wrote " + dot + ".");
      }
      notes.flush();
      if (show.isEmpty() && save == null && dot == null) {
        out.println(
            "Quantum graph: "
                + graph.quanta().size()
                + " quanta for "
                + graph.quantaPerTask().size()
                + " task(s), output run "
                + graph.header().outputRun()
                + " (nothing saved; give -q FILE to save it).");
      }
      out.flush();
      return 0;
    } finally {
      if (butler != null) {
        butler.close();
      }
    }
  }

  private org.jbutler.schema.dimensions.DimensionUniverse universe(Butler butler)
      throws IOException {
    if (qgraph.loading()) {
      try (org.jbutler.pipetask.graph.file.QuantumGraphReader reader =
          QuantumGraphFile.open(qgraph.loadGraph)) {
        return reader.universe();
      }
    }
    return butler.registry().universe();
  }
}
