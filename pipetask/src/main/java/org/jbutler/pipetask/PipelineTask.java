package org.jbutler.pipetask;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pipeline task, as pipe_base's {@code PipelineTask}: a Java class with a public no-argument
 * constructor, a config (a record bound from YAML with Jackson), connections declared as a function
 * of that config, and {@link #runQuantum} (by default: read every input, call {@link #run}, write
 * what it returns).
 *
 * @param <C> the config type
 */
public abstract class PipelineTask<C> {

  private String label;
  private C config;
  private Logger log;
  private final Map<String, Object> metadata = new LinkedHashMap<>();

  /** The config type; YAML config blocks are bound to it. */
  public abstract Class<C> configClass();

  /** The default config. */
  public abstract C defaultConfig();

  /**
   * Checks a config beyond its types; throw {@link IllegalArgumentException} with a message naming
   * the field.
   */
  public void validate(C config) {}

  /** The connections for a config: quantum dimensions, inputs, outputs, prerequisites, inits. */
  public abstract Connections connections(C config);

  /** Whether quanta of this task may run in parallel (pipe_base's {@code canMultiprocess}). */
  public boolean canMultiprocess() {
    return true;
  }

  /**
   * Called once before any quantum with the init-inputs (by connection name); returns the
   * init-outputs by connection name (e.g. a catalogue schema).
   */
  public Map<String, Object> init(Map<String, Object> initInputs) {
    return Map.of();
  }

  /**
   * Runs one quantum. The default reads every input ({@code multiple} connections as lists), calls
   * {@link #run} and writes the outputs it returns (a missing or null output is not written).
   * Override to look at data IDs, write partial outputs, or throw {@link NoWorkFound}.
   */
  public void runQuantum(QuantumContext context, QuantumRefs inputs, QuantumRefs outputs) {
    Map<String, Object> in = context.get(inputs);
    Map<String, Object> out = run(in);
    context.put(out, outputs);
  }

  /**
   * The algorithm on in-memory objects: inputs by connection name, outputs by connection name.
   *
   * @throws UnsupportedOperationException unless the task overrides this or {@link #runQuantum}
   */
  public Map<String, Object> run(Map<String, Object> inputs) {
    throw new UnsupportedOperationException(
        getClass().getName() + " overrides neither run nor runQuantum.");
  }

  /**
   * Adjusts a quantum's datasets before it runs (pipe_base's {@code adjustQuantum}); may only drop
   * datasets. The default enforces {@code multiple} and {@code minimum}: too few inputs is {@link
   * NoWorkFound}, too few prerequisites {@link PrerequisiteMissingException}, more than one dataset
   * for a single connection an error. Overrides should call it last.
   *
   * @param inputs inputs and prerequisites by connection name
   * @param outputs outputs by connection name
   * @return the (possibly reduced) inputs and outputs
   */
  public AdjustedQuantum adjustQuantum(
      Map<String, List<DatasetRef>> inputs,
      Map<String, List<DatasetRef>> outputs,
      Connections connections,
      DataCoordinate dataId) {
    for (Map.Entry<String, List<DatasetRef>> e : inputs.entrySet()) {
      Connection c = connections.all().get(e.getKey());
      if (c == null) {
        continue;
      }
      int n = e.getValue().size();
      if (!c.multiple() && n > 1) {
        throw new IllegalStateException(
            "Task '"
                + label
                + "', quantum "
                + dataId
                + ": connection "
                + c.name()
                + " takes one dataset but "
                + n
                + " were found; make it multiple or narrow the query.");
      }
      if (n < c.minimum()) {
        String what =
            "connection "
                + c.name()
                + " ("
                + c.datasetType()
                + ") has "
                + n
                + " dataset(s), fewer than its minimum "
                + c.minimum();
        if (c.kind() == Connection.Kind.PREREQUISITE_INPUT) {
          throw new PrerequisiteMissingException(
              "Task '" + label + "', quantum " + dataId + ": " + what + ".");
        }
        throw new NoWorkFound(what);
      }
    }
    return new AdjustedQuantum(inputs, outputs);
  }

  /** A quantum's inputs and outputs after {@link #adjustQuantum}. */
  public record AdjustedQuantum(
      Map<String, List<DatasetRef>> inputs, Map<String, List<DatasetRef>> outputs) {

    /**
     * Checks that an adjustment only dropped datasets.
     *
     * @throws IllegalStateException naming the connection that gained one
     */
    public void checkSubsetOf(
        Map<String, List<DatasetRef>> inputsBefore,
        Map<String, List<DatasetRef>> outputsBefore,
        String label) {
      check(inputs, inputsBefore, label);
      check(outputs, outputsBefore, label);
    }

    private static void check(
        Map<String, List<DatasetRef>> after, Map<String, List<DatasetRef>> before, String label) {
      if (after == before) {
        return;
      }
      for (Map.Entry<String, List<DatasetRef>> e : after.entrySet()) {
        List<DatasetRef> had = before.getOrDefault(e.getKey(), List.of());
        if (had == e.getValue()) {
          continue;
        }
        List<DatasetRef> extra = new ArrayList<>(e.getValue());
        extra.removeAll(new java.util.HashSet<>(had));
        if (!extra.isEmpty()) {
          throw new IllegalStateException(
              "Task '"
                  + label
                  + "': adjustQuantum added datasets to "
                  + e.getKey()
                  + " ("
                  + extra
                  + "); it may only remove them.");
        }
      }
    }
  }

  /**
   * Sets the label and config: called by the framework (the pipeline graph) once, before anything
   * else. Public so that the framework's packages can call it; a task's own code never does.
   *
   * @throws IllegalStateException if the task was configured already
   */
  public final void configure(String taskLabel, Object taskConfig) {
    if (this.label != null) {
      throw new IllegalStateException(
          "Task '" + this.label + "' is configured already; make a new instance instead.");
    }
    this.label = taskLabel;
    this.config = configClass().cast(taskConfig);
    this.log = LoggerFactory.getLogger(getClass().getName() + "." + taskLabel);
  }

  /** The pipeline label of this task. */
  public final String label() {
    return label;
  }

  /** The config this task runs with. */
  public final C config() {
    return config;
  }

  /** This task's logger (named after its class and label). */
  protected final Logger log() {
    return log != null ? log : LoggerFactory.getLogger(getClass());
  }

  /** Values the task records for {@code <label>_metadata}. */
  public final Map<String, Object> metadata() {
    return metadata;
  }
}
