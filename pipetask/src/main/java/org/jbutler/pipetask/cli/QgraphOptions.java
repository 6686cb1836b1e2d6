package org.jbutler.pipetask.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jbutler.butler.Butler;
import org.jbutler.pipetask.PipelineGraph;
import org.jbutler.pipetask.QuantumGraph;
import org.jbutler.pipetask.QuantumGraphBuilder;
import org.jbutler.pipetask.QuantumGraphFile;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * The data-repository and graph-building options shared by {@code qgraph} and {@code run}, and the
 * step they drive: load a saved graph ({@code -g}) or resolve the collections and build one.
 */
public final class QgraphOptions {

  private static final Logger LOG = LoggerFactory.getLogger(QgraphOptions.class);

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

  /** The graph and where its outputs go. */
  public record Resolved(QuantumGraph graph, OutputCollections collections) {}

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
   * Loads the saved graph ({@code -g}) or resolves the collections and builds one.
   *
   * @param pipeline the resolved pipeline (ignored when loading)
   * @param butler the repository
   * @param command the command line, recorded in the graph
   * @param forRun whether the graph will run now: then the collections are resolved for a loaded
   *     graph too (its output RUN, unless --output-run names the same one)
   */
  public Resolved obtain(PipelineGraph pipeline, Butler butler, String command, boolean forRun) {
    if (loadGraph != null) {
      long t0 = System.nanoTime();
      QuantumGraph g;
      if (nodeIds.isEmpty()) {
        g = QuantumGraphFile.read(loadGraph);
      } else {
        g = QuantumGraphFile.subgraph(loadGraph, nodeIds);
      }
      LOG.info(
          "Read {} quanta for {} task(s) from {} in {} ms.",
          g.quanta().size(),
          g.quantaPerTask().size(),
          loadGraph,
          (System.nanoTime() - t0) / 1_000_000);
      if (outputRun != null && !outputRun.equals(g.header().outputRun())) {
        throw new InvalidConfigException(
            "--output-run "
                + outputRun
                + " differs from the graph's output run "
                + g.header().outputRun()
                + "; build a new graph for another run.");
      }
      OutputCollections c = null;
      if (forRun && butler != null) {
        c = collectionsForLoaded(butler, g);
      }
      return new Resolved(g, c);
    }
    if (!nodeIds.isEmpty()) {
      throw new InvalidConfigException(
          "--qgraph-node-id selects quanta of a saved graph: give -g.");
    }
    OutputCollections c =
        OutputCollections.resolve(
            butler.registry(),
            inputs,
            output,
            outputRun,
            extendRun,
            replaceRun,
            pruneReplaced,
            skipExistingIn,
            skipExisting);
    long t0 = System.nanoTime();
    QuantumGraph g =
        QuantumGraphBuilder.build(
            pipeline,
            butler.registry(),
            new QuantumGraphBuilder.Request(
                c.readPath(),
                c.outputRun(),
                c.outputChain(),
                dataQuery,
                java.util.Map.of(),
                datasetQueryConstraint,
                c.skipExistingIn(),
                clobberOutputs,
                command));
    LOG.info(
        "QuantumGraph contains {} quanta for {} task(s), output run {}; built in {} ms.",
        g.quanta().size(),
        g.quantaPerTask().size(),
        c.outputRun(),
        (System.nanoTime() - t0) / 1_000_000);
    return new Resolved(g, c);
  }

  /** The collections a loaded graph writes: its own output RUN and chain. */
  private OutputCollections collectionsForLoaded(Butler butler, QuantumGraph g) {
    QuantumGraph.Header h = g.header();
    boolean runExists = OutputCollections.exists(butler.registry(), h.outputRun());
    boolean chainExists =
        h.outputChain() != null && OutputCollections.exists(butler.registry(), h.outputChain());
    List<String> skip = new ArrayList<>(skipExistingIn);
    if ((skipExisting || extendRun) && runExists) {
      skip.add(h.outputRun());
    }
    List<String> inputsOfChain = new ArrayList<>(h.inputs());
    inputsOfChain.remove(h.outputRun());
    return new OutputCollections(
        h.inputs(),
        inputsOfChain,
        h.outputRun(),
        h.outputChain(),
        chainExists,
        null,
        null,
        List.copyOf(skip),
        extendRun);
  }
}
