package org.jbutler.pipetask.graph;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map that keeps insertion order in two arrays: a quantum's few connections cost two
 * small arrays instead of a linked hash table and its views (graphs hold 100,000s of them).
 */
final class SmallMap<V> extends AbstractMap<String, V> {

  private final String[] keys;
  private final Object[] values;

  private SmallMap(String[] keys, Object[] values) {
    this.keys = keys;
    this.values = values;
  }

  /** Copies a map, keeping its order, with each value passed through {@code copy}. */
  static <V> SmallMap<V> copyOf(Map<String, V> m, java.util.function.UnaryOperator<V> copy) {
    String[] k = new String[m.size()];
    Object[] v = new Object[m.size()];
    int i = 0;
    for (Map.Entry<String, V> e : m.entrySet()) {
      k[i] = e.getKey();
      v[i] = copy.apply(e.getValue());
      i++;
    }
    return new SmallMap<>(k, v);
  }

  @Override
  public int size() {
    return keys.length;
  }

  @Override
  public boolean containsKey(Object key) {
    return indexOf(key) >= 0;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    int i = indexOf(key);
    return i < 0 ? null : (V) values[i];
  }

  private int indexOf(Object key) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public Set<Map.Entry<String, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return keys.length;
      }

      @Override
      public Iterator<Map.Entry<String, V>> iterator() {
        return new Iterator<>() {
          private int i;

          @Override
          public boolean hasNext() {
            return i < keys.length;
          }

          @Override
          @SuppressWarnings("unchecked")
          public Map.Entry<String, V> next() {
            if (i >= keys.length) {
              throw new NoSuchElementException();
            }
            Map.Entry<String, V> e = new SimpleImmutableEntry<>(keys[i], (V) values[i]);
            i++;
            return e;
          }
        };
      }
    };
  }
}
