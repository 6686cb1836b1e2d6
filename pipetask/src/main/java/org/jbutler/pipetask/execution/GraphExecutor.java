package org.jbutler.pipetask.execution;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jbutler.butler.Butler;
import org.jbutler.pipetask.graph.QuantumGraph;
import org.jbutler.pipetask.pipeline.PipelineGraph;
import org.jbutler.schema.Progress;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;

/**
 * Runs a quantum graph: configs and init-outputs first, then every quantum in dependency order,
 * each through a context limited to its own datasets, its outputs registered with its metadata and
 * log. {@link #local} runs the quanta on threads of this process; other executors (a batch system
 * whose workers use a {@link org.jbutler.butler.LimitedButler}) implement the same contract.
 */
public interface GraphExecutor {

  /** What happened to a quantum. */
  enum Status {
    /** Ran and wrote its metadata. */
    SUCCEEDED,
    /** Ran (or was pruned) with nothing to do; metadata written, no outputs. */
    NO_WORK,
    /** Raised, timed out or was killed: its log is kept, no metadata. */
    FAILED,
    /** Not run because an upstream quantum failed (or fail-fast stopped the run). */
    BLOCKED,
    /** Already done: its metadata was in the repository. */
    SKIPPED
  }

  /**
   * How to run.
   *
   * @param processes workers (threads) running quanta at once
   * @param failFast stop starting quanta after the first failure
   * @param timeoutSeconds a quantum running longer fails (0: no limit)
   * @param progress where to report quanta done
   */
  record Options(int processes, boolean failFast, double timeoutSeconds, Progress progress) {
    /** Checks. */
    public Options {
      if (processes < 1) {
        throw new org.jbutler.schema.exceptions.InvalidConfigException(
            "-j " + processes + ": give at least 1 worker.");
      }
      progress = progress == null ? Progress.NONE : progress;
    }
  }

  /** One quantum's outcome. */
  record QuantumResult(
      UUID id, String task, DataCoordinate dataId, Status status, String message, double seconds) {}

  /**
   * Every quantum's outcome, and counts per task.
   *
   * @param registrySeconds time the workers spent in registry calls (existence checks and the
   *     registration of outputs), summed over workers
   */
  record Report(List<QuantumResult> quanta, double registrySeconds) {

    /** Counts per task (pipeline order) and status. */
    public Map<String, Map<Status, Integer>> perTask() {
      Map<String, Map<Status, Integer>> m = new LinkedHashMap<>();
      for (QuantumResult q : quanta) {
        m.computeIfAbsent(
                q.task(),
                k -> {
                  Map<Status, Integer> z = new LinkedHashMap<>();
                  for (Status s : Status.values()) {
                    z.put(s, 0);
                  }
                  return z;
                })
            .merge(q.status(), 1, Integer::sum);
      }
      return m;
    }

    /** Whether any quantum failed or was blocked. */
    public boolean anyFailed() {
      return quanta.stream()
          .anyMatch(q -> q.status() == Status.FAILED || q.status() == Status.BLOCKED);
    }
  }

  /** How far a run has come: quanta with an outcome, of which failed, of all. */
  record RunProgress(int done, int failed, int total) {}

  /** An executor running the quanta on {@code options.processes()} threads of this process. */
  static GraphExecutor local(
      Butler butler, PipelineGraph pipeline, QuantumGraph graph, Options options) {
    return new LocalGraphExecutor(butler, pipeline, graph, options);
  }

  /** How far the current (or last) {@link #execute} has come; safe to read from any thread. */
  RunProgress runProgress();

  /**
   * Writes each task's config ({@code <label>_config}), its init-outputs and the pipeline's {@code
   * packages}. Those already present are compared ({@code compareExisting}, for {@code
   * --extend-run}: a config that differs is an error naming the field) or left alone.
   *
   * @throws ConflictingDefinitionException for a config or package set that differs
   */
  void writeInitOutputs(boolean compareExisting);

  /** Runs every quantum; returns their outcomes (never throws for a quantum's failure). */
  Report execute() throws InterruptedException;
}
