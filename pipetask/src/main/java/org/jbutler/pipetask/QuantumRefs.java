package org.jbutler.pipetask;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbutler.schema.DatasetRef;

/**
 * One side of a quantum (its inputs or its outputs): the datasets of each connection, by connection
 * name (pipe_base's quantized connections).
 */
public final class QuantumRefs {

  private final Map<String, Connection> connections;
  private final Map<String, List<DatasetRef>> refs;

  /**
   * @param connections the connections, by name
   * @param refs the datasets of each connection (absent: none)
   */
  public QuantumRefs(Map<String, Connection> connections, Map<String, List<DatasetRef>> refs) {
    this.connections = Collections.unmodifiableMap(new LinkedHashMap<>(connections));
    Map<String, List<DatasetRef>> copy = new LinkedHashMap<>();
    refs.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    this.refs = Collections.unmodifiableMap(copy);
  }

  /** The connections, by name. */
  public Map<String, Connection> connections() {
    return connections;
  }

  /** The datasets of every connection. */
  public Map<String, List<DatasetRef>> all() {
    return refs;
  }

  /** The datasets of one connection (empty if none). */
  public List<DatasetRef> refs(String connection) {
    return refs.getOrDefault(connection, List.of());
  }

  /**
   * The one dataset of a single connection.
   *
   * @throws IllegalArgumentException if the connection has none or several
   */
  public DatasetRef ref(String connection) {
    List<DatasetRef> r = refs(connection);
    if (r.size() != 1) {
      throw new IllegalArgumentException(
          "Connection " + connection + " has " + r.size() + " datasets, not one.");
    }
    return r.get(0);
  }
}
