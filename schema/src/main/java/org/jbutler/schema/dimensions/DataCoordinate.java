package org.jbutler.schema.dimensions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jbutler.schema.Values;
import org.jbutler.schema.exceptions.InvalidDataIdException;

/**
 * An immutable data ID: values for the dimensions of a {@link DimensionGroup}.
 *
 * <p>A data coordinate always has every <em>required</em> value. It may also have every implied
 * value ({@link #hasFull()}) and the dimension records of every element of the group ({@link
 * #hasRecords()}). Equality, hashing and ordering use the group and the required values only, as in
 * daf_butler. Values are {@link Long} for integer keys and {@link String} for string keys.
 */
public final class DataCoordinate implements Comparable<DataCoordinate> {

  private final DimensionGroup group;
  private final Object[] values; // required values, then implied values if full
  private final Map<String, DimensionRecord> records; // null unless expanded

  private DataCoordinate(
      DimensionGroup group, Object[] values, Map<String, DimensionRecord> records) {
    this.group = group;
    this.values = values;
    this.records = records;
  }

  /** Returns the data ID with no dimensions. */
  public static DataCoordinate empty(DimensionUniverse universe) {
    return new DataCoordinate(universe.emptyGroup(), new Object[0], Map.of());
  }

  /**
   * Builds a data ID from a mapping, keeping only the group's dimensions.
   *
   * <p>Keys are interpreted as in {@link UnresolvedDataId#parse}; values of dimensions outside the
   * group are ignored (as daf_butler does, so a larger data ID can identify a smaller dataset). If
   * every implied value is given the result {@link #hasFull()}.
   *
   * @throws InvalidDataIdException for unknown keys, ill-typed values, a missing required value, or
   *     keys that need a registry lookup (use the registry's {@code expandDataId} for those)
   */
  public static DataCoordinate standardize(Map<String, ?> input, DimensionGroup group) {
    Objects.requireNonNull(group, "group");
    DataCoordinate fast = standardizeSimple(input, group);
    if (fast != null) {
      return fast;
    }
    UnresolvedDataId parsed = UnresolvedDataId.parse(group.universe(), input);
    if (!parsed.isResolved()) {
      throw new InvalidDataIdException(
          "Data ID "
              + input
              + " identifies dimensions through record fields "
              + parsed.recordConstraints().keySet()
              + "; those need a registry lookup: expand the data ID through the registry.");
    }
    return fromValues(parsed.values(), group, input);
  }

  /**
   * The common case without allocation beyond the result: every key is a dimension of the group and
   * every required value is present. Returns null to fall back to the general path, which also
   * produces the error messages.
   */
  private static DataCoordinate standardizeSimple(Map<String, ?> input, DimensionGroup group) {
    List<String> keys = group.dataIdKeys();
    int nRequired = group.required().size();
    if (input.size() != nRequired && input.size() != keys.size()) {
      return null;
    }
    Object[] v = new Object[input.size()];
    DimensionUniverse universe = group.universe();
    for (int i = 0; i < v.length; i++) {
      Object raw = input.get(keys.get(i));
      if (raw == null) {
        return null;
      }
      try {
        v[i] = universe.element(keys.get(i)).primaryKey().conform(raw);
      } catch (IllegalArgumentException e) {
        return null;
      }
    }
    return new DataCoordinate(group, v, null);
  }

  /**
   * Builds a data ID from a mapping whose keys determine the dimensions.
   *
   * @throws InvalidDataIdException as for {@link #standardize(Map, DimensionGroup)}
   */
  public static DataCoordinate standardize(Map<String, ?> input, DimensionUniverse universe) {
    UnresolvedDataId parsed = UnresolvedDataId.parse(universe, input);
    DimensionGroup group = universe.group(parsed.values().keySet());
    return standardize(input, group);
  }

  /**
   * Builds a data ID from already-parsed primary-key values.
   *
   * @throws InvalidDataIdException if a required value is missing
   */
  static DataCoordinate fromValues(Map<String, Object> given, DimensionGroup group, Object input) {
    List<String> keys = group.dataIdKeys();
    int nRequired = group.required().size();
    Object[] v = new Object[keys.size()];
    List<String> missing = null;
    int nImplied = 0;
    for (int i = 0; i < keys.size(); i++) {
      Object x = given.get(keys.get(i));
      if (x == null) {
        if (i < nRequired) {
          if (missing == null) {
            missing = new ArrayList<>();
          }
          missing.add(keys.get(i));
        }
      } else {
        v[i] = x;
        if (i >= nRequired) {
          nImplied++;
        }
      }
    }
    if (missing != null) {
      throw new InvalidDataIdException(
          "Data ID "
              + input
              + " lacks required dimension"
              + (missing.size() > 1 ? "s " : " ")
              + String.join(", ", missing)
              + " for dimensions "
              + group
              + ".");
    }
    if (nImplied < keys.size() - nRequired) {
      v = Arrays.copyOf(v, nRequired);
    }
    return new DataCoordinate(group, v, null);
  }

