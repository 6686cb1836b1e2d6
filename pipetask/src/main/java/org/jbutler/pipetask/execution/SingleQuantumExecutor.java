package org.jbutler.pipetask.execution;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.jbutler.butler.LimitedButler;
import org.jbutler.datastore.Datastore;
import org.jbutler.datastore.Exposure;
import org.jbutler.datastore.Header;
import org.jbutler.datastore.Image;
import org.jbutler.pipetask.NoWorkFound;
import org.jbutler.pipetask.PipelineTask;
import org.jbutler.pipetask.QuantumContext;
import org.jbutler.pipetask.QuantumRefs;
import org.jbutler.pipetask.QuantumSuccessCaveat;
import org.jbutler.pipetask.UpstreamFailureNoWorkFound;
import org.jbutler.pipetask.execution.GraphExecutor.QuantumResult;
import org.jbutler.pipetask.execution.GraphExecutor.Status;
import org.jbutler.pipetask.graph.QuantumGraph;
import org.jbutler.pipetask.pipeline.PipelineGraph;
import org.jbutler.schema.DatasetRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one quantum against a {@link LimitedButler} (pipe_base's {@code SingleQuantumExecutor}): all
 * it reads and writes goes through the refs it is given, so the same code runs a quantum in {@code
 * pipetask run}'s threads (a full butler) and in a worker that never opens the registry (a butler
 * backed by the graph's records). What it needs to know of the rest of the run comes through {@link
 * Environment}.
 */
final class SingleQuantumExecutor {

  private static final Logger LOG = LoggerFactory.getLogger(GraphExecutor.class);

  /** What a quantum needs of the run around it. */
  interface Environment {
    /** Whether a dataset (a quantum's metadata or log) is already recorded in the output run. */
    boolean recorded(DatasetRef ref);

    /** Whether an input is there to read: not an upstream output that was never written. */
    boolean available(DatasetRef input);

    /** The ref with its data ID expanded (records the file template and formatters use). */
    DatasetRef expand(DatasetRef ref);

    /** The task's init-inputs, read once per task. */
    Map<String, Object> initInputs(String label);

    /** The short hash of the task's config, recorded in metadata and headers. */
    String configHash(String label);
  }

  /**
   * A quantum's result and the IDs of the outputs it recorded (empty unless it succeeded).
   *
   * @param result the outcome
   * @param produced the outputs now recorded, which downstream quanta may read
   */
  record Outcome(QuantumResult result, List<UUID> produced) {}

  private final LimitedButler butler;
  private final PipelineGraph pipeline;
  private final Environment env;
  private final LongAdder recordNanos = new LongAdder();

  SingleQuantumExecutor(LimitedButler butler, PipelineGraph pipeline, Environment env) {
    this.butler = butler;
    this.pipeline = pipeline;
    this.env = env;
  }

  /** Time spent recording outputs, summed over quanta and threads. */
  double recordSeconds() {
    return recordNanos.sum() / 1e9;
  }

