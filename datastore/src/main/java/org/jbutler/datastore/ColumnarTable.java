package org.jbutler.datastore;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A table held by columns: names in order, each an array of one type (double[], float[], long[],
 * int[], short[], boolean[] or String[]), all of one length; and a metadata header.
 */
public final class ColumnarTable {

  private static final List<Class<?>> TYPES =
      List.of(
          double[].class,
          float[].class,
          long[].class,
          int[].class,
          short[].class,
          boolean[].class,
          String[].class);

  private final Map<String, Object> columns;
  private final Header metadata;
  private final int rows;

  /**
   * Makes a table.
   *
   * @param columns name to array, in order (copied map, arrays not copied)
   * @param metadata cards
   * @throws IllegalArgumentException for an unsupported column type or unequal lengths
   */
  public ColumnarTable(Map<String, ?> columns, Header metadata) {
    Map<String, Object> copy = new LinkedHashMap<>();
    int n = -1;
    for (Map.Entry<String, ?> e : columns.entrySet()) {
      Object array = Objects.requireNonNull(e.getValue(), e.getKey());
      if (!TYPES.contains(array.getClass())) {
        throw new IllegalArgumentException(
            "Column '" + e.getKey() + "' has unsupported type " + array.getClass().getSimpleName());
      }
      int len = Array.getLength(array);
      if (n >= 0 && len != n) {
        throw new IllegalArgumentException(
            "Column '" + e.getKey() + "' has " + len + " rows, others " + n);
      }
      n = len;
      copy.put(e.getKey(), array);
    }
    this.columns = Collections.unmodifiableMap(copy);
    this.metadata = new Header(metadata);
    this.rows = Math.max(n, 0);
  }

  /** Column names in order. */
  public List<String> names() {
    return new ArrayList<>(columns.keySet());
  }

  /** A column's array. */
  public Object column(String name) {
    Object c = columns.get(name);
    if (c == null) {
      throw new IllegalArgumentException(
          "No column '" + name + "'; columns are " + String.join(", ", columns.keySet()));
    }
    return c;
  }

  /** Rows. */
  public int rowCount() {
    return rows;
  }

  /** The metadata. */
  public Header metadata() {
    return metadata;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof ColumnarTable t) || !t.columns.keySet().equals(columns.keySet())) {
      return false;
    }
    for (String n : columns.keySet()) {
      if (!Arrays.deepEquals(new Object[] {columns.get(n)}, new Object[] {t.columns.get(n)})) {
        return false;
      }
    }
    return t.metadata.equals(metadata);
  }

  @Override
  public int hashCode() {
    return columns.keySet().hashCode();
  }

  @Override
  public String toString() {
    return "ColumnarTable" + columns.keySet() + "[" + rows + " rows]";
  }
}
