package org.jbutler.pipetask.execution;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jbutler.butler.Butler;
import org.jbutler.datastore.Datastore;
import org.jbutler.pipetask.PipelineTask;
import org.jbutler.pipetask.graph.GraphRecords;
import org.jbutler.pipetask.graph.QuantumGraph;
import org.jbutler.pipetask.pipeline.PipelineGraph;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.Progress;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a quantum graph in this process (pipe_base's {@code MPGraphExecutor} and {@code
 * SingleQuantumExecutor}, with threads): init-outputs first, then quanta in dependency order on
 * {@code processes} workers. Each quantum sees only its own datasets; its outputs are written to
 * their files, then registered together with {@code <label>_metadata} and {@code <label>_log} in
 * one short transaction, so a quantum is either done (metadata present) or not, whenever the
 * process is killed. A failed quantum keeps its log and writes no metadata; its downstream quanta
 * are blocked and independent ones continue (unless fail-fast).
 */
final class LocalGraphExecutor implements GraphExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(GraphExecutor.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How far the current (or last) {@link #execute} has come; safe to read from any thread. */
  @Override
  public RunProgress runProgress() {
    return runProgress;
  }

  private volatile RunProgress runProgress = new RunProgress(0, 0, 0);

  private final Butler butler;
  private final PipelineGraph pipeline;
  private final QuantumGraph graph;
  private final Options options;
  private final GraphRecords records;
  private final Map<String, Map<String, Object>> initInputs = new ConcurrentHashMap<>();
  private final Set<UUID> produced = ConcurrentHashMap.newKeySet();
  private volatile Set<UUID> recorded = Set.of();
  private final Map<UUID, Integer> producerOf = new HashMap<>();
  private final Map<String, String> configHashes = new HashMap<>();
  private final SingleQuantumExecutor single;

  /** Prepares to run {@code graph}, whose tasks {@code pipeline} resolves. */
  LocalGraphExecutor(Butler butler, PipelineGraph pipeline, QuantumGraph graph, Options options) {
    this.butler = butler;
    this.pipeline = pipeline;
    this.graph = graph;
    this.options = options;
    this.records = new GraphRecords(graph, butler.registry());
    List<QuantumGraph.Quantum> quanta = graph.quanta();
    for (int i = 0; i < quanta.size(); i++) {
      for (List<DatasetRef> refs : quanta.get(i).outputs().values()) {
        for (DatasetRef r : refs) {
          producerOf.put(r.id(), i);
        }
      }
    }
    for (PipelineGraph.TaskNode t : pipeline.tasks()) {
      configHashes.put(t.label(), sha256(t.config().asTree().toString()).substring(0, 16));
    }
    this.single =
        new SingleQuantumExecutor(
            butler,
            pipeline,
            new SingleQuantumExecutor.Environment() {
              @Override
              public boolean recorded(DatasetRef ref) {
                return recorded.contains(ref.id());
              }

              @Override
              public boolean available(DatasetRef input) {
                return !producerOf.containsKey(input.id()) || produced.contains(input.id());
              }

              @Override
              public DatasetRef expand(DatasetRef ref) {
                return records.expand(ref);
              }

              @Override
              public Map<String, Object> initInputs(String label) {
                return initInputsOf(label);
              }

              @Override
              public String configHash(String label) {
                return configHashes.get(label);
              }
            });
  }

  private DatasetRef expand(DatasetRef r) {
    return records.expand(r);
  }

  // ------------------------------------------------------------------ init-outputs

  /**
   * Writes each task's config ({@code <label>_config}), its init-outputs and the pipeline's {@code
   * packages}. Those already present are compared ({@code compareExisting}, for {@code
   * --extend-run}: a config that differs is an error naming the field) or left alone.
   *
   * @throws ConflictingDefinitionException for a config or package set that differs
   */
  @Override
  public void writeInitOutputs(boolean compareExisting) {
    List<Datastore.Written> written = new ArrayList<>();
    try {
      for (QuantumGraph.InitQuantum iq : graph.initQuanta()) {
        PipelineGraph.TaskNode node = iq.taskLabel().isEmpty() ? null : task(iq.taskLabel());
        Map<String, Object> made = new LinkedHashMap<>();
        if (node != null) {
          made.put("_config", configMap(node));
          PipelineTask<?> t = node.newInstance();
          made.putAll(t.init(readInitInputs(iq)));
        } else {
          made.put(PipelineGraph.PACKAGES, packages());
        }
        for (Map.Entry<String, List<DatasetRef>> e : iq.initOutputs().entrySet()) {
          for (DatasetRef ref : e.getValue()) {
            Object value = made.get(e.getKey());
            if (value == null) {
              throw new IllegalStateException(
                  "Task '"
                      + iq.taskLabel()
                      + "': init() returned no '"
                      + e.getKey()
                      + "' init-output.");
            }
            if (butler.registry().findDataset(ref.id()).isPresent()) {
              if (compareExisting && value instanceof Map<?, ?> m) {
                compare(ref, m);
              }
              continue;
            }
            written.add(butler.datastore().write(value, expand(ref), true));
          }
        }
      }
      butler.registerWritten(written);
    } catch (RuntimeException e) {
      written.forEach(w -> SingleQuantumExecutor.deleteQuietly(w.file()));
      throw e;
    }
  }

  private void compare(DatasetRef ref, Map<?, ?> now) {
    Object before = butler.get(ref, Map.of());
    if (!(before instanceof Map<?, ?> old)) {
      return;
    }
    Map<String, Object> a = flatten("", JSON.convertValue(old, new TypeReference<>() {}));
    Map<String, Object> b = flatten("", JSON.convertValue(now, new TypeReference<>() {}));
    for (String k : union(a.keySet(), b.keySet())) {
      if (!java.util.Objects.equals(String.valueOf(a.get(k)), String.valueOf(b.get(k)))) {
        throw new ConflictingDefinitionException(
            ref.datasetType().name()
                + " in run "
                + ref.run()
                + " differs from this pipeline's at '"
                + k
                + "': "
                + a.get(k)
                + " there, "
                + b.get(k)
                + " now. Use a new output run, or the same config as before.");
      }
    }
  }

  private static List<String> union(Set<String> a, Set<String> b) {
    java.util.LinkedHashSet<String> u = new java.util.LinkedHashSet<>(a);
    u.addAll(b);
    return new ArrayList<>(u);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> flatten(String prefix, Map<String, Object> m) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : m.entrySet()) {
      String k = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
      if (e.getValue() instanceof Map<?, ?> sub) {
        out.putAll(flatten(k, (Map<String, Object>) sub));
      } else {
        out.put(k, e.getValue());
      }
    }
    return out;
  }

  private Map<String, Object> configMap(PipelineGraph.TaskNode node) {
    return JSON.convertValue(node.config().asTree(), new TypeReference<>() {});
  }

  private static Map<String, Object> packages() {
    Map<String, Object> p = new LinkedHashMap<>();
    String v = GraphExecutor.class.getPackage().getImplementationVersion();
    p.put("jbutler", v == null ? "development" : v);
    p.put("java", System.getProperty("java.version"));
    return p;
  }

  private Map<String, Object> readInitInputs(QuantumGraph.InitQuantum iq) {
    Map<String, Object> in = new LinkedHashMap<>();
    iq.initInputs()
        .forEach(
            (name, refs) -> {
              if (!refs.isEmpty()) {
                in.put(name, butler.get(refs.get(0), Map.of()));
              }
            });
    return in;
  }

  private PipelineGraph.TaskNode task(String label) {
    return pipeline.task(label);
  }

  // ------------------------------------------------------------------ quanta

  /**
   * The IDs of the {@code <label>_metadata} and {@code <label>_log} datasets already in the output
   * run: read once, instead of two lookups per quantum.
   */
  private Set<UUID> recordedBookkeeping() {
    String run = graph.header().outputRun();
    if (!butler.registry().collections().contains(run)) {
      return Set.of();
    }
    Set<UUID> ids = new java.util.HashSet<>();
    for (String label : graph.quantaPerTask().keySet()) {
      for (String type : List.of(label + "_metadata", label + "_log")) {
        if (butler.registry().findDatasetType(type).isEmpty()) {
          continue;
        }
        butler
            .registry()
            .queryDatasets(type, List.of(run), org.jbutler.registry.DataQuery.all())
            .forEach(r -> ids.add(r.id()));
      }
    }
    return ids;
  }

  /** Runs every quantum; returns their outcomes (never throws for a quantum's failure). */
  @Override
  public Report execute() throws InterruptedException {
    recorded = recordedBookkeeping();
    butler.datastore().removeLeftovers(graph.header().outputRun());
    List<QuantumGraph.Quantum> quanta = graph.quanta();
    int n = quanta.size();
    List<List<Integer>> children = new ArrayList<>(n);
    int[] waiting = new int[n];
    for (int i = 0; i < n; i++) {
      children.add(new ArrayList<>());
    }
    for (int i = 0; i < n; i++) {
      Set<Integer> parents = new java.util.HashSet<>();
      for (List<DatasetRef> refs : quanta.get(i).inputs().values()) {
        for (DatasetRef r : refs) {
          Integer p = producerOf.get(r.id());
          if (p != null && p != i) {
            parents.add(p);
          }
        }
      }
      waiting[i] = parents.size();
      for (int p : parents) {
        children.get(p).add(i);
      }
    }
    QuantumResult[] results = new QuantumResult[n];
    Deque<Integer> ready = new ArrayDeque<>();
    for (int i = 0; i < n; i++) {
      if (waiting[i] == 0) {
        ready.add(i);
      }
    }
    ExecutorService pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "quantum-worker");
              t.setDaemon(true);
              return t;
            });
    LinkedBlockingQueue<Integer> finished = new LinkedBlockingQueue<>();
    Map<Integer, Future<?>> running = new HashMap<>();
    Map<Integer, Long> started = new HashMap<>();
    Map<Integer, AtomicBoolean> cancelled = new HashMap<>();
    Map<Integer, QuantumResult> fromWorkers = new ConcurrentHashMap<>();
    // Tasks whose canMultiprocess() is false, and how many quanta of each task are running.
    Set<String> serial = new java.util.HashSet<>();
    for (PipelineGraph.TaskNode t : pipeline.tasks()) {
      if (!t.newInstance().canMultiprocess()) {
        serial.add(t.label());
      }
    }
    Map<String, Integer> runningOf = new HashMap<>();
    boolean stop = false;
    int done = 0;
    int failed = 0;
    try (Progress.Bar bar = options.progress().start("Running quanta", n)) {
      while (done < n) {
        while (!stop && running.size() < options.processes() && !ready.isEmpty()) {
          // A task that cannot multiprocess never has two quanta running at once.
          Integer next = null;
          for (java.util.Iterator<Integer> it = ready.iterator(); it.hasNext(); ) {
            int c = it.next();
            String label = quanta.get(c).taskLabel();
            if (!serial.contains(label) || runningOf.getOrDefault(label, 0) == 0) {
              it.remove();
              next = c;
              break;
            }
          }
          if (next == null) {
            break;
          }
          int i = next;
          runningOf.merge(quanta.get(i).taskLabel(), 1, Integer::sum);
          AtomicBoolean flag = new AtomicBoolean();
          cancelled.put(i, flag);
          started.put(i, System.nanoTime());
          running.put(
              i,
              pool.submit(
                  () -> {
                    try {
                      fromWorkers.put(i, runQuantum(quanta.get(i), flag));
                    } finally {
                      finished.add(i);
                    }
                  }));
        }
        if (running.isEmpty()) {
          // Nothing can start: the rest is blocked (fail-fast) or unreachable.
          for (int i = 0; i < n; i++) {
            if (results[i] == null) {
              results[i] = blocked(quanta.get(i), "not started: the run stopped (--fail-fast)");
              done++;
              bar.step();
            }
          }
          break;
        }
        Integer i = finished.poll(100, TimeUnit.MILLISECONDS);
        if (i == null) {
          timeouts(quanta, running, started, cancelled, fromWorkers, finished);
          continue;
        }
        Future<?> f = running.remove(i);
        if (f != null) {
          runningOf.merge(quanta.get(i).taskLabel(), -1, Integer::sum);
        }
        started.remove(i);
        QuantumResult r = fromWorkers.remove(i);
        if (r == null) {
          if (results[i] != null) {
            continue; // a timed-out quantum's worker finishing late
          }
          Throwable t = failure(f);
          r =
              new QuantumResult(
                  quanta.get(i).id(),
                  quanta.get(i).taskLabel(),
                  quanta.get(i).dataId(),
                  Status.FAILED,
                  String.valueOf(t),
                  0);
        }
        if (results[i] != null) {
          continue; // already recorded as timed out
        }
        results[i] = r;
        done++;
        bar.step();
        if (r.status() == Status.FAILED) {
          failed++;
          if (options.failFast()) {
            stop = true;
          }
          int blocked = block(i, children, results, quanta);
          done += blocked;
          bar.step(blocked);
        } else {
          for (int c : children.get(i)) {
            if (results[c] == null && --waiting[c] == 0) {
              ready.add(c);
            }
          }
        }
        bar.message(failed + " failed, " + (n - done) + " remaining");
        runProgress = new RunProgress(done, failed, n);
      }
    } finally {
      pool.shutdownNow();
    }
    List<QuantumResult> out = new ArrayList<>(n);
    for (QuantumResult r : results) {
      out.add(r);
    }
    return new Report(out, single.recordSeconds());
  }

  private static Throwable failure(Future<?> f) {
    try {
      f.get();
      return new IllegalStateException("the worker ended without a result");
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException | java.util.concurrent.CancellationException e) {
      return e;
    }
  }

  private void timeouts(
      List<QuantumGraph.Quantum> quanta,
      Map<Integer, Future<?>> running,
      Map<Integer, Long> started,
      Map<Integer, AtomicBoolean> cancelled,
      Map<Integer, QuantumResult> fromWorkers,
      LinkedBlockingQueue<Integer> finished) {
    if (options.timeoutSeconds() <= 0) {
      return;
    }
    long now = System.nanoTime();
    for (Map.Entry<Integer, Long> e : new ArrayList<>(started.entrySet())) {
      if ((now - e.getValue()) / 1e9 > options.timeoutSeconds()) {
        int i = e.getKey();
        cancelled.get(i).set(true);
        running.get(i).cancel(true);
        QuantumGraph.Quantum q = quanta.get(i);
        LOG.error(
            "Quantum {} of task '{}' {} timed out after {} s; it is failed.",
            q.id(),
            q.taskLabel(),
            q.dataId(),
            options.timeoutSeconds());
        fromWorkers.put(
            i,
            new QuantumResult(
                q.id(),
                q.taskLabel(),
                q.dataId(),
                Status.FAILED,
                "timed out after " + options.timeoutSeconds() + " s",
                options.timeoutSeconds()));
        started.remove(i);
        finished.add(i);
      }
    }
  }

  private int block(
      int failed,
      List<List<Integer>> children,
      QuantumResult[] results,
      List<QuantumGraph.Quantum> quanta) {
    int count = 0;
    Deque<Integer> todo = new ArrayDeque<>(children.get(failed));
    while (!todo.isEmpty()) {
      int c = todo.poll();
      if (results[c] != null) {
        continue;
      }
      results[c] =
          blocked(quanta.get(c), "upstream quantum " + quanta.get(failed).id() + " failed");
      count++;
      todo.addAll(children.get(c));
    }
    return count;
  }

  private static QuantumResult blocked(QuantumGraph.Quantum q, String why) {
    return new QuantumResult(q.id(), q.taskLabel(), q.dataId(), Status.BLOCKED, why, 0);
  }

  /** Runs one quantum on this thread. */
  QuantumResult runQuantum(QuantumGraph.Quantum q, AtomicBoolean cancelled) {
    SingleQuantumExecutor.Outcome o = single.execute(q, cancelled);
    if (o.result().status() == Status.SKIPPED) {
      markProduced(q);
    } else {
      produced.addAll(o.produced());
    }
    return o.result();
  }

  private void markProduced(QuantumGraph.Quantum q) {
    for (List<DatasetRef> refs : q.outputs().values()) {
      for (DatasetRef r : refs) {
        if (butler.registry().findDataset(r.id()).isPresent()) {
          produced.add(r.id());
        }
      }
    }
  }

  private Map<String, Object> initInputsOf(String label) {
    return initInputs.computeIfAbsent(
        label,
        k -> {
          for (QuantumGraph.InitQuantum iq : graph.initQuanta()) {
            if (iq.taskLabel().equals(k)) {
              return readInitInputs(iq);
            }
          }
          return Map.of();
        });
  }

  static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