  /**
   * Runs one quantum on this thread: skips it if its metadata is recorded, reads its inputs (those
   * an upstream quantum did not write are dropped and the task asked to adjust), runs the task,
   * stages its outputs, metadata and log, and records them together. A failed quantum records only
   * its log (with what the failure was) and deletes what it staged.
   *
   * @param cancelled set when the quantum has run out of time: its puts fail, nothing is recorded
   */
  Outcome execute(QuantumGraph.Quantum q, AtomicBoolean cancelled) {
    long t0 = System.nanoTime();
    long cpu0 = cpuNanos();
    String start = Instant.now().toString();
    PipelineGraph.TaskNode node = pipeline.task(q.taskLabel());
    DatasetRef metadataRef = single(q.outputs().get("_metadata"));
    DatasetRef logRef = single(q.outputs().get("_log"));
    if (metadataRef != null && env.recorded(metadataRef)) {
      return new Outcome(result(q, Status.SKIPPED, "already done", t0), List.of());
    }
    String id = q.id().toString();
    QuantumLogCapture.begin(id);
    List<Datastore.Written> written = new ArrayList<>();
    Status status;
    String message = "";
    java.util.Set<QuantumSuccessCaveat> caveats = new java.util.LinkedHashSet<>();
    PipelineTask<?> task = null;
    QuantumContext context = null;
    Throwable error = null;
    try {
      removeEarlierAttempt(logRef);
      task = node.newInstance();
      task.init(env.initInputs(q.taskLabel()));
      // Inputs an upstream quantum did not write (no work) are dropped, and the task asked again.
      Map<String, List<DatasetRef>> inputs = new LinkedHashMap<>();
      boolean missing = false;
      for (Map.Entry<String, List<DatasetRef>> e : q.inputs().entrySet()) {
        List<DatasetRef> kept = new ArrayList<>();
        for (DatasetRef r : e.getValue()) {
          if (env.available(r)) {
            kept.add(r);
          } else {
            missing = true;
          }
        }
        inputs.put(e.getKey(), kept);
      }
      Map<String, List<DatasetRef>> outputs = new LinkedHashMap<>(q.outputs());
      outputs.remove("_metadata");
      outputs.remove("_log");
      if (missing) {
        PipelineTask.AdjustedQuantum adjusted =
            task.adjustQuantum(inputs, outputs, node.connections(), q.dataId());
        inputs = adjusted.inputs();
        outputs = new LinkedHashMap<>(adjusted.outputs());
      }
      QuantumRefs in = new QuantumRefs(node.connections().all(), inputs);
      QuantumRefs out = new QuantumRefs(node.connections().all(), outputs);
      List<DatasetRef> inputList = new ArrayList<>();
      inputs.values().forEach(inputList::addAll);
      PipelineTask<?> running = task;
      context =
          new QuantumContext(
              new QuantumContext.Io() {
                @Override
                public Object get(DatasetRef ref, Map<String, Object> parameters) {
                  return butler.get(ref, parameters);
                }

                @Override
                public void put(Object object, DatasetRef ref) {
                  if (cancelled.get()) {
                    throw new IllegalStateException("the quantum was cancelled (timeout)");
                  }
                  provenance(object, q, running, inputList);
                  Datastore.Written w = butler.stage(object, env.expand(ref));
                  synchronized (written) {
                    written.add(w);
                  }
                }
              },
              q.dataId(),
              in,
              out);
      task.runQuantum(context, in, out);
      int expected = 0;
      for (List<DatasetRef> refs : outputs.values()) {
        expected += refs.size();
      }
      int wrote = context.datasetsWritten().size();
      if (wrote == 0 && expected > 0) {
        caveats.add(QuantumSuccessCaveat.ALL_OUTPUTS_MISSING);
      } else if (wrote < expected) {
        caveats.add(QuantumSuccessCaveat.ANY_OUTPUTS_MISSING);
      }
      status = Status.SUCCEEDED;
    } catch (NoWorkFound e) {
      status = Status.NO_WORK;
      message = e.getMessage();
      caveats.add(QuantumSuccessCaveat.NO_WORK);
      caveats.addAll(e.caveats()); // a subclass's own (UnprocessableDataError, ...)
      if (e instanceof UpstreamFailureNoWorkFound) {
        caveats.add(QuantumSuccessCaveat.UPSTREAM_FAILURE_NO_WORK);
      }
      LOG.info("Task '{}' {}: no work ({})", q.taskLabel(), q.dataId(), e.getMessage());
    } catch (RuntimeException | Error e) {
      status = Status.FAILED;
      error = e;
      message = String.valueOf(e.getMessage() == null ? e : e.getMessage());
      LOG.error("Task '{}' {} failed: {}", q.taskLabel(), q.dataId(), e.toString(), e);
    }
    List<Map<String, Object>> logRecords = QuantumLogCapture.end(id);
    if (error != null) {
      QuantumLogCapture.attachFailure(logRecords, LOG.getName(), error);
    }
    try {
      if (cancelled.get()) {
        written.forEach(w -> deleteQuietly(w.file()));
        return new Outcome(result(q, Status.FAILED, "timed out", t0), List.of());
      }
      List<Datastore.Written> all = new ArrayList<>();
      if (status == Status.FAILED) {
        written.forEach(w -> deleteQuietly(w.file()));
      } else {
        all.addAll(written);
        if (metadataRef != null) {
          Map<String, Object> meta = new LinkedHashMap<>();
          Map<String, Object> quantum = new LinkedHashMap<>();
          quantum.put("id", id);
          quantum.put("task", q.taskLabel());
          quantum.put("dataId", q.dataId().required());
          quantum.put("status", status.name());
          quantum.put("caveats", caveats.stream().map(Enum::name).toList());
          quantum.put("startUtc", start);
          quantum.put("endUtc", Instant.now().toString());
          quantum.put("wallSeconds", (System.nanoTime() - t0) / 1e9);
          quantum.put("cpuSeconds", (cpuNanos() - cpu0) / 1e9);
          quantum.put("configHash", env.configHash(q.taskLabel()));
          quantum.put("inputs", refsJson(context == null ? List.of() : context.datasetsRead()));
          quantum.put("outputs", written.stream().map(w -> w.ref().id().toString()).toList());
          if (!message.isEmpty()) {
            quantum.put("message", message);
          }
          meta.put("quantum", quantum);
          meta.put("task", task == null ? Map.of() : task.metadata());
          all.add(butler.stage(meta, env.expand(metadataRef)));
        }
      }
      if (logRef != null) {
        all.add(butler.stage(logRecords, env.expand(logRef)));
      }
      long r1 = System.nanoTime();
      butler.registerWritten(all);
      recordNanos.add(System.nanoTime() - r1);
    } catch (RuntimeException e) {
      written.forEach(w -> deleteQuietly(w.file()));
      LOG.error(
          "Quantum {} of task '{}': its outputs could not be recorded: {}",
          id,
          q.taskLabel(),
          e.toString());
      return new Outcome(
          result(q, Status.FAILED, "recording outputs: " + e.getMessage(), t0), List.of());
    }
    if (error != null) {
      return new Outcome(
          result(q, Status.FAILED, error.getClass().getSimpleName() + ": " + message, t0),
          List.of());
    }
    return new Outcome(
        result(q, status, message, t0), written.stream().map(w -> w.ref().id()).toList());
  }

