package org.jbutler.pipetask.graph;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionRecord;

/**
 * A predicted quantum graph: every quantum of every task with its input and output datasets
 * resolved against the repository, the init datasets, the pipeline it came from and the dimension
 * records its data IDs use. Saved and loaded by {@link QuantumGraphFile}.
 */
public final class QuantumGraph {

  /**
   * What the graph was built for.
   *
   * @param inputs the input collections, in search order
   * @param outputRun the RUN collection that receives the outputs
   * @param outputChain the CHAINED output collection, or null
   * @param dataQuery the {@code -d} expression
   * @param created when, ISO-8601 UTC
   */
  public record Header(
      List<String> inputs,
      String outputRun,
      String outputChain,
      String dataQuery,
      String user,
      String created,
      String command,
      int universeVersion,
      String universeNamespace) {
    /** Copies. */
    public Header {
      inputs = List.copyOf(inputs);
    }
  }

  /** One unit of work: a task on one data ID. */
  public record Quantum(
      UUID id,
      String taskLabel,
      DataCoordinate dataId,
      Map<String, List<DatasetRef>> inputs,
      Map<String, List<DatasetRef>> outputs) {
    /** Copies. */
    public Quantum {
      inputs = copy(inputs);
      outputs = copy(outputs);
    }
  }

  /** A task's (or, with an empty label, the pipeline's) init-inputs and init-outputs. */
  public record InitQuantum(
      String taskLabel,
      Map<String, List<DatasetRef>> initInputs,
      Map<String, List<DatasetRef>> initOutputs) {
    /** Copies. */
    public InitQuantum {
      initInputs = copy(initInputs);
      initOutputs = copy(initOutputs);
    }
  }

  static Map<String, List<DatasetRef>> copy(Map<String, List<DatasetRef>> m) {
    if (m instanceof SmallMap<List<DatasetRef>> already) {
      return already; // immutable, with immutable lists
    }
    return SmallMap.copyOf(m, List::copyOf);
  }

  private final Header header;
  private final String pipelineYaml;
  private final Map<String, DatasetType> datasetTypes;
  private final List<DimensionRecord> records;
  private final List<InitQuantum> initQuanta;
  private final List<Quantum> quanta;
  private final Map<String, Integer> skippedAtBuild;

  /** Assembles a graph. */
  public QuantumGraph(
      Header header,
      String pipelineYaml,
      Map<String, DatasetType> datasetTypes,
      List<DimensionRecord> records,
      List<InitQuantum> initQuanta,
      List<Quantum> quanta) {
    this(header, pipelineYaml, datasetTypes, records, initQuanta, quanta, Map.of());
  }

  /**
   * Assembles a graph that records how many quanta of each task were left out as already done
   * ({@code --skip-existing-in}, {@code --extend-run}).
   */
  public QuantumGraph(
      Header header,
      String pipelineYaml,
      Map<String, DatasetType> datasetTypes,
      List<DimensionRecord> records,
      List<InitQuantum> initQuanta,
      List<Quantum> quanta,
      Map<String, Integer> skippedAtBuild) {
    this.skippedAtBuild = Collections.unmodifiableMap(new LinkedHashMap<>(skippedAtBuild));
    this.header = header;
    this.pipelineYaml = pipelineYaml;
    this.datasetTypes = Collections.unmodifiableMap(new LinkedHashMap<>(datasetTypes));
    this.records = List.copyOf(records);
    this.initQuanta = List.copyOf(initQuanta);
    this.quanta = List.copyOf(quanta);
  }

  /** The header. */
  public Header header() {
    return header;
  }

  /** The pipeline, as YAML (imports resolved, edits applied). */
  public String pipelineYaml() {
    return pipelineYaml;
  }

  /** The dataset types of every ref, by name. */
  public Map<String, DatasetType> datasetTypes() {
    return datasetTypes;
  }

  /** The dimension records the data IDs use. */
  public List<DimensionRecord> records() {
    return records;
  }

  /** The init quanta: one per task with quanta, and the pipeline's own (label ""). */
  public List<InitQuantum> initQuanta() {
    return initQuanta;
  }

  /** Per task, the quanta left out of the graph because they were already done. */
  public Map<String, Integer> skippedAtBuild() {
    return skippedAtBuild;
  }

  /** Every quantum, producers' before consumers'. */
  public List<Quantum> quanta() {
    return quanta;
  }

  private Map<String, Integer> perTask;
  private Map<String, Integer> perType;

  /** How many quanta each task has, in pipeline order. */
  public synchronized Map<String, Integer> quantaPerTask() {
    if (perTask == null) {
      perTask = Collections.unmodifiableMap(countPerTask());
    }
    return perTask;
  }

  private Map<String, Integer> countPerTask() {
    Map<String, Integer> n = new LinkedHashMap<>();
    for (Quantum q : quanta) {
      n.merge(q.taskLabel(), 1, Integer::sum);
    }
    return n;
  }

  /** How many datasets of each type the quanta read or write (distinct), by name. */
  public synchronized Map<String, Integer> datasetsPerType() {
    if (perType == null) {
      perType = Collections.unmodifiableMap(countPerType());
    }
    return perType;
  }

  private Map<String, Integer> countPerType() {
    // Each output is written by one quantum: count them; inputs only for the types no quantum
    // writes (the overall inputs), distinct by ID.
    Map<String, Integer> n = new LinkedHashMap<>();
    Set<String> produced = new java.util.HashSet<>();
    for (Quantum q : quanta) {
      for (List<DatasetRef> refs : q.outputs().values()) {
        if (!refs.isEmpty()) {
          produced.add(refs.get(0).datasetType().name());
        }
      }
    }
    Map<String, Set<UUID>> inputs = new LinkedHashMap<>();
    for (Quantum q : quanta) {
      for (List<DatasetRef> refs : q.inputs().values()) {
        for (DatasetRef r : refs) {
          String type = r.datasetType().name();
          n.putIfAbsent(type, 0); // first seen, first listed
          if (!produced.contains(type)) {
            inputs.computeIfAbsent(type, k -> new java.util.HashSet<>()).add(r.id());
          }
        }
      }
      for (List<DatasetRef> refs : q.outputs().values()) {
        if (!refs.isEmpty()) {
          n.merge(refs.get(0).datasetType().name(), refs.size(), Integer::sum);
        }
      }
    }
    inputs.forEach((k, v) -> n.put(k, v.size()));
    return n;
  }
}
