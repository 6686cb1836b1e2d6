package org.jbutler.pipetask.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jbutler.butler.Butler;
import org.jbutler.pipetask.execution.PipelineRun;
import org.jbutler.pipetask.pipeline.PipelineGraph;
import org.jbutler.schema.exceptions.InvalidConfigException;
import picocli.CommandLine.Option;

/**
 * The data-repository and graph-building options shared by {@code qgraph} and {@code run}, and the
 * step they drive: load a saved graph ({@code -g}) or resolve the collections and build one.
 */
public final class QgraphOptions {

  @Option(
      names = {"-b", "--butler-config"},
      paramLabel = "REPO",
      description = "The repository (its root, or its butler.yaml).")
  Path repo;

  @Option(
      names = {"-i", "--input"},
      split = ",",
      paramLabel = "COLLECTION",
      description = "Input collections, in search order (comma-separated, repeatable).")
  List<String> inputs = new ArrayList<>();

  @Option(
      names = {"-o", "--output"},
      paramLabel = "CHAIN",
      description =
          "Output CHAINED collection: a new one is [new RUN] + inputs; an existing one gets a new"
              + " RUN in front.")
  String output;

  @Option(
      names = "--output-run",
      paramLabel = "RUN",
      description = "The RUN collection for the outputs (default: CHAIN/YYYYMMDDTHHMMSSZ).")
  String outputRun;

  @Option(
      names = "--extend-run",
      description = "Add to an existing output RUN (implies --skip-existing).")
  boolean extendRun;

  @Option(
      names = "--replace-run",
      description = "Take the -o chain's first RUN out and put a new one in front.")
  boolean replaceRun;

  @Option(
      names = "--prune-replaced",
      paramLabel = "unstore|purge",
      description =
          "With --replace-run: unstore deletes the replaced run's task outputs' files; purge"
              + " removes the run and its datasets.")
  String pruneReplaced;

  @Option(
      names = {"-d", "--data-query"},
      paramLabel = "QUERY",
      description = "A user data query, e.g. \"visit IN (1..3) AND detector = 2\".")
  String dataQuery = "";

  @Option(
      names = "--dataset-query-constraint",
      paramLabel = "all|off|TYPE,...",
      description =
          "Which overall inputs must exist for a data ID to be kept: all (default), off, or the"
              + " listed dataset types.")
  String datasetQueryConstraint = "all";

  @Option(
      names = "--skip-existing-in",
      split = ",",
      paramLabel = "COLLECTION",
      description = "Skip quanta whose <label>_metadata exists in these collections.")
  List<String> skipExistingIn = new ArrayList<>();

  @Option(
      names = "--skip-existing",
      description = "Skip quanta already done in the output RUN (adds it to --skip-existing-in).")
  boolean skipExisting;

  @Option(
      names = "--clobber-outputs",
      description =
          "Tolerate outputs already in the output RUN (their IDs are reused). pipetask run"
              + " registers a quantum's outputs with its metadata, so only outputs written by"
              + " other means can be in the way.")
  boolean clobberOutputs;

  @Option(
      names = {"-g", "--qgraph"},
      paramLabel = "FILE",
      description = "Load this saved quantum graph instead of building one.")
  Path loadGraph;

  @Option(
      names = "--qgraph-node-id",
      split = ",",
      paramLabel = "UUID",
      description = "With -g: only these quanta (read alone from the file).")
  List<java.util.UUID> nodeIds = new ArrayList<>();

  /** Whether {@code -g} was given. */
  public boolean loading() {
    return loadGraph != null;
  }

  /** The repository, required. */
  public Path repo() {
    if (repo == null) {
      throw new InvalidConfigException("Give the repository with -b REPO.");
    }
    return repo;
  }

  /**
   * Loads the saved graph ({@code -g}) or resolves the collections and builds one: the run these
   * options describe, prepared ({@link PipelineRun.Builder#prepare()}).
   *
   * @param pipeline the resolved pipeline (null when loading without -p)
   * @param butler the repository
   * @param command the command line, recorded in the graph
   * @param forRun whether the graph will run now: then the collections are resolved for a loaded
   *     graph too (its output RUN, unless --output-run names the same one)
   */
  public PipelineRun prepare(
      PipelineGraph pipeline, Butler butler, String command, boolean forRun) {
    if (butler == null) {
      throw new InvalidConfigException("Give the repository with -b REPO.");
    }
    return PipelineRun.builder(butler)
        .pipeline(pipeline)
        .savedGraph(loadGraph)
        .quanta(nodeIds)
        .inputs(inputs)
        .output(output)
        .outputRun(outputRun)
        .extendRun(extendRun)
        .replaceRun(replaceRun)
        .pruneReplaced(pruneReplaced)
        .dataQuery(dataQuery)
        .datasetQueryConstraint(datasetQueryConstraint)
        .skipExistingIn(skipExistingIn)
        .skipExisting(skipExisting)
        .clobberOutputs(clobberOutputs)
        .command(command)
        .forRun(forRun)
        .prepare();
  }

  /** The saved graph ({@code -g}, with {@code --qgraph-node-id}), read without a repository. */
  public org.jbutler.pipetask.graph.QuantumGraph readSaved() {
    return nodeIds.isEmpty()
        ? org.jbutler.pipetask.graph.file.QuantumGraphFile.read(loadGraph)
        : org.jbutler.pipetask.graph.file.QuantumGraphFile.subgraph(loadGraph, nodeIds);
  }
}
