package org.jbutler.pipetask.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.Constructor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jbutler.pipetask.Connection;
import org.jbutler.pipetask.Connections;
import org.jbutler.pipetask.PipelineTask;
import org.jbutler.registry.Registry;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.StorageClass;
import org.jbutler.schema.StorageClassFactory;
import org.jbutler.schema.dimensions.DimensionGroup;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.InvalidConfigException;

/**
 * A pipeline resolved into tasks and dataset types: a bipartite DAG in which each dataset type has
 * at most one producer, with dimensions and storage classes checked between producer, consumers and
 * (when given) the registry's definitions; tasks in topological order.
 */
public final class PipelineGraph {

  /** The global init-output recording software versions. */
  public static final String PACKAGES = "packages";

  /** A task: its label, instance, config and resolved connections (automatic ones included). */
  public record TaskNode(
      String label,
      String className,
      PipelineTask<?> task,
      TaskConfig config,
      Connections connections,
      DimensionGroup dimensions) {

    /**
     * A new instance of the task with this node's config (an executor's per quantum, so that a
     * task's metadata and state stay its quantum's).
     */
    public PipelineTask<?> newInstance() {
      PipelineTask<?> t = instantiate(label, className);
      t.configure(label, config.config());
      return t;
    }
  }

  /**
   * A dataset type: its definition (from its producer, else its first consumer, or the registry)
   * and who writes and reads it.
   *
   * @param producer the producing task label, or null for an overall input
   * @param consumers consuming {@code label.connection}s
   * @param prerequisite read as a prerequisite by some task
   */
  public record DatasetTypeNode(
      DatasetType definition,
      String producer,
      List<String> consumers,
      boolean prerequisite,
      boolean init) {}

  private final Pipeline pipeline;
  private final List<TaskNode> tasks;
  private final Map<String, DatasetTypeNode> datasetTypes;
  private final DimensionUniverse universe;

  private PipelineGraph(
      Pipeline pipeline,
      List<TaskNode> tasks,
      Map<String, DatasetTypeNode> datasetTypes,
      DimensionUniverse universe) {
    this.pipeline = pipeline;
    this.tasks = List.copyOf(tasks);
    this.datasetTypes = Collections.unmodifiableMap(new LinkedHashMap<>(datasetTypes));
    this.universe = universe;
  }

  /** The pipeline this graph was built from (after any label expression). */
  public Pipeline pipeline() {
    return pipeline;
  }

  /** The tasks, producers before consumers. */
  public List<TaskNode> tasks() {
    return tasks;
  }

  /** One task. */
  public TaskNode task(String label) {
    return tasks.stream()
        .filter(t -> t.label().equals(label))
        .findFirst()
        .orElseThrow(() -> new InvalidConfigException("No task '" + label + "' in the pipeline."));
  }

  /** The dataset types by name. */
  public Map<String, DatasetTypeNode> datasetTypes() {
    return datasetTypes;
  }

  /** The dimension universe the graph was checked against. */
  public DimensionUniverse universe() {
    return universe;
  }

  /**
   * Builds the graph: makes each task with its config, resolves connections, adds the automatic
   * datasets, checks everything, evaluates contracts and steps, and applies the pipeline's label
   * expression.
   *
   * @param registry checks dataset types against its definitions; null to skip
   * @throws InvalidConfigException naming the tasks and dataset types involved
   */
  public static PipelineGraph build(Pipeline pipeline, Registry registry) {
    DimensionUniverse universe =
        registry != null ? registry.universe() : DimensionUniverse.defaultUniverse();
    PipelineGraph full = buildAll(pipeline, registry, universe);
    String expression = pipeline.labelExpression();
    if (expression == null || expression.isBlank()) {
      return full;
    }
    Set<String> keep = full.selectLabels(expression);
    Pipeline subset = Pipeline.fromYaml(pipeline.toYaml());
    subset.setBaseDir(pipeline.baseDir());
    subset.keepOnly(keep, true);
    return buildAll(subset, registry, universe);
  }

