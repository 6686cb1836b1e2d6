package org.jbutler.pipetask.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jbutler.butler.Butler;
import org.jbutler.cli.FormatMixin;
import org.jbutler.cli.Results;
import org.jbutler.pipetask.graph.QuantumGraph;
import org.jbutler.pipetask.graph.file.QuantumGraphFile;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.exceptions.InvalidConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code pipetask report}: per task, how many quanta succeeded, had no work, failed or were blocked
 * in a run, from its {@code <label>_metadata} (success) and {@code <label>_log} (attempted)
 * datasets — pipe_base's rule: success ⇔ metadata; failure ⇔ log without metadata; blocked ⇔
 * neither (known only with the graph).
 */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Count each task's succeeded, no-work, failed and blocked quanta in a run, from the metadata and log datasets the executor writes. With a saved graph, blocked quanta (never attempted) are counted too and the run defaults to the graph's.")
public final class ReportCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "REPO", description = "The repository.")
  Path repo;

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "QGRAPH",
      description = "The graph that was run (optional).")
  Path graphFile;

  @Option(
      names = "--run",
      paramLabel = "RUN",
      description = "The output RUN collection (default: the graph's).")
  String run;

  @Option(
      names = "--failed",
      description =
          "Also list each failed quantum with the last error of its log (and the values an"
              + " AlgorithmError recorded with it).")
  boolean listFailed;

  @Mixin FormatMixin format;

  @Spec CommandLine.Model.CommandSpec spec;

  private record Counts(int[] n) {
    Counts() {
      this(new int[4]);
    }
  }

  @Override
  public Integer call() {
    QuantumGraph graph = graphFile == null ? null : QuantumGraphFile.read(graphFile);
    String collection = run != null ? run : graph == null ? null : graph.header().outputRun();
    if (collection == null) {
      throw new InvalidConfigException("Give the run with --run RUN, or the graph that was run.");
    }
    Map<String, Counts> perTask = new LinkedHashMap<>();
    List<List<Object>> failures = new ArrayList<>();
    List<String> notStarted = new ArrayList<>();
    try (Butler butler = Butler.open(repo, Butler.Options.none())) {
      butler.registry().collectionType(collection);
      Set<String> labels = new java.util.LinkedHashSet<>();
      if (graph != null) {
        graph.quanta().forEach(q -> labels.add(q.taskLabel()));
      } else {
        // Every task the run was initialized for has a config, even if none of its quanta ran.
        java.util.TreeSet<String> sorted = new java.util.TreeSet<>();
        for (DatasetType t : butler.registry().queryDatasetTypes("*_config")) {
          String label = t.name().substring(0, t.name().length() - "_config".length());
          if (existsIn(butler, t.name(), collection)) {
            sorted.add(label);
          }
        }
        for (DatasetType t : butler.registry().queryDatasetTypes("*_metadata")) {
          String label = t.name().substring(0, t.name().length() - "_metadata".length());
          if (existsIn(butler, t.name(), collection)) {
            sorted.add(label);
          }
        }
        labels.addAll(sorted);
      }
      Map<String, Set<String>> read = new HashMap<>();
      Map<String, Set<String>> wrote = new HashMap<>();
      for (String label : labels) {
        Map<DataCoordinate, DatasetRef> metadata = find(butler, label + "_metadata", collection);
        Map<DataCoordinate, DatasetRef> logs = find(butler, label + "_log", collection);
        Counts c = perTask.computeIfAbsent(label, k -> new Counts());
        if (graph == null && metadata.isEmpty() && logs.isEmpty()) {
          notStarted.add(label);
        }
        Set<String> in = read.computeIfAbsent(label, k -> new HashSet<>());
        Set<String> out = wrote.computeIfAbsent(label, k -> new HashSet<>());
        for (Map.Entry<DataCoordinate, DatasetRef> e : metadata.entrySet()) {
          Map<?, ?> quantum = quantumOf(butler, e.getValue());
          c.n()["NO_WORK".equals(quantum.get("status")) ? 1 : 0]++;
          if (quantum.get("inputs") instanceof List<?> l) {
            l.forEach(i -> in.add(String.valueOf(i instanceof Map<?, ?> m ? m.get("id") : i)));
          }
          if (quantum.get("outputs") instanceof List<?> l) {
            l.forEach(o -> out.add(String.valueOf(o)));
          }
        }
        for (Map.Entry<DataCoordinate, DatasetRef> e : logs.entrySet()) {
          if (!metadata.containsKey(e.getKey())) {
            c.n()[2]++;
            if (listFailed) {
              failures.add(List.of(label, e.getKey().toString(), lastError(butler, e.getValue())));
            }
          }
        }
        if (graph != null) {
          for (QuantumGraph.Quantum q : graph.quanta()) {
            if (q.taskLabel().equals(label)) {
              DataCoordinate d = q.dataId();
              if (!metadata.containsKey(d) && !logs.containsKey(d)) {
                c.n()[3]++;
              }
            }
          }
        }
      }
      if (graph == null) {
        perTask = inDataflowOrder(perTask, read, wrote);
      }
    }
    List<List<Object>> rows = new ArrayList<>();
    perTask.forEach(
        (k, v) ->
            rows.add(
                java.util.Arrays.asList(
                    k, v.n()[0], v.n()[1], v.n()[2], graph == null ? null : (Object) v.n()[3])));
    var out = spec.commandLine().getOut();
    Results.print(
        out, format.format(), List.of("task", "succeeded", "no work", "failed", "blocked"), rows);
    if (graph == null) {
      // Said where a person reads it; a script's JSON or CSV stays one document.
      var notes =
          format.format() == org.jbutler.cli.OutputFormat.TABLE ? out : spec.commandLine().getErr();
      notes.println(
          "blocked: not known without the graph (give the QGRAPH file that was run to count the"
              + " quanta that were blocked or never started).");
      if (!notStarted.isEmpty()) {
        notes.println(
            "No quantum of "
                + String.join(", ", notStarted)
                + " finished or failed (initialized, then not run: interrupted, or blocked).");
      }
      notes.flush();
    }
    if (listFailed && !failures.isEmpty()) {
      out.println();
      Results.print(out, format.format(), List.of("task", "data ID", "error"), failures);
    }
    out.flush();
    boolean anyFailed =
        perTask.values().stream().anyMatch(c -> c.n()[2] > 0 || c.n()[3] > 0)
            || !notStarted.isEmpty();
    return anyFailed ? 1 : 0;
  }

  /**
   * Tasks in pipeline (dataflow) order, found from the run itself: a task whose outputs another
   * read comes first; tasks with nothing between them keep their (alphabetical) order.
   */
  static <V> Map<String, V> inDataflowOrder(
      Map<String, V> perTask, Map<String, Set<String>> read, Map<String, Set<String>> wrote) {
    List<String> labels = new ArrayList<>(perTask.keySet());
    Map<String, Set<String>> before = new HashMap<>(); // label -> labels that must come first
    for (String a : labels) {
      for (String b : labels) {
        if (!a.equals(b)
            && !java.util.Collections.disjoint(
                wrote.getOrDefault(a, Set.of()), read.getOrDefault(b, Set.of()))) {
          before.computeIfAbsent(b, k -> new HashSet<>()).add(a);
        }
      }
    }
    Map<String, V> ordered = new LinkedHashMap<>();
    while (ordered.size() < labels.size()) {
      String next = null;
      for (String l : labels) {
        if (!ordered.containsKey(l)
            && ordered.keySet().containsAll(before.getOrDefault(l, Set.of()))) {
          next = l;
          break;
        }
      }
      if (next == null) { // a cycle cannot happen in a run; keep the rest as they are
        for (String l : labels) {
          ordered.putIfAbsent(l, perTask.get(l));
        }
        break;
      }
      ordered.put(next, perTask.get(next));
    }
    return ordered;
  }

  /** Whether a run holds any dataset of a (registered) type: an existence query, no rows read. */
  private static boolean existsIn(Butler butler, String type, String run) {
    return butler.registry().queryDatasets(type, List.of(run), DataQuery.all()).any();
  }

  private static Map<DataCoordinate, DatasetRef> find(Butler butler, String type, String run) {
    Map<DataCoordinate, DatasetRef> m = new HashMap<>();
    if (butler.registry().findDatasetType(type).isEmpty()) {
      return m;
    }
    for (DatasetRef r :
        butler.registry().queryDatasets(type, List.of(run), DataQuery.all()).toList()) {
      m.put(r.dataId(), r);
    }
    return m;
  }

  /** The {@code quantum} section of a metadata dataset (status, inputs, outputs, ...). */
  private static Map<?, ?> quantumOf(Butler butler, DatasetRef metadata) {
    Object m = butler.get(metadata, Map.of());
    if (m instanceof Map<?, ?> map && map.get("quantum") instanceof Map<?, ?> q) {
      return q;
    }
    return Map.of();
  }

  private static String lastError(Butler butler, DatasetRef log) {
    Object records = butler.get(log, Map.of());
    String last = "";
    if (records instanceof List<?> list) {
      for (Object o : list) {
        if (o instanceof Map<?, ?> r && "ERROR".equals(r.get("levelname"))) {
          last = String.valueOf(r.get("message"));
          // An AlgorithmError's values, as the executor recorded them with the failure.
          if (r.get("failure") instanceof Map<?, ?> f && f.get("metadata") instanceof Map<?, ?> m) {
            StringBuilder values = new StringBuilder();
            new java.util.TreeMap<Object, Object>(m)
                .forEach(
                    (k, v) -> values.append(values.length() == 0 ? "" : ", ").append(k + "=" + v));
            last += " [" + values + "]";
          }
        }
      }
    }
    return last;
  }
}