  /**
   * Builds a data ID from required values in {@link DimensionGroup#required()} order, conforming
   * each to its key type. This is the fast path for code that already knows the order.
   *
   * @throws InvalidDataIdException if the count or a type is wrong
   */
  public static DataCoordinate ofRequired(DimensionGroup group, Object... requiredValues) {
    return ofValues(group, group.required().size(), requiredValues);
  }

  /**
   * Builds a full data ID from values in {@link DimensionGroup#dataIdKeys()} order.
   *
   * @throws InvalidDataIdException if the count or a type is wrong
   */
  public static DataCoordinate ofFull(DimensionGroup group, Object... values) {
    return ofValues(group, group.dataIdKeys().size(), values);
  }

  private static DataCoordinate ofValues(DimensionGroup group, int expected, Object[] values) {
    Objects.requireNonNull(group, "group");
    if (values.length != expected) {
      throw new InvalidDataIdException(
          "Expected " + expected + " values for " + group + ", got " + values.length + ".");
    }
    List<String> keys = group.dataIdKeys();
    Object[] v = new Object[expected];
    for (int i = 0; i < expected; i++) {
      DimensionElement d = group.universe().element(keys.get(i));
      if (values[i] == null) {
        throw new InvalidDataIdException("No value for '" + d.name() + "' in data ID.");
      }
      try {
        v[i] = d.primaryKey().conform(values[i]);
      } catch (IllegalArgumentException e) {
        throw new InvalidDataIdException(
            "Bad data ID value for '" + d.name() + "': " + e.getMessage() + ".");
      }
    }
    return new DataCoordinate(group, v, null);
  }

  /** Returns the dimensions of this data ID. */
  public DimensionGroup dimensions() {
    return group;
  }

  /** Returns the universe. */
  public DimensionUniverse universe() {
    return group.universe();
  }

  /** Returns whether implied values are present as well as required ones. */
  public boolean hasFull() {
    return values.length == group.dataIdKeys().size();
  }

  /** Returns whether the records of every element of the group are attached. */
  public boolean hasRecords() {
    return records != null;
  }

  /**
   * Returns the value of a dimension.
   *
   * @throws InvalidDataIdException if the dimension is not in this data ID, or is implied and the
   *     data ID is not full
   */
  public Object value(String dimension) {
    int i = group.dataIdIndex(dimension);
    if (i < 0 || i >= values.length) {
      throw new InvalidDataIdException(
          "Data ID "
              + this
              + " has no value for '"
              + dimension
              + "'"
              + (i < 0 ? "." : "; it is implied, and this data ID has only required values."));
    }
    return values[i];
  }

  /** Returns the value of a dimension, or null if this data ID has none. */
  public Object valueOrNull(String dimension) {
    int i = group.dataIdIndex(dimension);
    return i < 0 || i >= values.length ? null : values[i];
  }

  /** Returns the value of a dimension if present. */
  public Optional<Object> findValue(String dimension) {
    int i = group.dataIdIndex(dimension);
    return i < 0 || i >= values.length ? Optional.empty() : Optional.of(values[i]);
  }

  /** Returns the required values keyed by dimension, in canonical order. */
  public Map<String, Object> required() {
    return asMap(group.required().size());
  }

  /**
   * Returns all values (required then implied), keyed by dimension.
   *
   * @throws IllegalStateException if the data ID is not full
   */
  public Map<String, Object> full() {
    if (!hasFull()) {
      throw new IllegalStateException("Data ID " + this + " has no implied values");
    }
    return asMap(values.length);
  }

  /** Returns the values present (required, plus implied if full), keyed by dimension. */
  public Map<String, Object> mapping() {
    return asMap(values.length);
  }

  private Map<String, Object> asMap(int n) {
    Map<String, Object> m = new LinkedHashMap<>();
    List<String> keys = group.dataIdKeys();
    for (int i = 0; i < n; i++) {
      m.put(keys.get(i), values[i]);
    }
    return Collections.unmodifiableMap(m);
  }

  /** Returns the required values in {@link DimensionGroup#required()} order. */
  public List<Object> requiredValues() {
    return List.of(Arrays.copyOf(values, group.required().size()));
  }

  /** Returns the record of an element of the group, if records are attached. */
  public Optional<DimensionRecord> record(String element) {
    return records == null ? Optional.empty() : Optional.ofNullable(records.get(element));
  }