  private static PipelineGraph buildAll(
      Pipeline pipeline, Registry registry, DimensionUniverse universe) {
    StorageClassFactory storageClasses = StorageClassFactory.defaults();
    Map<String, TaskNode> nodes = new LinkedHashMap<>();
    for (Pipeline.TaskDef def : pipeline.tasks().values()) {
      nodes.put(def.label(), makeTask(def, pipeline, universe));
    }
    // Dataset types: one producer each; consistent definitions.
    Map<String, DatasetTypeNode> types = new LinkedHashMap<>();
    Map<String, String> firstUser = new LinkedHashMap<>();
    for (TaskNode t : nodes.values()) {
      for (Connection c : t.connections().all().values()) {
        if (!c.kind().isInput()) {
          DatasetTypeNode old = types.get(c.parentDatasetType());
          if (old != null && old.producer() != null) {
            throw new InvalidConfigException(
                "Dataset type '"
                    + c.parentDatasetType()
                    + "' is written by two tasks, '"
                    + old.producer()
                    + "' and '"
                    + t.label()
                    + "'; a dataset type has one producer (rename one with connections."
                    + c.name()
                    + ").");
          }
        }
      }
      for (Connection c : t.connections().all().values()) {
        addEdge(types, firstUser, t, c, universe, storageClasses);
      }
    }
    DatasetTypeNode packages =
        new DatasetTypeNode(
            DatasetType.of(PACKAGES, universe.group(List.of()), "Packages"),
            "(pipeline)",
            List.of(),
            false,
            true);
    if (types.containsKey(PACKAGES)) {
      throw new InvalidConfigException(
          "Dataset type 'packages' is reserved for the pipeline's software versions; task '"
              + firstUser.get(PACKAGES)
              + "' uses it.");
    }
    types.put(PACKAGES, packages);
    for (DatasetTypeNode n : types.values()) {
      if (n.prerequisite() && n.producer() != null && !n.producer().equals("(pipeline)")) {
        throw new InvalidConfigException(
            "Dataset type '"
                + n.definition().name()
                + "' is a prerequisite input of "
                + n.consumers()
                + " but task '"
                + n.producer()
                + "' writes it; a prerequisite must exist before the pipeline runs (make it a"
                + " regular input).");
      }
    }
    if (registry != null) {
      checkRegistry(types, registry, storageClasses);
    }
    List<TaskNode> ordered = topologicalOrder(nodes, types);
    PipelineGraph graph = new PipelineGraph(pipeline, ordered, types, universe);
    graph.checkContracts();
    graph.checkSteps();
    return graph;
  }

