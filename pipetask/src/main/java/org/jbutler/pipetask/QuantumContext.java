package org.jbutler.pipetask;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.dimensions.DataCoordinate;

/**
 * What a task sees of the repository while it runs a quantum (pipe_base's {@code QuantumContext}):
 * {@code get} of its own inputs and {@code put} of its own outputs, nothing else. It records what
 * was read and written, for the quantum's metadata and the outputs' provenance.
 */
public final class QuantumContext {

  /** How datasets are read and written: a butler, or a registry-free store on a cluster node. */
  public interface Io {
    /** Reads a dataset. */
    Object get(DatasetRef ref, Map<String, Object> parameters);

    /** Writes a dataset whose ID, run and data ID are decided. */
    void put(Object object, DatasetRef ref);
  }

  /** A dataset to read later (a {@code deferLoad} connection). */
  public final class DeferredHandle {
    private final DatasetRef ref;

    private DeferredHandle(DatasetRef ref) {
      this.ref = ref;
    }

    /** The dataset. */
    public DatasetRef ref() {
      return ref;
    }

    /** Reads it, with read parameters ({@code bbox}, {@code columns}). */
    public Object get(Map<String, Object> parameters) {
      return read(ref, parameters);
    }
  }

  private final Io io;
  private final DataCoordinate dataId;
  private final QuantumRefs inputs;
  private final QuantumRefs outputs;
  private final Set<DatasetRef> allowedInputs = new LinkedHashSet<>();
  private final Set<DatasetRef> allowedOutputs = new LinkedHashSet<>();
  private final List<DatasetRef> read = new ArrayList<>();
  private final List<DatasetRef> written = new ArrayList<>();

  /**
   * @param dataId the quantum's data ID
   * @param inputs its inputs and prerequisites
   * @param outputs its outputs (the framework's own {@code _metadata}/{@code _log} excluded)
   */
  public QuantumContext(Io io, DataCoordinate dataId, QuantumRefs inputs, QuantumRefs outputs) {
    this.io = io;
    this.dataId = dataId;
    this.inputs = inputs;
    this.outputs = outputs;
    inputs.all().values().forEach(allowedInputs::addAll);
    outputs.all().values().forEach(allowedOutputs::addAll);
  }

  /** The quantum's data ID. */
  public DataCoordinate dataId() {
    return dataId;
  }

  /** The quantum's inputs. */
  public QuantumRefs inputs() {
    return inputs;
  }

  /** The quantum's outputs. */
  public QuantumRefs outputs() {
    return outputs;
  }

  /**
   * Reads every connection of a side: a single connection's object, a {@code multiple} one's list,
   * a {@code deferLoad} one's {@link DeferredHandle}(s); connections without datasets are absent.
   */
  public Map<String, Object> get(QuantumRefs side) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<DatasetRef>> e : side.all().entrySet()) {
      Connection c = side.connections().get(e.getKey());
      List<DatasetRef> refs = e.getValue();
      if (refs.isEmpty()) {
        continue;
      }
      boolean defer = c != null && c.deferLoad();
      List<Object> objects = new ArrayList<>();
      for (DatasetRef ref : refs) {
        objects.add(defer ? deferred(ref) : get(ref));
      }
      out.put(e.getKey(), c != null && c.multiple() ? objects : objects.get(0));
    }
    return out;
  }

  /**
   * Reads one of this quantum's inputs.
   *
   * @throws IllegalArgumentException if the dataset is not an input of this quantum
   */
  public Object get(DatasetRef ref) {
    return read(ref, Map.of());
  }

  /** A handle to read one of this quantum's inputs later. */
  public DeferredHandle deferred(DatasetRef ref) {
    checkInput(ref);
    return new DeferredHandle(ref);
  }

  private Object read(DatasetRef ref, Map<String, Object> parameters) {
    checkInput(ref);
    Object o = io.get(ref, parameters);
    synchronized (read) {
      read.add(ref);
    }
    return o;
  }

  private void checkInput(DatasetRef ref) {
    if (!allowedInputs.contains(ref)) {
      throw new IllegalArgumentException(
          "Dataset "
              + ref
              + " is not an input of quantum "
              + dataId
              + "; a task reads only its own.");
    }
  }

  /**
   * Writes outputs by connection name: a single connection's object, a {@code multiple} one's list
   * (as many as its datasets); a missing or null value is not written (partial outputs).
   *
   * @throws IllegalArgumentException for a name that is not an output connection, or a list of the
   *     wrong length
   */
  public void put(Map<String, Object> values, QuantumRefs side) {
    for (Map.Entry<String, Object> e : values.entrySet()) {
      if (e.getValue() == null) {
        continue;
      }
      Connection c = side.connections().get(e.getKey());
      if (c == null) {
        throw new IllegalArgumentException(
            "run returned '"
                + e.getKey()
                + "', which is not an output connection; outputs are "
                + side.connections().keySet()
                + ".");
      }
      List<DatasetRef> refs = side.refs(e.getKey());
      if (c.multiple()) {
        if (!(e.getValue() instanceof List<?> list) || list.size() != refs.size()) {
          throw new IllegalArgumentException(
              "Output "
                  + e.getKey()
                  + " is multiple: give a list of "
                  + refs.size()
                  + " objects, one per dataset.");
        }
        for (int i = 0; i < refs.size(); i++) {
          put(list.get(i), refs.get(i));
        }
      } else if (!refs.isEmpty()) {
        put(e.getValue(), refs.get(0));
      }
    }
  }

  /**
   * Writes one of this quantum's outputs.
   *
   * @throws IllegalArgumentException if the dataset is not an output of this quantum
   */
  public void put(Object object, DatasetRef ref) {
    if (!allowedOutputs.contains(ref)) {
      throw new IllegalArgumentException(
          "Dataset "
              + ref
              + " is not an output of quantum "
              + dataId
              + "; a task writes only its own.");
    }
    io.put(object, ref);
    synchronized (written) {
      written.add(ref);
    }
  }

  /** The inputs read so far. */
  public List<DatasetRef> datasetsRead() {
    synchronized (read) {
      return List.copyOf(read);
    }
  }

  /** The outputs written so far. */
  public List<DatasetRef> datasetsWritten() {
    synchronized (written) {
      return List.copyOf(written);
    }
  }
}
