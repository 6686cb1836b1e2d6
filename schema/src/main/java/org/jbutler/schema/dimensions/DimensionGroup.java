package org.jbutler.schema.dimensions;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A set of dimensions closed over {@code requires} and {@code implies}, in canonical order.
 *
 * <p>A dimension in the group is <em>implied</em> when another dimension of the group implies it
 * (so {@code band} is implied in {@code {instrument, physical_filter, band}}) and <em>required</em>
 * otherwise; a data ID must give every required value and may give the implied ones. Groups are
 * interned per universe: equal groups are usually the same object, and equality is cheap either
 * way.
 */
public final class DimensionGroup {

  private final DimensionUniverse universe;
  private final BitSet bits;
  private final List<String> names;
  private final List<String> required;
  private final List<String> implied;
  private final List<String> dataIdKeys;
  private final Map<String, Integer> dataIdIndex;
  private List<String> elements;
  private final int hash;
  private final java.util.concurrent.ConcurrentHashMap<DimensionGroup, int[]> projections =
      new java.util.concurrent.ConcurrentHashMap<>();

  DimensionGroup(DimensionUniverse universe, BitSet bits) {
    this.universe = universe;
    this.bits = bits;
    List<DimensionElement> all = universe.elements();
    List<String> n = new ArrayList<>();
    for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
      n.add(all.get(i).name());
    }
    this.names = List.copyOf(n);
    Set<String> impliedByOthers = new java.util.HashSet<>();
    for (String name : names) {
      impliedByOthers.addAll(universe.element(name).implied());
    }
    this.required = names.stream().filter(x -> !impliedByOthers.contains(x)).toList();
    this.implied = names.stream().filter(impliedByOthers::contains).toList();
    List<String> keys = new ArrayList<>(required);
    keys.addAll(implied);
    this.dataIdKeys = List.copyOf(keys);
    Map<String, Integer> index = new HashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      index.put(keys.get(i), i);
    }
    this.dataIdIndex = Map.copyOf(index);
    this.hash = bits.hashCode();
  }

  /**
   * For each data ID key of {@code other}, its index among this group's data ID keys, or -1
   * (cached; used to take subsets of data IDs without maps).
   */
  int[] projectionTo(DimensionGroup other) {
    return projections.computeIfAbsent(
        other,
        o -> {
          int[] p = new int[o.dataIdKeys.size()];
          for (int i = 0; i < p.length; i++) {
            p[i] = dataIdIndex.getOrDefault(o.dataIdKeys.get(i), -1);
          }
          return p;
        });
  }

  /** Returns the universe the dimensions belong to. */
  public DimensionUniverse universe() {
    return universe;
  }

  /** Returns all dimension names in canonical order. */
  public List<String> names() {
    return names;
  }

  /** Returns the dimensions not implied by others in the group, in canonical order. */
  public List<String> required() {
    return required;
  }

  /** Returns the dimensions implied by others in the group, in canonical order. */
  public List<String> implied() {
    return implied;
  }

  /** Returns the governor dimensions in the group. */
  public List<String> governors() {
    return names.stream().filter(n -> universe.element(n).isGovernor()).toList();
  }

  /** Returns the number of dimensions. */
  public int size() {
    return names.size();
  }

  /** Returns whether the group has no dimensions. */
  public boolean isEmpty() {
    return names.isEmpty();
  }

  /** Returns whether the named dimension is in the group. */
  public boolean contains(String dimension) {
    Integer i = dataIdIndex.get(dimension);
    return i != null;
  }

  /**
   * Returns every element whose required dimensions are all in the group: the dimensions themselves
   * and combinations such as {@code visit_detector_region}, in canonical order.
   */
  public List<String> elements() {
    List<String> e = elements;
    if (e == null) {
      List<String> out = new ArrayList<>();
      for (DimensionElement el : universe.elements()) {
        if (el.required().stream().allMatch(this::contains) && !el.required().isEmpty()) {
          out.add(el.name());
        }
      }
      e = List.copyOf(out);
      elements = e;
    }
    return e;
  }

  /** Returns the spatial families of the group's elements. */
  public Set<String> spatialFamilies() {
    Set<String> out = new TreeSet<>();
    for (String e : elements()) {
      universe.element(e).spatialFamily().ifPresent(out::add);
    }
    return out;
  }

  /** Returns the temporal families of the group's elements. */
  public Set<String> temporalFamilies() {
    Set<String> out = new TreeSet<>();
    for (String e : elements()) {
      universe.element(e).temporalFamily().ifPresent(out::add);
    }
    return out;
  }

  /** Returns the required names followed by the implied names: the order of a data ID's values. */
  public List<String> dataIdKeys() {
    return dataIdKeys;
  }

  /** Returns the position of a dimension in {@link #dataIdKeys()}, or -1. */
  int dataIdIndex(String dimension) {
    Integer i = dataIdIndex.get(dimension);
    return i == null ? -1 : i;
  }

  /** Returns the group of dimensions in either group (closed again). */
  public DimensionGroup union(DimensionGroup other) {
    checkUniverse(other);
    BitSet b = (BitSet) bits.clone();
    b.or(other.bits);
    return universe.groupOf(b);
  }

  /** Returns the group of dimensions in both groups, closed again. */
  public DimensionGroup intersection(DimensionGroup other) {
    checkUniverse(other);
    BitSet b = (BitSet) bits.clone();
    b.and(other.bits);
    // The intersection of two closed sets is closed: a dependency of a member of both is in both.
    return universe.groupOf(b);
  }

  /** Returns whether every dimension here is also in {@code other}. */
  public boolean isSubsetOf(DimensionGroup other) {
    checkUniverse(other);
    BitSet b = (BitSet) bits.clone();
    b.andNot(other.bits);
    return b.isEmpty();
  }

  private void checkUniverse(DimensionGroup other) {
    Objects.requireNonNull(other, "other");
    if (other.universe != universe) {
      throw new IllegalArgumentException("Dimension groups belong to different universes");
    }
  }

  @Override
  public boolean equals(Object o) {
    // Groups are interned by their universe (DimensionUniverse.groupOf), so identity is equality.
    return this == o;
  }

  @Override
  public int hashCode() {
    return hash;
  }

  /** Returns the names as daf_butler prints them: {@code {instrument, detector}}. */
  @Override
  public String toString() {
    return "{" + String.join(", ", names) + "}";
  }
}
