package org.jbutler.pipetask.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jbutler.butler.Butler;
import org.jbutler.pipetask.Connection;
import org.jbutler.pipetask.pipeline.Pipeline;
import org.jbutler.pipetask.pipeline.PipelineGraph;
import org.jbutler.schema.exceptions.InvalidConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code pipetask build}: load and modify a pipeline, check its graph, show or save it. */
@Command(
    name = "build",
    mixinStandardHelpOptions = true,
    description =
        "Build a pipeline: load -p FILE, apply -t/--delete/-c/-C in order, resolve every task's config and connections, check the graph (and, with -b, against a repository's dataset types), then show or save it.")
public final class BuildCommand implements Callable<Integer> {

  @Mixin PipelineOptions pipeline;

  @Option(
      names = "--show",
      paramLabel = "ITEM",
      description =
          "pipeline, config, config=LABEL, tasks, subsets, graph (dataset types); repeatable.")
  List<String> show = new ArrayList<>();

  @Option(
      names = {"-s", "--save-pipeline"},
      paramLabel = "FILE",
      description = "Write the expanded pipeline YAML (imports resolved) to FILE.")
  Path savePipeline;

  @Option(names = "--pipeline-dot", paramLabel = "FILE", description = "Write the graph in dot.")
  Path pipelineDot;

  @Option(
      names = {"-b", "--butler-config"},
      paramLabel = "REPO",
      description = "Check dataset types against this repository's definitions.")
  Path repo;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Pipeline p = pipeline.load();
    PipelineGraph graph;
    if (repo != null) {
      try (Butler b = Butler.open(repo, Butler.Options.none())) {
        graph = PipelineGraph.build(p, b.registry());
      }
    } else {
      graph = PipelineGraph.build(p, null);
    }
    PrintWriter out = spec.commandLine().getOut();
    for (String item : show) {
      show(item, graph, out);
    }
    if (savePipeline != null) {
      Files.writeString(savePipeline, graph.pipeline().toYaml());
      out.println("Wrote " + savePipeline + ".");
    }
    if (pipelineDot != null) {
      Files.writeString(pipelineDot, graph.toDot());
      out.println("Wrote " + pipelineDot + ".");
    }
    if (show.isEmpty() && savePipeline == null && pipelineDot == null) {
      out.println(
          "Pipeline OK: "
              + graph.tasks().size()
              + " task(s), "
              + graph.datasetTypes().size()
              + " dataset type(s).");
    }
    out.flush();
    return 0;
  }

  static void show(String item, PipelineGraph graph, PrintWriter out) throws IOException {
    String what = item.contains("=") ? item.substring(0, item.indexOf('=')) : item;
    String arg = item.contains("=") ? item.substring(item.indexOf('=') + 1) : null;
    switch (what) {
      case "pipeline" -> out.print(graph.pipeline().toYaml());
      case "config" -> {
        ObjectMapper yaml =
            new ObjectMapper(
                    new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER))
                .enable(SerializationFeature.INDENT_OUTPUT);
        for (PipelineGraph.TaskNode t : graph.tasks()) {
          if (arg == null || arg.equals(t.label())) {
            out.println("### " + t.label() + " (" + t.className() + ")");
            out.print(yaml.writeValueAsString(t.config().asTree()));
          }
        }
        if (arg != null && graph.tasks().stream().noneMatch(t -> t.label().equals(arg))) {
          throw new InvalidConfigException("--show config=" + arg + ": no such task.");
        }
      }
      case "tasks" -> {
        for (PipelineGraph.TaskNode t : graph.tasks()) {
          out.println(t.label() + "  " + t.className() + "  " + t.dimensions());
        }
      }
      case "subsets" -> {
        for (Pipeline.Subset s : graph.pipeline().subsets().values()) {
          out.println(
              s.label()
                  + "  "
                  + s.tasks()
                  + (s.description().isEmpty() ? "" : "  " + s.description()));
        }
      }
      case "graph", "pipeline-graph", "task-graph" -> {
        for (PipelineGraph.TaskNode t : graph.tasks()) {
          out.println("task " + t.label() + " " + t.dimensions());
          for (Connection c : t.connections().all().values()) {
            out.println(
                "  "
                    + kind(c)
                    + " "
                    + c.name()
                    + ": "
                    + c.datasetType()
                    + " "
                    + graph.universe().group(c.dimensions())
                    + " "
                    + c.storageClass()
                    + (c.multiple() ? " multiple" : ""));
          }
        }
        for (Map.Entry<String, PipelineGraph.DatasetTypeNode> e : graph.datasetTypes().entrySet()) {
          PipelineGraph.DatasetTypeNode n = e.getValue();
          out.println(
              "dataset type "
                  + e.getKey()
                  + " "
                  + n.definition().dimensions()
                  + " "
                  + n.definition().storageClass().replace("?", "")
                  + (n.producer() == null ? " (overall input)" : " <- " + n.producer()));
        }
      }
      default ->
          throw new InvalidConfigException(
              "--show "
                  + item
                  + ": not known; give pipeline, config, config=LABEL, tasks, subsets or graph.");
    }
  }

  private static String kind(Connection c) {
    return switch (c.kind()) {
      case INPUT -> "input";
      case PREREQUISITE_INPUT -> "prerequisite";
      case OUTPUT -> "output";
      case INIT_INPUT -> "init-input";
      case INIT_OUTPUT -> "init-output";
    };
  }
}
