package org.jbutler.pipetask.pipeline;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jbutler.schema.exceptions.InvalidConfigException;

/**
 * A pipeline in pipe_base's YAML form: description, instrument, parameters, imports (resolved when
 * loaded), tasks with their config blocks, subsets, contracts and steps. Mutable, so that
 * command-line modifications ({@code -t}, {@code --delete}, {@code -c}, {@code -C}) apply in order;
 * {@link PipelineGraph#build} turns it into tasks and dataset types.
 */
public final class Pipeline {

  /** One task: its label, class name and config blocks (applied in order). */
  public record TaskDef(String label, String className, List<Map<String, Object>> configs) {
    /** Copies. */
    public TaskDef {
      configs = List.copyOf(configs);
    }
  }

  /** A named set of task labels. */
  public record Subset(String label, Set<String> tasks, String description) {
    /** Copies. */
    public Subset {
      tasks = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(tasks));
    }
  }

  /** A contract: a boolean expression over task configs, and the message when it fails. */
  public record Contract(String contract, String msg) {}

  /** A step: a subset label and its sharding dimensions. */
  public record Step(String label, List<String> dimensions) {}

  private static final Set<String> TOP_KEYS =
      Set.of(
          "description",
          "instrument",
          "parameters",
          "imports",
          "tasks",
          "subsets",
          "contracts",
          "steps");

  private String description = "";
  private String instrument;
  private final Map<String, Object> parameters = new LinkedHashMap<>();
  private final Map<String, TaskDef> tasks = new LinkedHashMap<>();
  private final Map<String, Subset> subsets = new LinkedHashMap<>();
  private final List<Contract> contracts = new ArrayList<>();
  private final List<Step> steps = new ArrayList<>();
  private Path baseDir;

  /** An empty pipeline. */
  public Pipeline(String description) {
    this.description = description == null ? "" : description;
  }

  // ------------------------------------------------------------------ reading

  /**
   * Loads a pipeline file, resolving its imports; a {@code #labels} suffix keeps only some tasks
   * ({@code #a,b}, {@code #a..b}, {@code #..b}, {@code #a..}), applied by {@link
   * PipelineGraph#build} since ranges follow the graph.
   *
   * @throws InvalidConfigException naming the file and the problem
   */
  public static Pipeline load(String uri) {
    int hash = uri.indexOf('#');
    if (uri.indexOf('#', hash + 1) >= 0 && hash >= 0) {
      throw new InvalidConfigException(
          "Pipeline '" + uri + "' has more than one '#'; give one label expression.");
    }
    String file = hash < 0 ? uri : uri.substring(0, hash);
    Pipeline p = loadFile(Path.of(Pipelines.expandEnv(file)), new LinkedHashSet<>());
    if (hash >= 0) {
      p.labelExpression = uri.substring(hash + 1);
    }
    return p;
  }

  private String labelExpression;

  /** The {@code #...} label expression given with the file, or null. */
  public String labelExpression() {
    return labelExpression;
  }

  /** Reads pipeline YAML text (imports relative to the working directory). */
  public static Pipeline fromYaml(String yaml) {
    Map<String, Object> doc;
    try {
      doc = readYaml(yaml);
    } catch (IOException e) {
      throw new InvalidConfigException("Cannot parse pipeline YAML: " + e.getMessage(), e);
    }
    return fromDoc(doc, "<yaml>", Path.of("."), new LinkedHashSet<>());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> readYaml(String text) throws IOException {
    Object o = org.jbutler.schema.Yaml.lenient().readValue(text, Object.class);
    if (!(o instanceof Map)) {
      throw new IOException("a pipeline is a YAML mapping");
    }
    return (Map<String, Object>) o;
  }

  private static Pipeline loadFile(Path file, Set<Path> loading) {
    Path f = file;
    if (Files.isDirectory(f)) {
      f = f.resolve("pipeline.yaml");
    }
    Path key = f.toAbsolutePath().normalize();
    if (!loading.add(key)) {
      throw new InvalidConfigException(
          "Pipeline " + f + " imports itself (through " + loading + ").");
    }
    Map<String, Object> doc;
    try {
      doc = readYaml(Files.readString(f));
    } catch (java.nio.file.NoSuchFileException e) {
      throw org.jbutler.schema.exceptions.IoFailureException.of("No pipeline file " + f, e);
    } catch (IOException e) {
      throw org.jbutler.schema.exceptions.IoFailureException.of("Cannot read pipeline " + f, e);
    }
    Pipeline p = fromDoc(doc, f.toString(), key.getParent(), loading);
    loading.remove(key);
    return p;
  }

  @SuppressWarnings("unchecked")
  private static Pipeline fromDoc(
      Map<String, Object> doc, String where, Path baseDir, Set<Path> loading) {
    for (String k : doc.keySet()) {
      if (k.equals("inherits")) {
        throw new InvalidConfigException(
            where + ": 'inherits' is no longer supported; use imports.");
      }
      if (k.equals("subset")) {
        throw new InvalidConfigException(where + ": the key is 'subsets', not 'subset'.");
      }
      if (!TOP_KEYS.contains(k)) {
        throw new InvalidConfigException(
            where
                + ": unknown key '"
                + k
                + "'; a pipeline has "
                + new java.util.TreeSet<>(TOP_KEYS)
                + ".");
      }
    }
    if (!(doc.get("description") instanceof String d)) {
      throw new InvalidConfigException(where + ": a pipeline needs a description.");
    }
    if (!doc.containsKey("tasks") && !doc.containsKey("imports")) {
      throw new InvalidConfigException(where + ": a pipeline needs tasks (or imports).");
    }
    Pipeline p = new Pipeline(d);
    p.baseDir = baseDir;
    // Imports first, in order; the importing file's own entries then override.
    for (Object imp : list(doc.get("imports"), where, "imports")) {
      p.mergeImport(imp, where, baseDir, loading);
    }
    if (doc.get("instrument") != null) {
      p.setInstrument(String.valueOf(doc.get("instrument")), where);
    }
    for (Map.Entry<String, Object> e : map(doc.get("parameters"), where, "parameters").entrySet()) {
      p.parameters.put(e.getKey(), e.getValue());
    }
    for (Map.Entry<String, Object> e : map(doc.get("tasks"), where, "tasks").entrySet()) {
      TaskDef t = parseTask(e.getKey(), e.getValue(), where);
      TaskDef old = p.tasks.get(t.label());
      if (old != null && old.className().equals(t.className())) {
        List<Map<String, Object>> merged = new ArrayList<>(old.configs());
        merged.addAll(t.configs());
        p.tasks.put(t.label(), new TaskDef(t.label(), t.className(), merged));
      } else {
        p.tasks.put(t.label(), t); // a different class replaces the imported task
      }
    }
    for (Map.Entry<String, Object> e : map(doc.get("subsets"), where, "subsets").entrySet()) {
      p.subsets.put(e.getKey(), parseSubset(e.getKey(), e.getValue(), where));
    }
    for (Object c : list(doc.get("contracts"), where, "contracts")) {
      p.contracts.add(parseContract(c, where));
    }
    List<Step> ownSteps = new ArrayList<>();
    for (Object s : list(doc.get("steps"), where, "steps")) {
      ownSteps.add(parseStep(s, where));
    }
    if (!ownSteps.isEmpty()) {
      p.steps.clear();
      p.steps.addAll(ownSteps);
    }
    p.checkSubsetNames(where);
    return p;
  }

  @SuppressWarnings("unchecked")
  private void mergeImport(Object imp, String where, Path baseDir, Set<Path> loading) {
    Map<String, Object> spec =
        imp instanceof String s ? Map.of("location", s) : map(imp, where, "imports entry");
    Set<String> allowed =
        Set.of(
            "location",
            "include",
            "exclude",
            "rename",
            "importContracts",
            "importSteps",
            "labeledSubsetModifyMode",
            "instrument");
    for (String k : spec.keySet()) {
      if (!allowed.contains(k)) {
        throw new InvalidConfigException(
            where
                + ": import key '"
                + k
                + "' is unknown; imports take "
                + new java.util.TreeSet<>(allowed)
                + ".");
      }
    }
    Object location = spec.get("location");
    if (location == null) {
      throw new InvalidConfigException(where + ": an import needs a location.");
    }
    Path path = Path.of(Pipelines.expandEnv(String.valueOf(location)));
    if (!path.isAbsolute()) {
      path = baseDir.resolve(path);
    }
    Pipeline imported = loadFile(path, loading);
    String from = path.toString();
    if (spec.containsKey("include") && spec.containsKey("exclude")) {
      throw new InvalidConfigException(
          where + ": import of " + from + " gives both include and exclude; give one.");
    }
    String mode =
        String.valueOf(spec.getOrDefault("labeledSubsetModifyMode", "DROP"))
            .toUpperCase(Locale.ROOT);
    if (!mode.equals("DROP") && !mode.equals("EDIT")) {
      throw new InvalidConfigException(
          where + ": labeledSubsetModifyMode must be DROP or EDIT, not " + mode + ".");
    }
    if (spec.containsKey("include")) {
      Set<String> keep = imported.expandLabels(strings(spec.get("include"), where), from);
      imported.keepOnly(keep, mode.equals("EDIT"));
    } else if (spec.containsKey("exclude")) {
      Set<String> drop = imported.expandLabels(strings(spec.get("exclude"), where), from);
      Set<String> keep = new LinkedHashSet<>(imported.tasks.keySet());
      keep.removeAll(drop);
      imported.keepOnly(keep, mode.equals("EDIT"));
    }
    Map<String, Object> rename = map(spec.get("rename"), where, "rename");
    for (Map.Entry<String, Object> r : rename.entrySet()) {
      imported.renameTask(r.getKey(), String.valueOf(r.getValue()), from);
    }
    // Merge into this pipeline.
    for (TaskDef t : imported.tasks.values()) {
      if (tasks.containsKey(t.label())) {
        throw new InvalidConfigException(
            where
                + ": task label '"
                + t.label()
                + "' comes from two imports (the second is "
                + from
                + "); exclude or rename one.");
      }
      tasks.put(t.label(), t);
    }
    imported.parameters.forEach(parameters::putIfAbsent);
    if (spec.containsKey("instrument")) {
      Object i = spec.get("instrument");
      imported.instrument = i == null ? null : String.valueOf(i);
    }
    if (imported.instrument != null) {
      setInstrument(imported.instrument, where + " (import of " + from + ")");
    }
    subsets.putAll(imported.subsets);
    if (!Boolean.FALSE.equals(spec.get("importContracts"))) {
      contracts.addAll(imported.contracts);
    }
    if (!Boolean.FALSE.equals(spec.get("importSteps")) && !imported.steps.isEmpty()) {
      if (!steps.isEmpty() && !steps.equals(imported.steps)) {
        throw new InvalidConfigException(
            where + ": imported steps from " + from + " disagree with earlier imports' steps.");
      }
      steps.clear();
      steps.addAll(imported.steps);
    }
  }

  private void setInstrument(String value, String where) {
    if (instrument != null && !instrument.equals(value)) {
      throw new InvalidConfigException(
          where
              + ": the pipeline already has instrument "
              + instrument
              + "; a pipeline has one instrument (imports included), not also "
              + value
              + ".");
    }
    instrument = value;
  }

  @SuppressWarnings("unchecked")
  private static TaskDef parseTask(String label, Object value, String where) {
    checkLabel(label, where);
    if (label.equals("parameters")) {
      throw new InvalidConfigException(where + ": 'parameters' cannot be a task label.");
    }
    if (value instanceof String cls) {
      return new TaskDef(label, cls, List.of());
    }
    Map<String, Object> m = map(value, where, "task " + label);
    for (String k : m.keySet()) {
      if (!k.equals("class") && !k.equals("config")) {
        throw new InvalidConfigException(
            where + ": task " + label + " has an unknown key '" + k + "'; give class and config.");
      }
    }
    if (!(m.get("class") instanceof String cls)) {
      throw new InvalidConfigException(where + ": task " + label + " needs a class.");
    }
    List<Map<String, Object>> configs = new ArrayList<>();
    Object cfg = m.get("config");
    if (cfg instanceof List<?> l) {
      for (Object block : l) {
        configs.add(map(block, where, "a config block of " + label));
      }
    } else if (cfg != null) {
      configs.add(map(cfg, where, "the config of " + label));
    }
    return new TaskDef(label, cls, configs);
  }

  private static Subset parseSubset(String label, Object value, String where) {
    checkLabel(label, where);
    if (value instanceof List<?>) {
      return new Subset(label, new LinkedHashSet<>(strings(value, where)), "");
    }
    Map<String, Object> m = map(value, where, "subset " + label);
    if (!m.containsKey("subset")) {
      throw new InvalidConfigException(
          where + ": subset " + label + " needs a 'subset:' list of labels.");
    }
    return new Subset(
        label,
        new LinkedHashSet<>(strings(m.get("subset"), where)),
        String.valueOf(m.getOrDefault("description", "")));
  }

  private static Contract parseContract(Object value, String where) {
    if (value instanceof String s) {
      return new Contract(s, null);
    }
    Map<String, Object> m = map(value, where, "contract");
    if (!(m.get("contract") instanceof String c)) {
      throw new InvalidConfigException(where + ": a contract needs a 'contract:' expression.");
    }
    Object msg = m.get("msg");
    return new Contract(c, msg == null ? null : String.valueOf(msg));
  }

  private static Step parseStep(Object value, String where) {
    Map<String, Object> m = map(value, where, "step");
    if (!(m.get("label") instanceof String label)) {
      throw new InvalidConfigException(where + ": a step needs a label (a subset).");
    }
    Object dims = m.get("dimensions");
    List<String> d;
    if (dims == null) {
      throw new InvalidConfigException(where + ": step " + label + " needs dimensions.");
    } else if (dims instanceof String s) {
      d = s.isBlank() ? List.of() : List.of(s.trim().split("\\s*,\\s*"));
    } else {
      d = strings(dims, where);
    }
    return new Step(label, d);
  }

  private static void checkLabel(String label, String where) {
    if (!label.matches("[A-Za-z_][A-Za-z0-9_\\-]*")) {
      throw new InvalidConfigException(
          where + ": '" + label + "' is not a valid label (letters, digits, _ and -).");
    }
  }

  private void checkSubsetNames(String where) {
    for (Subset s : subsets.values()) {
      if (tasks.containsKey(s.label())) {
        throw new InvalidConfigException(
            where + ": subset '" + s.label() + "' has the name of a task.");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o, String where, String what) {
    if (o == null) {
      return Map.of();
    }
    if (!(o instanceof Map<?, ?> m)) {
      throw new InvalidConfigException(where + ": " + what + " must be a mapping.");
    }
    return (Map<String, Object>) m;
  }

  private static List<Object> list(Object o, String where, String what) {
    if (o == null) {
      return List.of();
    }
    if (!(o instanceof List<?> l)) {
      throw new InvalidConfigException(where + ": " + what + " must be a list.");
    }
    return new ArrayList<>(l);
  }

  private static List<String> strings(Object o, String where) {
    if (o instanceof String s) {
      return List.of(s);
    }
    List<String> out = new ArrayList<>();
    for (Object x : list(o, where, "a list of labels")) {
      out.add(String.valueOf(x));
    }
    return out;
  }

  /** Task labels of a list of labels and subset names. */
  Set<String> expandLabels(Collection<String> names, String where) {
    Set<String> out = new LinkedHashSet<>();
    for (String n : names) {
      if (tasks.containsKey(n)) {
        out.add(n);
      } else if (subsets.containsKey(n)) {
        out.addAll(subsets.get(n).tasks());
      } else {
        throw new InvalidConfigException(
            where
                + ": '"
                + n
                + "' is neither a task label nor a subset; tasks are "
                + tasks.keySet()
                + ".");
      }
    }
    return out;
  }

  /**
   * Keeps only some tasks: subsets naming a dropped task are dropped (or, editing, lose it),
   * contracts that mention a dropped label are dropped.
   */
  void keepOnly(Set<String> keep, boolean editSubsets) {
    Set<String> dropped = new LinkedHashSet<>(tasks.keySet());
    dropped.removeAll(keep);
    if (dropped.isEmpty()) {
      return;
    }
    tasks.keySet().retainAll(keep);
    for (Subset s : List.copyOf(subsets.values())) {
      if (s.tasks().stream().anyMatch(dropped::contains)) {
        if (editSubsets) {
          Set<String> rest = new LinkedHashSet<>(s.tasks());
          rest.removeAll(dropped);
          subsets.put(s.label(), new Subset(s.label(), rest, s.description()));
        } else {
          subsets.remove(s.label());
        }
      }
    }
    contracts.removeIf(c -> dropped.stream().anyMatch(l -> mentions(c.contract(), l)));
    steps.removeIf(st -> !subsets.containsKey(st.label()));
  }

  private static boolean mentions(String expression, String label) {
    return Pattern.compile("(?<![A-Za-z0-9_.])" + Pattern.quote(label) + "\\.")
        .matcher(expression)
        .find();
  }

  private void renameTask(String from, String to, String where) {
    if (!tasks.containsKey(from)) {
      throw new InvalidConfigException(where + ": rename of '" + from + "', which is not a task.");
    }
    if (tasks.containsKey(to)) {
      throw new InvalidConfigException(
          where + ": rename of '" + from + "' to '" + to + "', which is already a task.");
    }
    Map<String, TaskDef> renamed = new LinkedHashMap<>();
    tasks.forEach(
        (k, v) ->
            renamed.put(
                k.equals(from) ? to : k,
                k.equals(from) ? new TaskDef(to, v.className(), v.configs()) : v));
    tasks.clear();
    tasks.putAll(renamed);
    for (Subset s : List.copyOf(subsets.values())) {
      if (s.tasks().contains(from)) {
        Set<String> t = new LinkedHashSet<>();
        s.tasks().forEach(x -> t.add(x.equals(from) ? to : x));
        subsets.put(s.label(), new Subset(s.label(), t, s.description()));
      }
    }
    Pattern p = Pattern.compile("(?<![A-Za-z0-9_.])" + Pattern.quote(from) + "(?=\\.)");
    contracts.replaceAll(c -> new Contract(p.matcher(c.contract()).replaceAll(to), c.msg()));
  }

  // ------------------------------------------------------------------ modifying

  /** Adds a task (or replaces one with the same label). */
  public Pipeline addTask(String className, String label) {
    checkLabel(label, "-t " + className);
    tasks.put(label, new TaskDef(label, className, List.of()));
    return this;
  }

  /** Removes a task, its subset memberships and the contracts that mention it. */
  public Pipeline deleteTask(String label) {
    if (!tasks.containsKey(label)) {
      throw new InvalidConfigException(
          "Cannot delete '" + label + "': no such task; tasks are " + tasks.keySet() + ".");
    }
    Set<String> keep = new LinkedHashSet<>(tasks.keySet());
    keep.remove(label);
    keepOnly(keep, true);
    return this;
  }

  /**
   * Adds a config block to a task; the label {@code parameters} sets pipeline parameters instead.
   */
  public Pipeline addConfig(String label, Map<String, Object> block) {
    if (label.equals("parameters")) {
      parameters.putAll(block);
      return this;
    }
    TaskDef t = tasks.get(label);
    if (t == null) {
      throw new InvalidConfigException(
          "Cannot configure '" + label + "': no such task; tasks are " + tasks.keySet() + ".");
    }
    List<Map<String, Object>> configs = new ArrayList<>(t.configs());
    configs.add(new LinkedHashMap<>(block));
    tasks.put(label, new TaskDef(label, t.className(), configs));
    return this;
  }

  /** Sets the instrument. */
  public Pipeline instrument(String value) {
    instrument = value;
    return this;
  }

  // ------------------------------------------------------------------ reading back

  /** The description. */
  public String description() {
    return description;
  }

  /** The instrument, or null. */
  public String instrument() {
    return instrument;
  }

  /** The parameters. */
  public Map<String, Object> parameters() {
    return java.util.Collections.unmodifiableMap(parameters);
  }

  /** The tasks by label, in order. */
  public Map<String, TaskDef> tasks() {
    return java.util.Collections.unmodifiableMap(tasks);
  }

  /** The subsets. */
  public Map<String, Subset> subsets() {
    return java.util.Collections.unmodifiableMap(subsets);
  }

  /** The contracts. */
  public List<Contract> contracts() {
    return List.copyOf(contracts);
  }

  /** The steps. */
  public List<Step> steps() {
    return List.copyOf(steps);
  }

  /** Where relative config files are found (the pipeline file's directory). */
  Path baseDir() {
    return baseDir;
  }

  void setBaseDir(Path dir) {
    this.baseDir = dir;
  }

  // ------------------------------------------------------------------ writing

  /** The pipeline as YAML with its imports resolved; loading it gives the same pipeline. */
  public String toYaml() {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("description", description);
    if (instrument != null) {
      doc.put("instrument", instrument);
    }
    if (!parameters.isEmpty()) {
      doc.put("parameters", parameters);
    }
    Map<String, Object> t = new LinkedHashMap<>();
    for (TaskDef d : tasks.values()) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("class", d.className());
      if (!d.configs().isEmpty()) {
        entry.put("config", d.configs());
      }
      t.put(d.label(), entry);
    }
    doc.put("tasks", t);
    if (!subsets.isEmpty()) {
      Map<String, Object> s = new LinkedHashMap<>();
      for (Subset sub : subsets.values()) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("subset", List.copyOf(sub.tasks()));
        if (!sub.description().isEmpty()) {
          entry.put("description", sub.description());
        }
        s.put(sub.label(), entry);
      }
      doc.put("subsets", s);
    }
    if (!contracts.isEmpty()) {
      List<Object> c = new ArrayList<>();
      for (Contract k : contracts) {
        c.add(k.msg() == null ? k.contract() : Map.of("contract", k.contract(), "msg", k.msg()));
      }
      doc.put("contracts", c);
    }
    if (!steps.isEmpty()) {
      List<Object> s = new ArrayList<>();
      for (Step st : steps) {
        s.add(Map.of("label", st.label(), "dimensions", st.dimensions()));
      }
      doc.put("steps", s);
    }
    try {
      return new ObjectMapper(
              new YAMLFactory()
                  .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                  .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
          .writeValueAsString(doc);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