  /** Returns the attached records by element name (empty if none are attached). */
  public Map<String, DimensionRecord> records() {
    return records == null ? Map.of() : records;
  }

  /**
   * Returns this data ID restricted to a subset of its dimensions.
   *
   * @throws InvalidDataIdException if {@code subset} has a dimension whose value is not known
   */
  public DataCoordinate subset(DimensionGroup subset) {
    if (subset.equals(group)) {
      return this;
    }
    if (subset.universe() != group.universe()) {
      throw new InvalidDataIdException(
          "Cannot take " + subset + " from data ID " + this + ": another dimension universe.");
    }
    int[] from = group.projectionTo(subset);
    int nRequired = subset.required().size();
    Object[] v = new Object[from.length];
    int n = from.length;
    for (int i = 0; i < from.length; i++) {
      int j = from[i];
      if (j < 0 || j >= values.length) {
        if (i < nRequired) {
          throw new InvalidDataIdException(
              "Cannot take "
                  + subset
                  + " from data ID "
                  + this
                  + ": no value for '"
                  + subset.dataIdKeys().get(i)
                  + "'.");
        }
        n = nRequired; // an implied value is missing: required values only
        break;
      }
      v[i] = values[j];
    }
    DataCoordinate result =
        new DataCoordinate(subset, n == v.length ? v : Arrays.copyOf(v, n), null);
    if (records != null) {
      Map<String, DimensionRecord> kept = new LinkedHashMap<>();
      for (String e : subset.elements()) {
        DimensionRecord r = records.get(e);
        if (r != null) {
          kept.put(e, r);
        }
      }
      return result.fullFromRecords(kept);
    }
    return result;
  }

  /**
   * Returns this data ID with records attached, filling implied values from them.
   *
   * @param elementRecords a record for each element of the group that has records
   * @throws InvalidDataIdException if a record's key values disagree with this data ID
   */
  public DataCoordinate expanded(Map<String, DimensionRecord> elementRecords) {
    Objects.requireNonNull(elementRecords, "elementRecords");
    Map<String, Object> known = new LinkedHashMap<>(mapping());
    for (DimensionRecord r : elementRecords.values()) {
      for (Map.Entry<String, Object> e : r.dataId().mapping().entrySet()) {
        if (!group.contains(e.getKey())) {
          continue;
        }
        Object previous = known.putIfAbsent(e.getKey(), e.getValue());
        if (previous != null && !previous.equals(e.getValue())) {
          throw new InvalidDataIdException(
              "Record "
                  + r
                  + " gives "
                  + e.getKey()
                  + "="
                  + Values.quote(e.getValue())
                  + " but data ID "
                  + this
                  + " has "
                  + Values.quote(previous)
                  + ".");
        }
      }
    }
    return fromValues(known, group, this).fullFromRecords(elementRecords);
  }

  private DataCoordinate fullFromRecords(Map<String, DimensionRecord> elementRecords) {
    return new DataCoordinate(
        group, values, Collections.unmodifiableMap(new LinkedHashMap<>(elementRecords)));
  }

  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof DataCoordinate other) || !other.group.equals(group)) {
      return false;
    }
    int n = group.required().size();
    return Arrays.equals(values, 0, n, other.values, 0, n);
  }

  @Override
  public int hashCode() {
    int h = group.hashCode();
    int n = group.required().size();
    // A large odd multiplier: with 31, small integers such as (detector, exposure) collide in
    // thousands (31 * d + e), and hash maps of data IDs degrade into trees.
    for (int i = 0; i < n; i++) {
      h = h * 0x9E3779B1 + values[i].hashCode();
    }
    return h ^ (h >>> 16);
  }

  /** Orders by dimensions (canonical order), then by required values. */
  @Override
  public int compareTo(DataCoordinate other) {
    if (!group.equals(other.group)) {
      List<String> a = group.names();
      List<String> b = other.group.names();
      for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
        int c =
            Integer.compare(
                universe().element(a.get(i)).index(), universe().element(b.get(i)).index());
        if (c != 0) {
          return c;
        }
      }
      return Integer.compare(a.size(), b.size());
    }
    int n = group.required().size();
    for (int i = 0; i < n; i++) {
      int c = Values.compare(values[i], other.values[i]);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  /** Returns daf_butler's form: {@code {instrument: 'HSC', detector: 50}}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("{");
    List<String> keys = group.dataIdKeys();
    for (int i = 0; i < values.length; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(keys.get(i)).append(": ").append(Values.quote(values[i]));
    }
    return sb.append('}').toString();
  }
}
