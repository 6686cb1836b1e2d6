package org.jbutler.pipetask.graph;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jbutler.pipetask.Connection;
import org.jbutler.pipetask.Connections;
import org.jbutler.pipetask.NoWorkFound;
import org.jbutler.pipetask.PipelineTask;
import org.jbutler.pipetask.PrerequisiteMissingException;
import org.jbutler.pipetask.pipeline.PipelineGraph;
import org.jbutler.registry.DataQuery;
import org.jbutler.registry.Registry;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionElement;
import org.jbutler.schema.dimensions.DimensionGroup;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.ButlerException;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a quantum graph with pipe_base's all-dimensions algorithm: the pipeline is split into
 * independent subgraphs; for each, one data-ID query over the union of its dimensions, constrained
 * by the data query and the existence of its overall inputs, is projected onto every task and
 * dataset type; datasets are then found in bulk, prerequisites looked up (calibrations by the
 * quantum's time), skip and clobber resolved in topological order, {@code adjustQuantum} applied
 * with {@link NoWorkFound} pruning downstream, and every predicted output given a UUIDv7.
 */
public final class QuantumGraphBuilder {

  private static final Logger LOG = LoggerFactory.getLogger(QuantumGraphBuilder.class);

  /**
   * What to build.
   *
   * @param inputs input collections, in search order (chains are flattened by the registry)
   * @param outputRun the RUN that receives outputs
   * @param outputChain the CHAINED output collection, recorded in the header (may be null)
   * @param where the data query ({@code -d}), may be empty
   * @param bind values for {@code :names} in it
   * @param datasetQueryConstraint {@code all} (default), {@code off}, or dataset type names
   * @param skipExistingIn quanta whose {@code <label>_metadata} is found here are done
   * @param clobberOutputs tolerate outputs already in the output run (their IDs are reused)
   */
  public record Request(
      List<String> inputs,
      String outputRun,
      String outputChain,
      String where,
      Map<String, Object> bind,
      String datasetQueryConstraint,
      List<String> skipExistingIn,
      boolean clobberOutputs,
      String command) {
    /** Fills defaults. */
    public Request {
      inputs = List.copyOf(inputs);
      where = where == null ? "" : where;
      bind = bind == null ? Map.of() : Map.copyOf(bind);
      datasetQueryConstraint = datasetQueryConstraint == null ? "all" : datasetQueryConstraint;
      skipExistingIn = skipExistingIn == null ? List.of() : List.copyOf(skipExistingIn);
      command = command == null ? "" : command;
    }
  }

  /** The graph would be empty; the message says why. */
  public static final class EmptyGraphException extends ButlerException {
    EmptyGraphException(String message) {
      super(Category.MISSING, message);
    }
  }

  private final PipelineGraph pipeline;
  private final Registry registry;
  private final Request request;
  private final Map<String, DatasetType> types = new LinkedHashMap<>();
  private final boolean outputRunExists;
  private final Map<String, Integer> skippedAtBuild = new LinkedHashMap<>();

  private QuantumGraphBuilder(PipelineGraph pipeline, Registry registry, Request request) {
    this.pipeline = pipeline;
    this.registry = registry;
    this.request = request;
    this.outputRunExists = registry.findCollection(request.outputRun()).isPresent();
  }

  /**
   * Builds the graph.
   *
   * @throws EmptyGraphException if no quantum remains, saying which constraint removed them
   * @throws ConflictingDefinitionException if an output is already in the output run
   * @throws PrerequisiteMissingException for a missing required prerequisite
   */
  public static QuantumGraph build(PipelineGraph pipeline, Registry registry, Request request) {
    return new QuantumGraphBuilder(pipeline, registry, request).run();
  }

  /**
   * The instrument the pipeline names ({@code instrument:}), as a data ID value: the name of a
   * known instrument (SimCam, a YAML definition, an Instrument class), else the value itself.
   */
  private String pipelineInstrument() {
    String given = pipeline.pipeline().instrument();
    if (given == null || given.isBlank()) {
      return null;
    }
    try {
      return org.jbutler.butler.instrument.Instrument.load(given).name();
    } catch (org.jbutler.schema.exceptions.InvalidConfigException e) {
      return given;
    }
  }

  /** A quantum being assembled: its dataset data IDs per connection. */
  private static final class Skeleton {
    final DataCoordinate dataId;
    final Map<String, Set<DataCoordinate>> edges = new LinkedHashMap<>();

    Skeleton(DataCoordinate dataId) {
      this.dataId = dataId;
    }

    /** The data IDs of a connection's datasets: the quantum's own if none were recorded. */
    Set<DataCoordinate> dataIds(Connection c) {
      Set<DataCoordinate> s = edges.get(c.name());
      return s != null ? s : Set.of(dataId);
    }
  }

  private QuantumGraph run() {
    for (PipelineGraph.DatasetTypeNode n : pipeline.datasetTypes().values()) {
      DatasetType def = n.definition();
      DatasetType registered = registered(def.name());
      types.put(def.name(), registered != null ? registered : def);
    }
    List<QuantumGraph.Quantum> quanta = new ArrayList<>();
    // Refs each dataset type's data IDs resolve to: predicted outputs and reused existing ones.
    Map<String, Map<DataCoordinate, DatasetRef>> available = new HashMap<>();
    Map<String, String> noWork = new LinkedHashMap<>();
    for (List<PipelineGraph.TaskNode> subgraph : independentSubgraphs()) {
      buildSubgraph(subgraph, quanta, available, noWork);
    }
    if (quanta.isEmpty()) {
      throw new EmptyGraphException(
          "The quantum graph is empty: every quantum was already done or had no work"
              + (noWork.isEmpty() ? "" : " (" + noWork.values().iterator().next() + ")")
              + ".");
    }
    Set<String> withQuanta = new LinkedHashSet<>();
    quanta.forEach(q -> withQuanta.add(q.taskLabel()));
    List<QuantumGraph.InitQuantum> init = initQuanta(withQuanta, available);
    QuantumGraph.Header header =
        new QuantumGraph.Header(
            request.inputs(),
            request.outputRun(),
            request.outputChain(),
            request.where(),
            System.getProperty("user.name", ""),
            Instant.now().toString(),
            request.command(),
            registry.universe().version(),
            registry.universe().namespace());
    Map<String, DatasetType> used = new LinkedHashMap<>();
    for (QuantumGraph.Quantum q : quanta) {
      for (Map<String, List<DatasetRef>> side : List.of(q.inputs(), q.outputs())) {
        for (List<DatasetRef> refs : side.values()) {
          if (!refs.isEmpty()) { // one connection's refs share their dataset type
            used.putIfAbsent(refs.get(0).datasetType().name(), refs.get(0).datasetType());
          }
        }
      }
    }
    for (QuantumGraph.InitQuantum q : init) {
      for (Map<String, List<DatasetRef>> side : List.of(q.initInputs(), q.initOutputs())) {
        side.values()
            .forEach(l -> l.forEach(r -> used.put(r.datasetType().name(), r.datasetType())));
      }
    }
    return new QuantumGraph(
        header, pipeline.pipeline().toYaml(), used, records(quanta), init, quanta, skippedAtBuild);
  }

  private DatasetType registered(String name) {
    return registry.findDatasetType(name).orElse(null);
  }

  // ------------------------------------------------------------------ subgraphs

  /** Tasks grouped into connected components through the dataset types they share. */
  private List<List<PipelineGraph.TaskNode>> independentSubgraphs() {
    List<PipelineGraph.TaskNode> tasks = pipeline.tasks();
    Map<String, Integer> parent = new HashMap<>();
    for (PipelineGraph.TaskNode t : tasks) {
      parent.put(t.label(), parent.size());
    }
    int[] root = new int[tasks.size()];
    for (int i = 0; i < root.length; i++) {
      root[i] = i;
    }
    Map<String, Integer> firstUser = new HashMap<>();
    for (PipelineGraph.TaskNode t : tasks) {
      for (Connection c : t.connections().all().values()) {
        if (c.kind() == Connection.Kind.PREREQUISITE_INPUT
            || c.kind().isInit()
            || c.name().startsWith("_")) {
          continue;
        }
        Integer other = firstUser.putIfAbsent(c.parentDatasetType(), parent.get(t.label()));
        if (other != null) {
          union(root, other, parent.get(t.label()));
        }
      }
    }
    Map<Integer, List<PipelineGraph.TaskNode>> groups = new LinkedHashMap<>();
    for (PipelineGraph.TaskNode t : tasks) {
      groups.computeIfAbsent(find(root, parent.get(t.label())), k -> new ArrayList<>()).add(t);
    }
    return new ArrayList<>(groups.values());
  }

  private static int find(int[] root, int i) {
    while (root[i] != i) {
      root[i] = root[root[i]];
      i = root[i];
    }
    return i;
  }

  private static void union(int[] root, int a, int b) {
    root[find(root, a)] = find(root, b);
  }

  private void buildSubgraph(
      List<PipelineGraph.TaskNode> tasks,
      List<QuantumGraph.Quantum> quanta,
      Map<String, Map<DataCoordinate, DatasetRef>> available,
      Map<String, String> noWork) {
    var u = registry.universe();
    Set<String> produced = new LinkedHashSet<>();
    for (PipelineGraph.TaskNode t : tasks) {
      for (Connection c : t.connections().all().values()) {
        if (!c.kind().isInput()) {
          produced.add(c.parentDatasetType());
        }
      }
    }
    // 1. The union of dimensions, and the overall inputs that constrain the query.
    Set<String> all = new LinkedHashSet<>();
    List<String> overallInputs = new ArrayList<>();
    for (PipelineGraph.TaskNode t : tasks) {
      all.addAll(t.dimensions().names());
      for (Connection c : t.connections().all().values()) {
        if (c.kind() == Connection.Kind.PREREQUISITE_INPUT || c.kind().isInit()) {
          continue;
        }
        all.addAll(c.dimensions());
        if (c.kind() == Connection.Kind.INPUT
            && !produced.contains(c.parentDatasetType())
            && !c.dimensions().isEmpty()
            && !overallInputs.contains(c.parentDatasetType())) {
          overallInputs.add(c.parentDatasetType());
        }
      }
    }
    DimensionGroup allDims = u.group(all);
    List<String> constraint = constraintTypes(overallInputs);
    DataQuery query = DataQuery.where(request.where()).withBind(request.bind());
    String instrument = pipelineInstrument();
    if (instrument != null) {
      query = query.withDataId(Map.of("instrument", instrument));
    }
    var result = registry.queryDataIds(allDims, constraint, request.inputs(), query);
    List<DataCoordinate> rows = result.toList();
    LOG.info(
        "Data ID query over {} for tasks {}: {} row(s)",
        allDims,
        tasks.stream().map(PipelineGraph.TaskNode::label).toList(),
        rows.size());
    if (rows.isEmpty()) {
      throw new EmptyGraphException(explainEmpty(allDims, constraint, overallInputs, result));
    }
    // 2. Project the rows onto each task and each of its connections.
    Map<String, Map<DataCoordinate, Skeleton>> skeletons = new LinkedHashMap<>();
    for (PipelineGraph.TaskNode t : tasks) {
      Map<DataCoordinate, Skeleton> mine = new LinkedHashMap<>();
      List<Connection> edges = new ArrayList<>();
      for (Connection c : t.connections().all().values()) {
        if (c.kind() != Connection.Kind.PREREQUISITE_INPUT && !c.kind().isInit()) {
          edges.add(c);
        }
      }
      // Connections with the task's own dimensions have the quantum's data ID: no edges kept.
      List<Connection> wider = new ArrayList<>();
      List<DimensionGroup> widerGroups = new ArrayList<>();
      for (Connection c : edges) {
        DimensionGroup g = u.group(c.dimensions());
        if (!g.equals(t.dimensions())) {
          wider.add(c);
          widerGroups.add(g);
        }
      }
      for (DataCoordinate row : rows) {
        DataCoordinate qid = row.subset(t.dimensions());
        Skeleton s = mine.get(qid);
        if (s == null) {
          s = new Skeleton(qid);
          mine.put(qid, s);
        }
        for (int i = 0; i < wider.size(); i++) {
          s.edges
              .computeIfAbsent(wider.get(i).name(), k -> new LinkedHashSet<>())
              .add(row.subset(widerGroups.get(i)));
        }
      }
      skeletons.put(t.label(), mine);
    }
    // 3. Existing datasets, in bulk: overall inputs; outputs in the output run and in
    // skip-existing-in collections.
    Map<String, Map<DataCoordinate, DatasetRef>> inputs = new HashMap<>();
    for (String type : overallInputs) {
      inputs.put(type, byDataId(findAll(type, request.inputs(), query, true)));
    }
    Map<String, Map<DataCoordinate, DatasetRef>> inOutputRun = new HashMap<>();
    Map<String, Map<DataCoordinate, DatasetRef>> inSkip = new HashMap<>();
    for (String type : produced) {
      if (outputRunExists) {
        inOutputRun.put(
            type, byDataId(findAll(type, List.of(request.outputRun()), DataQuery.all(), false)));
      }
      if (!request.skipExistingIn().isEmpty()) {
        inSkip.put(type, byDataId(findAll(type, request.skipExistingIn(), DataQuery.all(), true)));
      }
    }
    // 4. Resolve quanta in topological order.
    for (PipelineGraph.TaskNode t : tasks) {
      Map<DataCoordinate, Skeleton> mine = skeletons.get(t.label());
      PrerequisiteResolver prereqs = new PrerequisiteResolver(t, mine.keySet());
      int skipped = 0;
      int pruned = 0;
      // Quanta of one task are independent (a task never reads its own outputs): with the
      // framework's own adjustQuantum and no prerequisite lookups they resolve in parallel.
      List<Skeleton> list = new ArrayList<>(mine.values());
      boolean parallel = list.size() >= 2048 && !overridesAdjustQuantum(t) && !hasPrerequisites(t);
      Resolution[] resolved = new Resolution[list.size()];
      java.util.stream.IntStream range = java.util.stream.IntStream.range(0, list.size());
      (parallel ? range.parallel() : range)
          .forEach(
              i ->
                  resolved[i] =
                      resolve(t, list.get(i), prereqs, inputs, inOutputRun, inSkip, available));
      for (Resolution r : resolved) {
        for (DatasetRef ref : r.available()) {
          available
              .computeIfAbsent(ref.datasetType().name(), k -> new HashMap<>())
              .put(ref.dataId(), ref);
        }
        if (r.skipped()) {
          skipped++;
        } else if (r.quantum() == null) {
          pruned++;
          if (r.noWork() != null) {
            noWork.putIfAbsent(t.label(), r.noWork());
          }
        } else {
          quanta.add(r.quantum());
        }
      }
      int n = mine.size() - skipped - pruned;
      if (skipped > 0) {
        skippedAtBuild.put(t.label(), skipped);
      }
      if (n == 0) {
        LOG.info(
            "Task '{}' has no quanta ({} skipped as done, {} with no work).",
            t.label(),
            skipped,
            pruned);
      } else {
        LOG.info(
            "Task '{}': {} quanta ({} skipped as done, {} with no work).",
            t.label(),
            n,
            skipped,
            pruned);
      }
      if (pruned * 2 > mine.size() && mine.size() > 1) {
        LOG.warn(
            "Task '{}': {} of {} quanta had no work; a narrower data query (-d) may help.",
            t.label(),
            pruned,
            mine.size());
      }
    }
  }

  /**
   * One skeleton's outcome: a quantum, or skipped (done; its existing outputs are available
   * downstream), or pruned (no work, with the reason when there is one).
   */
  private record Resolution(
      QuantumGraph.Quantum quantum, boolean skipped, String noWork, List<DatasetRef> available) {}

  private Resolution resolve(
      PipelineGraph.TaskNode t,
      Skeleton s,
      PrerequisiteResolver prereqs,
      Map<String, Map<DataCoordinate, DatasetRef>> inputs,
      Map<String, Map<DataCoordinate, DatasetRef>> inOutputRun,
      Map<String, Map<DataCoordinate, DatasetRef>> inSkip,
      Map<String, Map<DataCoordinate, DatasetRef>> available) {
    Map<DataCoordinate, DatasetRef> metadata =
        inSkip.getOrDefault(t.label() + "_metadata", Map.of());
    if (!metadata.isEmpty()
        && metadata.containsKey(s.dataId.subset(types.get(t.label() + "_metadata").dimensions()))) {
      List<DatasetRef> reused = new ArrayList<>();
      for (Connection c : t.connections().all().values()) {
        if (c.kind() == Connection.Kind.OUTPUT) {
          for (DataCoordinate d : s.dataIds(c)) {
            DatasetRef existing = inSkip.getOrDefault(c.parentDatasetType(), Map.of()).get(d);
            if (existing != null) {
              reused.add(existing);
            }
          }
        }
      }
      return new Resolution(null, true, null, reused);
    }
    Map<String, List<DatasetRef>> in = new LinkedHashMap<>();
    Map<String, List<DatasetRef>> out = new LinkedHashMap<>();
    for (Connection c : t.connections().all().values()) {
      switch (c.kind()) {
        case INPUT -> {
          List<DatasetRef> refs = new ArrayList<>();
          for (DataCoordinate d : s.dataIds(c)) {
            DatasetRef r = available.getOrDefault(c.parentDatasetType(), Map.of()).get(d);
            if (r == null) {
              r = inputs.getOrDefault(c.parentDatasetType(), Map.of()).get(d);
            }
            if (r != null) {
              refs.add(r);
            }
          }
          in.put(c.name(), refs);
        }
        case PREREQUISITE_INPUT -> in.put(c.name(), prereqs.find(c, s.dataId));
        case OUTPUT -> {
          List<DatasetRef> refs = new ArrayList<>();
          for (DataCoordinate d : s.dataIds(c)) {
            refs.add(outputRef(c.parentDatasetType(), d, inOutputRun));
          }
          out.put(c.name(), refs);
        }
        default -> {}
      }
    }
    PipelineTask.AdjustedQuantum adjusted;
    try {
      adjusted = t.task().adjustQuantum(in, out, t.connections(), s.dataId);
      adjusted.checkSubsetOf(in, out, t.label());
    } catch (NoWorkFound e) {
      return new Resolution(
          null, false, "task '" + t.label() + "', " + s.dataId + ": " + e.getMessage(), List.of());
    } catch (PrerequisiteMissingException e) {
      throw new PrerequisiteMissingException(
          e.getMessage() + " Collections searched: " + request.inputs() + ".");
    }
    if (adjusted.outputs().values().stream().allMatch(List::isEmpty)) {
      return new Resolution(null, false, null, List.of());
    }
    List<DatasetRef> produced = new ArrayList<>();
    adjusted.outputs().values().forEach(produced::addAll);
    return new Resolution(
        new QuantumGraph.Quantum(
            org.jbutler.schema.DatasetIds.newUnique(),
            t.label(),
            s.dataId,
            adjusted.inputs(),
            adjusted.outputs()),
        false,
        null,
        produced);
  }

  private static boolean overridesAdjustQuantum(PipelineGraph.TaskNode t) {
    try {
      return t.task()
              .getClass()
              .getMethod(
                  "adjustQuantum", Map.class, Map.class, Connections.class, DataCoordinate.class)
              .getDeclaringClass()
          != PipelineTask.class;
    } catch (NoSuchMethodException e) {
      return true;
    }
  }

  /** Whether a dataset type's only dimensions are sky pixelizations (htm7 shards). */
  private static boolean isSkyPixOnly(DatasetType t) {
    return !t.dimensions().names().isEmpty()
        && t.dimensions().names().stream()
            .allMatch(d -> t.dimensions().universe().element(d).isSkyPix());
  }

  private static boolean hasPrerequisites(PipelineGraph.TaskNode t) {
    return t.connections().all().values().stream()
        .anyMatch(c -> c.kind() == Connection.Kind.PREREQUISITE_INPUT);
  }

  private List<String> constraintTypes(List<String> overallInputs) {
    String c = request.datasetQueryConstraint().trim();
    if (c.equalsIgnoreCase("all")) {
      return overallInputs;
    }
    if (c.equalsIgnoreCase("off")) {
      return List.of();
    }
    List<String> chosen = new ArrayList<>();
    for (String name : c.split("\\s*,\\s*")) {
      if (!pipeline.datasetTypes().containsKey(name)) {
        throw new org.jbutler.schema.exceptions.InvalidConfigException(
            "--dataset-query-constraint names '" + name + "', which the pipeline does not use.");
      }
      if (overallInputs.contains(name)) {
        chosen.add(name);
      }
    }
    return chosen;
  }

  private String explainEmpty(
      DimensionGroup dims,
      List<String> constraint,
      List<String> overallInputs,
      org.jbutler.registry.QueryResult<DataCoordinate> result) {
    List<String> reasons = new ArrayList<>();
    for (String type : constraint) {
      if (registered(type) == null) {
        reasons.add("the dataset type '" + type + "' is not registered");
      } else if (!registry.queryDatasets(type, request.inputs(), DataQuery.all()).any()) {
        reasons.add("no '" + type + "' datasets in the input collections " + request.inputs());
      }
    }
    if (reasons.isEmpty()) {
      reasons.addAll(result.explainNoResults());
    }
    if (reasons.isEmpty() && !request.where().isBlank()) {
      reasons.add("no data ID over " + dims + " matches the data query '" + request.where() + "'");
    }
    return "The quantum graph is empty: "
        + (reasons.isEmpty() ? "the data ID query returned nothing" : String.join("; ", reasons))
        + (overallInputs.isEmpty() ? "" : " (overall inputs: " + overallInputs + ")")
        + ".";
  }

  private List<DatasetRef> findAll(
      String type, List<String> collections, DataQuery query, boolean findFirst) {
    if (registered(type) == null || collections.isEmpty()) {
      return List.of();
    }
    return registry
        .queryDatasets(type, collections, findFirst ? query.withFindFirst() : query)
        .toList();
  }

  private static Map<DataCoordinate, DatasetRef> byDataId(List<DatasetRef> refs) {
    Map<DataCoordinate, DatasetRef> m = new HashMap<>();
    for (DatasetRef r : refs) {
      m.putIfAbsent(r.dataId(), r);
    }
    return m;
  }

  private DatasetRef outputRef(
      String type, DataCoordinate dataId, Map<String, Map<DataCoordinate, DatasetRef>> inRun) {
    DatasetRef existing = inRun.getOrDefault(type, Map.of()).get(dataId);
    if (existing != null) {
      // The log of an earlier failed attempt (no metadata, or the quantum would be skipped) is
      // expected: the executor replaces it.
      boolean earlierAttemptsLog =
          pipeline.tasks().stream().anyMatch(t -> type.equals(t.label() + "_log"));
      if (!request.clobberOutputs() && !earlierAttemptsLog) {
        throw new ConflictingDefinitionException(
            "Output "
                + type
                + " "
                + dataId.required()
                + " already exists in the output run '"
                + request.outputRun()
                + "' (dataset "
                + existing.id()
                + "); give --skip-existing-in "
                + request.outputRun()
                + " to skip its quantum or --clobber-outputs to replace it.");
      }
      return existing;
    }
    return new DatasetRef(
        types.get(type), dataId, request.outputRun(), org.jbutler.schema.DatasetIds.newUnique());
  }

  // ------------------------------------------------------------------ prerequisites

  /** Finds one task's prerequisites: custom hooks, bulk lookups, calibrations by time. */
  private final class PrerequisiteResolver {
    private final Map<DataCoordinate, DataCoordinate> expanded = new HashMap<>();
    private final Map<String, Map<DataCoordinate, DatasetRef>> bulk = new HashMap<>();
    private final Map<List<Object>, List<DatasetRef>> calibCache = new HashMap<>();

    PrerequisiteResolver(PipelineGraph.TaskNode task, Set<DataCoordinate> quanta) {
      boolean any =
          task.connections().all().values().stream()
              .anyMatch(c -> c.kind() == Connection.Kind.PREREQUISITE_INPUT && c.lookup() == null);
      if (any && !quanta.isEmpty()) {
        List<DataCoordinate> ids = new ArrayList<>(quanta);
        List<DataCoordinate> full = registry.expandDataIds(ids);
        for (int i = 0; i < ids.size(); i++) {
          expanded.put(ids.get(i), full.get(i));
        }
      }
    }

    List<DatasetRef> find(Connection c, DataCoordinate quantum) {
      String type = c.parentDatasetType();
      if (c.lookup() != null) {
        DatasetType t = types.get(type);
        return List.copyOf(c.lookup().lookup(t, registry, quantum, request.inputs()));
      }
      DatasetType t = registered(type);
      if (t == null) {
        return List.of();
      }
      DataCoordinate q = expanded.getOrDefault(quantum, quantum);
      if (isSkyPixOnly(t) && !quantum.dimensions().names().containsAll(t.dimensions().names())) {
        return shards(c, t, q);
      }
      DataCoordinate key;
      try {
        key = q.subset(t.dimensions());
      } catch (org.jbutler.schema.exceptions.InvalidDataIdException e) {
        throw new org.jbutler.schema.exceptions.InvalidConfigException(
            "Prerequisite "
                + c.name()
                + " ("
                + type
                + " "
                + t.dimensions()
                + ") cannot be found from quantum dimensions "
                + quantum.dimensions()
                + "; give the connection a lookup function.");
      }
      if (!t.isCalibration()) {
        Map<DataCoordinate, DatasetRef> all =
            bulk.computeIfAbsent(
                type, k -> byDataId(findAll(k, request.inputs(), DataQuery.all(), true)));
        DatasetRef r = all.get(key);
        return r == null ? List.of() : List.of(r);
      }
      Timespan when = timespan(q);
      return calibCache.computeIfAbsent(
          List.of(type, key, when == null ? "" : when),
          k ->
              registry
                  .findDataset(type, key, request.inputs(), when)
                  .map(List::of)
                  .orElse(List.of()));
    }

    /**
     * A prerequisite sharded by a sky pixelization (a reference catalogue with {htm7}): the shards
     * whose pixels may overlap the quantum's region (its visit_detector_region, visit, patch or
     * tract), as pipe_base looks them up.
     */
    private List<DatasetRef> shards(Connection c, DatasetType t, DataCoordinate q) {
      org.jbutler.schema.region.Region region = null;
      for (List<String> family : registry.universe().spatialFamilies().values()) {
        for (String element : family) {
          if (region == null && q.dimensions().elements().contains(element)) {
            region = q.record(element).flatMap(DimensionRecord::region).orElse(null);
          }
        }
      }
      if (region == null) {
        throw new org.jbutler.schema.exceptions.InvalidConfigException(
            "Prerequisite "
                + c.name()
                + " ("
                + t.name()
                + " "
                + t.dimensions()
                + ") is sharded on the sky, but quantum "
                + q.required()
                + " has no region to look it up with (define visits with regions first).");
      }
      String pixel = t.dimensions().names().get(0);
      return registry
          .queryDatasets(
              t.name(),
              request.inputs(),
              DataQuery.where(pixel + " OVERLAPS :region")
                  .withBind(Map.of("region", region))
                  .withFindFirst())
          .toList();
    }

    private Timespan timespan(DataCoordinate q) {
      for (String element : List.of("exposure", "visit", "day_obs")) {
        if (q.dimensions().contains(element)) {
          var rec = q.record(element);
          if (rec.isPresent() && rec.get().timespan().isPresent()) {
            return rec.get().timespan().get();
          }
        }
      }
      return null;
    }
  }

  // ------------------------------------------------------------------ init and records

  private List<QuantumGraph.InitQuantum> initQuanta(
      Set<String> withQuanta, Map<String, Map<DataCoordinate, DatasetRef>> available) {
    var empty = DataCoordinate.empty(registry.universe());
    Map<String, Map<DataCoordinate, DatasetRef>> inRun = new HashMap<>();
    if (outputRunExists) {
      for (PipelineGraph.DatasetTypeNode n : pipeline.datasetTypes().values()) {
        if (n.init()) {
          String name = n.definition().name();
          inRun.put(
              name, byDataId(findAll(name, List.of(request.outputRun()), DataQuery.all(), false)));
        }
      }
    }
    Map<String, DatasetRef> initOutputs = new HashMap<>();
    List<QuantumGraph.InitQuantum> out = new ArrayList<>();
    for (PipelineGraph.TaskNode t : pipeline.tasks()) {
      if (!withQuanta.contains(t.label())) {
        continue;
      }
      Map<String, List<DatasetRef>> ins = new LinkedHashMap<>();
      Map<String, List<DatasetRef>> outs = new LinkedHashMap<>();
      for (Connection c : t.connections().all().values()) {
        if (c.kind() == Connection.Kind.INIT_OUTPUT) {
          DatasetRef existing = inRun.getOrDefault(c.parentDatasetType(), Map.of()).get(empty);
          DatasetRef r =
              existing != null
                  ? existing
                  : new DatasetRef(
                      types.get(c.parentDatasetType()),
                      empty,
                      request.outputRun(),
                      org.jbutler.schema.DatasetIds.newUnique());
          initOutputs.put(c.parentDatasetType(), r);
          outs.put(c.name(), List.of(r));
        } else if (c.kind() == Connection.Kind.INIT_INPUT) {
          DatasetRef r = initOutputs.get(c.parentDatasetType());
          if (r == null && registered(c.parentDatasetType()) != null) {
            r = registry.findDataset(c.parentDatasetType(), empty, request.inputs()).orElse(null);
          }
          if (r == null) {
            throw new PrerequisiteMissingException(
                "Task '"
                    + t.label()
                    + "' needs the init-input "
                    + c.parentDatasetType()
                    + ", which no task of the pipeline writes and the input collections "
                    + request.inputs()
                    + " do not hold.");
          }
          ins.put(c.name(), List.of(r));
        }
      }
      out.add(new QuantumGraph.InitQuantum(t.label(), ins, outs));
    }
    DatasetRef existing = inRun.getOrDefault(PipelineGraph.PACKAGES, Map.of()).get(empty);
    DatasetRef packages =
        existing != null
            ? existing
            : new DatasetRef(
                types.get(PipelineGraph.PACKAGES),
                empty,
                request.outputRun(),
                org.jbutler.schema.DatasetIds.newUnique());
    out.add(new QuantumGraph.InitQuantum("", Map.of(), Map.of("packages", List.of(packages))));
    return out;
  }

  /** The records of every element the quanta's and datasets' data IDs use. */
  private List<DimensionRecord> records(List<QuantumGraph.Quantum> quanta) {
    // Distinct data IDs first (refs mostly share their quantum's), then each element's keys.
    Set<DataCoordinate> distinct = new java.util.HashSet<>();
    for (QuantumGraph.Quantum q : quanta) {
      distinct.add(q.dataId());
      for (Map<String, List<DatasetRef>> side : List.of(q.inputs(), q.outputs())) {
        for (List<DatasetRef> refs : side.values()) {
          for (DatasetRef r : refs) {
            distinct.add(r.dataId());
          }
        }
      }
    }
    DimensionUniverse u = registry.universe();
    Map<String, Set<List<Object>>> keys = new LinkedHashMap<>();
    for (DataCoordinate d : distinct) {
      for (String e : d.dimensions().elements()) {
        DimensionElement el = u.element(e);
        if (!el.hasOwnTable()) {
          continue;
        }
        List<Object> key = keyOf(d, el);
        if (key != null) {
          keys.computeIfAbsent(e, k -> new java.util.HashSet<>()).add(key);
        }
      }
    }
    List<DimensionRecord> out = new ArrayList<>();
    for (DimensionElement e : u.elements()) {
      Set<List<Object>> wanted = keys.get(e.name());
      if (wanted == null) {
        continue;
      }
      if (wanted.size() <= RECORDS_BY_KEY) {
        // A few of a large table (10 exposures of a million): one lookup each.
        DimensionGroup group = u.group(e.required());
        for (List<Object> key : wanted) {
          registry
              .fetchDimensionRecord(e.name(), DataCoordinate.ofRequired(group, key.toArray()))
              .ifPresent(out::add);
        }
      } else {
        for (DimensionRecord r : registry.fetchDimensionRecords(e.name())) {
          if (wanted.contains(keyOf(r.dataId(), e))) {
            out.add(r);
          }
        }
      }
    }
    return out;
  }

  /** Up to this many records of an element are looked up one by one, else the table is read. */
  private static final int RECORDS_BY_KEY = 200;

  /** An element's required values in a data ID, or null if one is absent. */
  static List<Object> keyOf(DataCoordinate d, DimensionElement e) {
    List<String> required = e.required();
    Object[] key = new Object[required.size()];
    for (int i = 0; i < key.length; i++) {
      Object v = d.valueOrNull(required.get(i));
      if (v == null) {
        return null;
      }
      key[i] = v;
    }
    return java.util.Arrays.asList(key);
  }
}
