package org.jbutler.pipetask.graph;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jbutler.registry.Registry;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionElement;
import org.jbutler.schema.dimensions.DimensionRecord;

/**
 * Attaches the dimension records a quantum graph carries to its data IDs (file templates use record
 * fields such as {@code detector.full_name}), without a registry query per data ID; the registry is
 * asked only for what the graph lacks. Thread-safe.
 */
public final class GraphRecords {

  private final Map<String, Map<List<Object>, DimensionRecord>> records = new HashMap<>();
  private final Map<DataCoordinate, DataCoordinate> expanded = new ConcurrentHashMap<>();
  private final Registry registry;

  /** Indexes a graph's records; {@code registry} fills gaps (may be null). */
  public GraphRecords(QuantumGraph graph, Registry registry) {
    this.registry = registry;
    for (DimensionRecord r : graph.records()) {
      DimensionElement e = r.element();
      records
          .computeIfAbsent(e.name(), k -> new HashMap<>())
          .put(QuantumGraphBuilder.keyOf(r.dataId(), e), r);
    }
  }

  /** A data ID with its records attached. */
  public DataCoordinate expand(DataCoordinate d) {
    if (d.hasRecords()) {
      return d;
    }
    return expanded.computeIfAbsent(
        d,
        k -> {
          try {
            Map<String, DimensionRecord> rs = recordsFor(k);
            Map<String, Object> values = new HashMap<>(k.mapping());
            for (DimensionRecord r : rs.values()) {
              for (String implied : r.element().implied()) {
                r.value(implied).ifPresent(v -> values.putIfAbsent(implied, v));
              }
            }
            return DataCoordinate.standardize(values, k.dimensions()).expanded(rs);
          } catch (RuntimeException ex) {
            if (registry == null) {
              throw ex;
            }
            return registry.expandDataId(k.required(), k.dimensions());
          }
        });
  }

  /** A ref whose data ID has its records attached. */
  public DatasetRef expand(DatasetRef r) {
    return new DatasetRef(r.datasetType(), expand(r.dataId()), r.run(), r.id());
  }

  /**
   * The records of a data ID's elements, following implied values until nothing new is found: an
   * exposure's record gives its physical_filter, whose record gives its band.
   */
  private Map<String, DimensionRecord> recordsFor(DataCoordinate d) {
    Map<String, Object> known = new HashMap<>(d.mapping());
    Map<String, DimensionRecord> rs = new LinkedHashMap<>();
    boolean more = true;
    while (more) {
      more = false;
      for (String e : d.dimensions().elements()) {
        Map<List<Object>, DimensionRecord> byKey = records.get(e);
        if (byKey == null || rs.containsKey(e)) {
          continue;
        }
        DimensionElement element = d.universe().element(e);
        List<Object> key = new java.util.ArrayList<>(element.required().size());
        for (String r : element.required()) {
          key.add(known.get(r));
        }
        DimensionRecord r = key.contains(null) ? null : byKey.get(key);
        if (r != null) {
          rs.put(e, r);
          for (Map.Entry<String, Object> v : r.dataId().mapping().entrySet()) {
            if (d.dimensions().contains(v.getKey())) {
              known.putIfAbsent(v.getKey(), v.getValue());
            }
          }
          for (String implied : element.implied()) {
            if (d.dimensions().contains(implied)) {
              r.value(implied).ifPresent(v -> known.putIfAbsent(implied, v));
            }
          }
          more = true;
        }
      }
    }
    return rs;
  }
}