  private static TaskNode makeTask(
      Pipeline.TaskDef def, Pipeline pipeline, DimensionUniverse universe) {
    PipelineTask<?> task = instantiate(def.label(), def.className());
    TaskConfig config =
        TaskConfig.build(
            task, def.label(), def.configs(), pipeline.parameters(), pipeline.baseDir());
    task.configure(def.label(), config.config());
    Connections declared = declaredConnections(task, config.config());
    Connections resolved = declared.resolve(config.connections(), def.label());
    DimensionGroup dims = group(universe, resolved.dimensions(), def.label(), "its quantum");
    for (Connection c : resolved.all().values()) {
      group(universe, c.dimensions(), def.label(), "connection " + c.name());
    }
    Connections.Builder withAuto =
        Connections.builder(resolved.dimensions().toArray(String[]::new));
    resolved.templates().forEach(withAuto::template);
    withAuto.add(resolved.all().values().toArray(Connection[]::new));
    String[] qd = resolved.dimensions().toArray(String[]::new);
    for (String auto :
        List.of(def.label() + "_config", def.label() + "_metadata", def.label() + "_log")) {
      if (resolved.all().values().stream().anyMatch(c -> c.parentDatasetType().equals(auto))) {
        throw new InvalidConfigException(
            "Task '" + def.label() + "': dataset type '" + auto + "' is the framework's own.");
      }
    }
    withAuto.add(Connection.initOutput("_config", def.label() + "_config", "Config"));
    withAuto.add(Connection.output("_metadata", def.label() + "_metadata", "TaskMetadata", qd));
    if (config.saveLogOutput()) {
      withAuto.add(Connection.output("_log", def.label() + "_log", "ButlerLogRecords", qd));
    }
    return new TaskNode(def.label(), def.className(), task, config, withAuto.build(), dims);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Connections declaredConnections(PipelineTask task, Object config) {
    return task.connections(config);
  }

  private static PipelineTask<?> instantiate(String label, String className) {
    Class<?> cls;
    try {
      cls = Class.forName(className);
    } catch (ClassNotFoundException e) {
      throw new InvalidConfigException(
          "Task '"
              + label
              + "': no class "
              + className
              + " on the class path (give the fully qualified name of a PipelineTask).",
          e);
    }
    if (!PipelineTask.class.isAssignableFrom(cls)) {
      throw new InvalidConfigException(
          "Task '" + label + "': " + className + " is not a PipelineTask.");
    }
    try {
      Constructor<?> ctor = cls.getConstructor();
      return (PipelineTask<?>) ctor.newInstance();
    } catch (ReflectiveOperationException e) {
      throw new InvalidConfigException(
          "Task '"
              + label
              + "': cannot make "
              + className
              + " (it needs a public no-argument constructor): "
              + e,
          e);
    }
  }

  private static DimensionGroup group(
      DimensionUniverse universe, List<String> dims, String label, String what) {
    for (String d : dims) {
      if (universe.dimensions().stream().noneMatch(x -> x.name().equals(d))) {
        throw new InvalidConfigException(
            "Task '"
                + label
                + "': "
                + what
                + " has the unknown dimension '"
                + d
                + "'; the universe has "
                + universe.dimensions().stream().map(x -> x.name()).toList()
                + ".");
      }
    }
    return universe.group(dims);
  }

  private static void addEdge(
      Map<String, DatasetTypeNode> types,
      Map<String, String> firstUser,
      TaskNode t,
      Connection c,
      DimensionUniverse universe,
      StorageClassFactory storageClasses) {
    String name = c.parentDatasetType();
    boolean component = !name.equals(c.datasetType());
    if (!storageClasses.contains(c.storageClass())) {
      throw new InvalidConfigException(
          "Task '"
              + t.label()
              + "': connection "
              + c.name()
              + " has the unknown storage class '"
              + c.storageClass()
              + "'.");
    }
    String user = t.label() + "." + c.name();
    DimensionGroup dims = universe.group(c.dimensions());
    DatasetTypeNode old = types.get(name);
    if (old == null) {
      DatasetType def =
          DatasetType.of(
              name, dims, component ? "?" + c.storageClass() : c.storageClass(), c.isCalibration());
      types.put(
          name,
          new DatasetTypeNode(
              def,
              c.kind().isInput() ? null : t.label(),
              c.kind().isInput() ? List.of(user) : List.of(),
              c.kind() == Connection.Kind.PREREQUISITE_INPUT,
              c.kind().isInit()));
      firstUser.put(name, user);
      return;
    }
    DatasetType def = old.definition();
    if (!def.dimensions().equals(dims)) {
      throw new InvalidConfigException(
          "Dataset type '"
              + name
              + "' has dimensions "
              + def.dimensions()
              + " in "
              + firstUser.get(name)
              + " but "
              + dims
              + " in "
              + user
              + "; they must agree.");
    }
    if (old.init() != c.kind().isInit()) {
      throw new InvalidConfigException(
          "Dataset type '"
              + name
              + "' is an init dataset in one connection and a regular one in another ("
              + firstUser.get(name)
              + ", "
              + user
              + ").");
    }
    if (def.isCalibration() != c.isCalibration() && !c.kind().isInput()) {
      throw new InvalidConfigException(
          "Dataset type '"
              + name
              + "' is a calibration in one connection and not in another ("
              + firstUser.get(name)
              + ", "
              + user
              + ").");
    }
    // The producer's storage class defines the type; readers must be able to convert.
    String defined = def.storageClass();
    if (!c.kind().isInput() && !component) {
      if (defined.startsWith("?") || !defined.equals(c.storageClass())) {
        checkConvertible(
            name, c.storageClass(), defined, user, firstUser.get(name), storageClasses);
      }
      def = DatasetType.of(name, dims, c.storageClass(), c.isCalibration() || def.isCalibration());
    } else if (!component && !defined.startsWith("?")) {
      checkConvertible(name, defined, c.storageClass(), firstUser.get(name), user, storageClasses);
    }
    List<String> consumers = new ArrayList<>(old.consumers());
    if (c.kind().isInput()) {
      consumers.add(user);
    }
    types.put(
        name,
        new DatasetTypeNode(
            def,
            c.kind().isInput() ? old.producer() : t.label(),
            consumers,
            old.prerequisite() || c.kind() == Connection.Kind.PREREQUISITE_INPUT,
            old.init()));
  }

  private static void checkConvertible(
      String name,
      String from,
      String to,
      String fromUser,
      String toUser,
      StorageClassFactory storageClasses) {
    String f = from.startsWith("?") ? from.substring(1) : from;
    String t = to.startsWith("?") ? to.substring(1) : to;
    StorageClass a = storageClasses.storageClass(f);
    StorageClass b = storageClasses.storageClass(t);
    if (!a.canConvertTo(b, storageClasses) && !b.canConvertTo(a, storageClasses)) {
      throw new InvalidConfigException(
          "Dataset type '"
              + name
              + "' is "
              + f
              + " in "
              + fromUser
              + " but "
              + t
              + " in "
              + toUser
              + ", and no conversion between them is defined.");
    }
  }

  private static void checkRegistry(
      Map<String, DatasetTypeNode> types, Registry registry, StorageClassFactory storageClasses) {
    for (DatasetTypeNode n : types.values()) {
      DatasetType mine = n.definition();
      DatasetType theirs = registry.findDatasetType(mine.name()).orElse(null);
      if (theirs == null) {
        continue; // registered later (pipetask run --register-dataset-types)
      }
      String who =
          n.producer() != null ? "task '" + n.producer() + "'" : String.valueOf(n.consumers());
      if (!theirs.dimensions().equals(mine.dimensions())) {
        throw new InvalidConfigException(
            "Dataset type '"
                + mine.name()
                + "' has dimensions "
                + mine.dimensions()
                + " in the pipeline ("
                + who
                + ") but "
                + theirs.dimensions()
                + " in the repository.");
      }
      String sc = mine.storageClass().replace("?", "");
      StorageClass a = storageClasses.storageClass(sc);
      StorageClass b = storageClasses.storageClass(theirs.storageClass());
      if (!a.canConvertTo(b, storageClasses) && !b.canConvertTo(a, storageClasses)) {
        throw new InvalidConfigException(
            "Dataset type '"
                + mine.name()
                + "' is "
                + sc
                + " in the pipeline ("
                + who
                + ") but "
                + theirs.storageClass()
                + " in the repository, and no conversion between them is defined.");
      }
      if (n.producer() != null && theirs.isCalibration() != mine.isCalibration()) {
        throw new InvalidConfigException(
            "Dataset type '"
                + mine.name()
                + "' is "
                + (mine.isCalibration() ? "" : "not ")
                + "a calibration in the pipeline ("
                + who
                + ") but is"
                + (theirs.isCalibration() ? "" : " not")
                + " in the repository.");
      }
    }
  }

  private static List<TaskNode> topologicalOrder(
      Map<String, TaskNode> nodes, Map<String, DatasetTypeNode> types) {
    Map<String, Set<String>> upstream = new LinkedHashMap<>();
    for (TaskNode t : nodes.values()) {
      Set<String> up = new LinkedHashSet<>();
      for (Connection c : t.connections().all().values()) {
        if (c.kind().isInput()) {
          String producer = types.get(c.parentDatasetType()).producer();
          if (producer != null && nodes.containsKey(producer)) {
            up.add(producer);
          }
        }
      }
      upstream.put(t.label(), up);
    }
    List<TaskNode> order = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    Deque<String> ready = new ArrayDeque<>();
    boolean progress = true;
    while (done.size() < nodes.size() && progress) {
      progress = false;
      for (String label : nodes.keySet()) {
        if (!done.contains(label) && done.containsAll(upstream.get(label))) {
          ready.add(label);
        }
      }
      while (!ready.isEmpty()) {
        String l = ready.poll();
        if (done.add(l)) {
          order.add(nodes.get(l));
          progress = true;
        }
      }
    }
    if (done.size() < nodes.size()) {
      Set<String> cycle = new LinkedHashSet<>(nodes.keySet());
      cycle.removeAll(done);
      throw new InvalidConfigException(
          "The pipeline has a cycle among tasks " + cycle + ": each reads what another writes.");
    }
    return order;
  }

  // ------------------------------------------------------------------ contracts and steps

  /** Each task's config tree for contracts: its fields, connections (resolved names), flags. */
  Map<String, JsonNode> contractTrees() {
    Map<String, JsonNode> trees = new LinkedHashMap<>();
    for (TaskNode t : tasks) {
      ObjectNode tree = t.config().asTree();
      ObjectNode conn = tree.putObject("connections");
      t.connections().templates().forEach(conn::put);
      for (Connection c : t.connections().all().values()) {
        if (!c.name().startsWith("_")) {
          conn.put(c.name(), c.datasetType());
        }
      }
      trees.put(t.label(), tree);
    }
    return trees;
  }

  private void checkContracts() {
    if (pipeline.contracts().isEmpty()) {
      return;
    }
    Map<String, JsonNode> trees = contractTrees();
    List<String> failed = new ArrayList<>();
    for (Pipeline.Contract c : pipeline.contracts()) {
      if (!ContractEvaluator.evaluate(c.contract(), trees)) {
        failed.add("'" + c.contract() + "'" + (c.msg() == null ? "" : ": " + c.msg()));
      }
    }
    if (!failed.isEmpty()) {
      throw new InvalidConfigException(
          "Contract(s) not satisfied: " + String.join("; ", failed) + ".");
    }
  }

  private void checkSteps() {
    List<Pipeline.Step> steps = pipeline.steps();
    if (steps.isEmpty()) {
      return;
    }
    Map<String, String> stepOf = new LinkedHashMap<>();
    for (Pipeline.Step s : steps) {
      Pipeline.Subset subset = pipeline.subsets().get(s.label());
      if (subset == null) {
        throw new InvalidConfigException(
            "Step '" + s.label() + "' is not a subset; each step names a subset of tasks.");
      }
      for (String d : s.dimensions()) {
        if (universe.findElement(d).isEmpty()) {
          throw new InvalidConfigException(
              "Step '" + s.label() + "' has the unknown dimension '" + d + "'.");
        }
      }
      DimensionGroup sharding = universe.group(s.dimensions());
      for (String label : subset.tasks()) {
        TaskNode t = tasks.stream().filter(x -> x.label().equals(label)).findFirst().orElse(null);
        if (t != null && !sharding.isSubsetOf(t.dimensions())) {
          throw new InvalidConfigException(
              "Step '"
                  + s.label()
                  + "' is sharded by "
                  + sharding
                  + ", but task '"
                  + label
                  + "' has quantum dimensions "
                  + t.dimensions()
                  + "; a step's dimensions must be among each of its tasks'.");
        }
        String other = stepOf.put(label, s.label());
        if (other != null) {
          throw new InvalidConfigException(
              "Task '" + label + "' is in two steps, '" + other + "' and '" + s.label() + "'.");
        }
      }
    }
    for (TaskNode t : tasks) {
      if (!stepOf.containsKey(t.label())) {
        throw new InvalidConfigException(
            "Task '" + t.label() + "' is in no step; with steps defined, every task needs one.");
      }
    }
    List<String> order = steps.stream().map(Pipeline.Step::label).toList();
    for (TaskNode t : tasks) {
      int mine = order.indexOf(stepOf.get(t.label()));
      for (Connection c : t.connections().all().values()) {
        if (!c.kind().isInput()) {
          continue;
        }
        String producer = datasetTypes.get(c.parentDatasetType()).producer();
        if (producer != null && stepOf.containsKey(producer)) {
          int theirs = order.indexOf(stepOf.get(producer));
          if (theirs > mine) {
            throw new InvalidConfigException(
                "Task '"
                    + t.label()
                    + "' (step "
                    + stepOf.get(t.label())
                    + ") reads '"
                    + c.parentDatasetType()
                    + "', which task '"
                    + producer
                    + "' writes in the later step "
                    + stepOf.get(producer)
                    + ".");
          }
        }
      }
    }
  }

  // ------------------------------------------------------------------ label expressions

  /**
   * The labels a {@code #} expression selects: {@code a,b} (labels or subsets), {@code a..b}
   * (downstream of a and upstream of b, both included), {@code ..b}, {@code a..}.
   */
  Set<String> selectLabels(String expression) {
    String e = expression.trim();
    if (e.contains("..")) {
      if (e.contains(",")) {
        throw new InvalidConfigException(
            "Label expression '" + e + "' mixes a list and a range; give one or the other.");
      }
      int dots = e.indexOf("..");
      String begin = e.substring(0, dots).trim();
      String end = e.substring(dots + 2).trim();
      Set<String> down = begin.isEmpty() ? allLabels() : closure(label(begin), true);
      Set<String> up = end.isEmpty() ? allLabels() : closure(label(end), false);
      down.retainAll(up);
      if (down.isEmpty()) {
        throw new InvalidConfigException(
            "Label expression '"
                + e
                + "' selects no task: "
                + end
                + " is not downstream of "
                + begin
                + ".");
      }
      return down;
    }
    if (e.contains(":")) {
      throw new InvalidConfigException(
          "Label expression '" + e + "': the ':' separator is gone; use pipeline.yaml#a,b.");
    }
    Set<String> out = new LinkedHashSet<>();
    for (String part : e.split(",")) {
      String p = part.trim();
      if (pipeline.subsets().containsKey(p)) {
        out.addAll(pipeline.subsets().get(p).tasks());
      } else {
        out.add(label(p));
      }
    }
    return out;
  }

  private Set<String> allLabels() {
    Set<String> s = new LinkedHashSet<>();
    tasks.forEach(t -> s.add(t.label()));
    return s;
  }

  private String label(String l) {
    if (tasks.stream().noneMatch(t -> t.label().equals(l))) {
      throw new InvalidConfigException(
          "'" + l + "' is not a task label or subset; tasks are " + allLabels() + ".");
    }
    return l;
  }

  /** A task and everything downstream (or upstream) of it. */
  private Set<String> closure(String start, boolean downstream) {
    Set<String> seen = new LinkedHashSet<>();
    Deque<String> todo = new ArrayDeque<>(List.of(start));
    while (!todo.isEmpty()) {
      String l = todo.poll();
      if (!seen.add(l)) {
        continue;
      }
      TaskNode t = task(l);
      if (downstream) {
        for (Connection c : t.connections().all().values()) {
          if (!c.kind().isInput()) {
            for (String user : datasetTypes.get(c.parentDatasetType()).consumers()) {
              todo.add(user.substring(0, user.indexOf('.')));
            }
          }
        }
      } else {
        for (Connection c : t.connections().all().values()) {
          if (c.kind().isInput()) {
            String p = datasetTypes.get(c.parentDatasetType()).producer();
            if (p != null && !p.equals("(pipeline)")) {
              todo.add(p);
            }
          }
        }
      }
    }
    return seen;
  }

  // ------------------------------------------------------------------ output

  /** The graph in Graphviz dot: tasks as boxes, dataset types as ellipses. */
  public String toDot() {
    StringBuilder b = new StringBuilder("digraph pipeline {\n  rankdir=TB;\n");
    for (TaskNode t : tasks) {
      b.append("  \"task:")
          .append(t.label())
          .append("\" [shape=box, style=filled, fillcolor=lightblue, label=\"")
          .append(t.label())
          .append("\\n")
          .append(t.className().substring(t.className().lastIndexOf('.') + 1))
          .append("\"];\n");
    }
    for (DatasetTypeNode n : datasetTypes.values()) {
      b.append("  \"ds:")
          .append(n.definition().name())
          .append("\" [shape=ellipse, label=\"")
          .append(n.definition().name())
          .append("\\n")
          .append(n.definition().dimensions())
          .append("\"];\n");
    }
    for (TaskNode t : tasks) {
      for (Connection c : t.connections().all().values()) {
        String ds = "\"ds:" + c.parentDatasetType() + "\"";
        String task = "\"task:" + t.label() + "\"";
        if (c.kind().isInput()) {
          b.append("  ")
              .append(ds)
              .append(" -> ")
              .append(task)
              .append(c.kind() == Connection.Kind.PREREQUISITE_INPUT ? " [style=dashed]" : "")
              .append(";\n");
        } else {
          b.append("  ").append(task).append(" -> ").append(ds).append(";\n");
        }
      }
    }
    return b.append("}\n").toString();
  }
}
