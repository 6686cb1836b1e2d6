package org.jbutler.pipetask.execution;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jbutler.butler.Butler;
import org.jbutler.pipetask.graph.QuantumGraph;
import org.jbutler.pipetask.graph.QuantumGraphBuilder;
import org.jbutler.pipetask.graph.file.QuantumGraphFile;
import org.jbutler.pipetask.pipeline.Pipeline;
import org.jbutler.pipetask.pipeline.PipelineGraph;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.Progress;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pipeline run as a library call: what {@code pipetask qgraph} and {@code pipetask run} do,
 * without the command line. {@link #builder} collects the options ({@code -i}, {@code -o}, {@code
 * --output-run}, {@code --extend-run}, ... or a saved graph); {@link Builder#prepare()} resolves
 * the collections by pipetask's conventions and builds (or loads) the quantum graph without
 * changing the repository; {@link #execute} registers what the graph needs, makes or edits the
 * output collections, writes the init-outputs and runs the quanta.
 *
 * <pre>{@code
 * PipelineRun run =
 *     PipelineRun.builder(butler)
 *         .pipeline(PipelineGraph.build(Pipeline.load(file), butler.registry()))
 *         .inputs(List.of("SimCam/defaults"))
 *         .output("u/me/run")
 *         .dataQuery("exposure.observation_type = 'science'")
 *         .prepare();
 * GraphExecutor.Report report = run.execute(PipelineRun.ExecutionOptions.defaults().withProcesses(2));
 * }</pre>
 */
public final class PipelineRun {

  private static final Logger LOG = LoggerFactory.getLogger(PipelineRun.class);

  private final Butler butler;
  private final PipelineGraph pipeline;
  private final QuantumGraph graph;
  private final OutputCollections collections;
  private volatile GraphExecutor executor;

  private PipelineRun(
      Butler butler, PipelineGraph pipeline, QuantumGraph graph, OutputCollections collections) {
    this.butler = butler;
    this.pipeline = pipeline;
    this.graph = graph;
    this.collections = collections;
  }

  /** Starts describing a run against a repository. */
  public static Builder builder(Butler butler) {
    return new Builder(Objects.requireNonNull(butler, "butler"));
  }

  /** The quantum graph. */
  public QuantumGraph graph() {
    return graph;
  }

  /** The pipeline the graph was built from. */
  public PipelineGraph pipeline() {
    return pipeline;
  }

  /**
   * Where the graph reads and writes; null for a loaded graph that is only shown, not run (see
   * {@link Builder#forRun}).
   */
  public OutputCollections collections() {
    return collections;
  }

  /** Saves the graph (atomically). */
  public void save(Path file) {
    QuantumGraphFile.write(graph, butler.registry().universe(), file);
  }

  /**
   * How far the running {@link #execute} has come (all zero before it starts); safe to read from
   * any thread, e.g. a shutdown hook.
   */
  public GraphExecutor.RunProgress progress() {
    GraphExecutor e = executor;
    return e == null ? new GraphExecutor.RunProgress(0, 0, graph.quanta().size()) : e.runProgress();
  }

  /**
   * Runs the graph: registers its dataset types (when asked), makes or edits the output RUN and
   * chain, prunes a replaced run, writes the configs and init-outputs (compared with the run's on
   * {@code --extend-run}), then runs the quanta.
   *
   * @return every quantum's outcome, or null with {@link ExecutionOptions#initOnly}
   * @throws InvalidConfigException if dataset types are missing and may not be registered
   * @throws InterruptedException if the calling thread is interrupted while quanta run
   */
  public GraphExecutor.Report execute(ExecutionOptions options) throws InterruptedException {
    if (collections == null) {
      throw new IllegalStateException("This run was prepared for showing, not running.");
    }
    registerTypes(options.registerDatasetTypes());
    collections.apply(butler.registry());
    pruneReplaced();
    GraphExecutor e =
        GraphExecutor.local(
            butler,
            pipeline,
            graph,
            new GraphExecutor.Options(
                options.processes(), options.failFast(), options.timeout(), options.progress()));
    executor = e;
    if (!options.skipInitWrites()) {
      e.writeInitOutputs(collections.extendRun());
    }
    return options.initOnly() ? null : e.execute();
  }

  private void registerTypes(boolean register) {
    List<DatasetType> missing = new ArrayList<>();
    for (DatasetType t : graph.datasetTypes().values()) {
      if (butler.registry().findDatasetType(t.name()).isEmpty()) {
        missing.add(t);
      }
    }
    if (missing.isEmpty()) {
      return;
    }
    if (!register) {
      throw new InvalidConfigException(
          "Dataset types not registered in the repository: "
              + String.join(", ", missing.stream().map(DatasetType::name).toList())
              + "; give --register-dataset-types to register them.");
    }
    for (DatasetType t : missing) {
      butler.registry().registerDatasetType(t);
    }
  }

  private void pruneReplaced() {
    OutputCollections c = collections;
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
              .queryDatasets(t.name(), List.of(c.replacedRun()), DataQuery.all())
              .toList());
    }
    butler.pruneDatasets(refs, List.of(), true, false);
    LOG.info(
        "Deleted the files of {} outputs of the replaced run {}.", refs.size(), c.replacedRun());
  }

  /**
   * How the quanta run.
   *
   * @param processes quanta run at once (at least 1)
   * @param failFast stop starting quanta after the first failure
   * @param timeout seconds after which a quantum fails (0: no limit)
   * @param progress where progress is reported
   * @param registerDatasetTypes register the graph's new dataset types (else they must exist)
   * @param skipInitWrites do not write configs and init-outputs
   * @param initOnly write configs and init-outputs, run no quanta
   */
  public record ExecutionOptions(
      int processes,
      boolean failFast,
      double timeout,
      Progress progress,
      boolean registerDatasetTypes,
      boolean skipInitWrites,
      boolean initOnly) {

    /** Checks the values. */
    public ExecutionOptions {
      if (processes < 1) {
        throw new InvalidConfigException(
            "-j/--processes must be at least 1, not " + processes + ".");
      }
      if (!(timeout >= 0) || Double.isInfinite(timeout)) {
        throw new InvalidConfigException(
            "--timeout must be a number of seconds >= 0 (0: no limit), not " + timeout + ".");
      }
      Objects.requireNonNull(progress, "progress");
    }

    /** One worker, no timeout, no progress bar, types registered. */
    public static ExecutionOptions defaults() {
      return new ExecutionOptions(1, false, 0, Progress.NONE, true, false, false);
    }

    /** With {@code processes} workers. */
    public ExecutionOptions withProcesses(int n) {
      return new ExecutionOptions(
          n, failFast, timeout, progress, registerDatasetTypes, skipInitWrites, initOnly);
    }
  }

  /** The options of a run, as pipetask's command line gives them. */
  public static final class Builder {
    private final Butler butler;
    private PipelineGraph pipeline;
    private Path savedGraph;
    private List<UUID> quanta = List.of();
    private List<String> inputs = List.of();
    private String output;
    private String outputRun;
    private boolean extendRun;
    private boolean replaceRun;
    private String pruneReplaced;
    private String dataQuery = "";
    private String datasetQueryConstraint = "all";
    private List<String> skipExistingIn = List.of();
    private boolean skipExisting;
    private boolean clobberOutputs;
    private String command = "";
    private boolean forRun = true;

    private Builder(Butler butler) {
      this.butler = butler;
    }

    /** The pipeline to build a graph of (for a saved graph: its own pipeline by default). */
    public Builder pipeline(PipelineGraph p) {
      this.pipeline = p;
      return this;
    }

    /** Run a saved graph ({@code -g}) instead of building one. */
    public Builder savedGraph(Path file) {
      this.savedGraph = file;
      return this;
    }

    /** With a saved graph: only these quanta ({@code --qgraph-node-id}). */
    public Builder quanta(Collection<UUID> ids) {
      this.quanta = List.copyOf(ids);
      return this;
    }

    /** {@code -i}: input collections, in search order. */
    public Builder inputs(List<String> c) {
      this.inputs = List.copyOf(c);
      return this;
    }

    /** {@code -o}: the output chain. */
    public Builder output(String chain) {
      this.output = chain;
      return this;
    }

    /** {@code --output-run}. */
    public Builder outputRun(String run) {
      this.outputRun = run;
      return this;
    }

    /** {@code --extend-run}. */
    public Builder extendRun(boolean b) {
      this.extendRun = b;
      return this;
    }

    /** {@code --replace-run}. */
    public Builder replaceRun(boolean b) {
      this.replaceRun = b;
      return this;
    }

    /** {@code --prune-replaced unstore|purge}, or null. */
    public Builder pruneReplaced(String how) {
      this.pruneReplaced = how;
      return this;
    }

    /** {@code -d}: the data query. */
    public Builder dataQuery(String q) {
      this.dataQuery = q == null ? "" : q;
      return this;
    }

    /** {@code --dataset-query-constraint all|off|TYPE,...}. */
    public Builder datasetQueryConstraint(String c) {
      this.datasetQueryConstraint = c;
      return this;
    }

    /** {@code --skip-existing-in}. */
    public Builder skipExistingIn(List<String> c) {
      this.skipExistingIn = List.copyOf(c);
      return this;
    }

    /** {@code --skip-existing}. */
    public Builder skipExisting(boolean b) {
      this.skipExisting = b;
      return this;
    }

    /** {@code --clobber-outputs}. */
    public Builder clobberOutputs(boolean b) {
      this.clobberOutputs = b;
      return this;
    }

    /** The command line recorded in the graph's header. */
    public Builder command(String c) {
      this.command = c;
      return this;
    }

    /**
     * Whether the graph will be run (default): then the collections are resolved for a saved graph
     * too. False for a saved graph that is only shown or converted.
     */
    public Builder forRun(boolean b) {
      this.forRun = b;
      return this;
    }

    /**
     * Resolves the collections and builds the graph, or loads the saved one; changes nothing in the
     * repository.
     *
     * @throws InvalidConfigException for options that cannot work together, saying which
     */
    public PipelineRun prepare() {
      if (savedGraph != null) {
        return prepareSaved();
      }
      if (!quanta.isEmpty()) {
        throw new InvalidConfigException(
            "--qgraph-node-id selects quanta of a saved graph: give -g.");
      }
      if (pipeline == null) {
        throw new InvalidConfigException("Give a pipeline with -p FILE, or tasks with -t CLASS.");
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
                  Map.of(),
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
      return new PipelineRun(butler, pipeline, g, c);
    }

    private PipelineRun prepareSaved() {
      long t0 = System.nanoTime();
      QuantumGraph g =
          quanta.isEmpty()
              ? QuantumGraphFile.read(savedGraph)
              : QuantumGraphFile.subgraph(savedGraph, quanta);
      LOG.info(
          "Read {} quanta for {} task(s) from {} in {} ms.",
          g.quanta().size(),
          g.quantaPerTask().size(),
          savedGraph,
          (System.nanoTime() - t0) / 1_000_000);
      if (outputRun != null && !outputRun.equals(g.header().outputRun())) {
        throw new InvalidConfigException(
            "--output-run "
                + outputRun
                + " differs from the graph's output run "
                + g.header().outputRun()
                + "; build a new graph for another run.");
      }
      PipelineGraph p = pipeline;
      OutputCollections c = null;
      if (forRun) {
        if (p == null) {
          p = PipelineGraph.build(Pipeline.fromYaml(g.pipelineYaml()), butler.registry());
        }
        c = collectionsForSaved(g);
      }
      return new PipelineRun(butler, p, g, c);
    }

    /** The collections a saved graph writes: its own output RUN and chain. */
    private OutputCollections collectionsForSaved(QuantumGraph g) {
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
}