  /** A log left by an earlier failed attempt is replaced by this attempt's. */
  private void removeEarlierAttempt(DatasetRef logRef) {
    if (logRef != null && env.recorded(logRef)) {
      LOG.info("Replacing the log of an earlier failed attempt ({}).", logRef.id());
      butler.purge(List.of(logRef));
    }
  }

  /** Records in an image's header the inputs, task and config that made it. */
  private void provenance(
      Object object, QuantumGraph.Quantum q, PipelineTask<?> task, List<DatasetRef> inputs) {
    Header h = null;
    if (object instanceof Image image) {
      h = image.metadata();
    } else if (object instanceof Exposure e) {
      h = e.metadata();
    }
    if (h == null) {
      return;
    }
    h.set("JBUTLER.TASK", q.taskLabel(), "task label that wrote this");
    h.set("JBUTLER.CLASS", task.getClass().getName(), "task class");
    h.set("JBUTLER.CONFIG", env.configHash(q.taskLabel()), "SHA-256 of the task config (16 hex)");
    h.set("JBUTLER.QUANTUM", q.id().toString(), "quantum UUID");
    h.set("JBUTLER.NINPUTS", (long) inputs.size(), "input datasets");
    for (int i = 0; i < inputs.size(); i++) {
      h.set("JBUTLER.INPUT" + i + ".TYPE", inputs.get(i).datasetType().name(), "");
      h.set("JBUTLER.INPUT" + i + ".ID", inputs.get(i).id().toString(), "");
    }
  }

  private static List<Map<String, Object>> refsJson(List<DatasetRef> refs) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (DatasetRef r : refs) {
      out.add(Map.of("id", r.id().toString(), "datasetType", r.datasetType().name()));
    }
    return out;
  }

  private static DatasetRef single(List<DatasetRef> refs) {
    return refs == null || refs.isEmpty() ? null : refs.get(0);
  }

  private static QuantumResult result(QuantumGraph.Quantum q, Status s, String message, long t0) {
    return new QuantumResult(
        q.id(), q.taskLabel(), q.dataId(), s, message, (System.nanoTime() - t0) / 1e9);
  }

  private static long cpuNanos() {
    var bean = ManagementFactory.getThreadMXBean();
    return bean.isCurrentThreadCpuTimeSupported() ? bean.getCurrentThreadCpuTime() : 0;
  }

  static void deleteQuietly(java.nio.file.Path p) {
    try {
      java.nio.file.Files.deleteIfExists(p);
    } catch (java.io.IOException e) {
      LOG.warn("Could not delete {}: {}", p, e.toString());
    }
  }
}
