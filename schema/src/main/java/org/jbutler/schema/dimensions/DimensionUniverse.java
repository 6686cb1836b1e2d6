package org.jbutler.schema.dimensions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jbutler.schema.Values;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.jbutler.schema.exceptions.UnknownDimensionException;

/**
 * All dimensions and dimension elements of a repository, loaded from a daf_butler-format {@code
 * dimensions.yaml}.
 *
 * <p>Elements are kept in a canonical order in which every element follows the elements it requires
 * or implies (ties keep the order of the config file; skypix dimensions come last). That order is
 * used everywhere names are listed, so groups, data IDs and exports are reproducible.
 *
 * <p>A universe is immutable and safe to share between threads.
 */
public final class DimensionUniverse {

  private static final String DEFAULT_RESOURCE = "/org/jbutler/schema/dimensions.yaml";
  private static volatile DimensionUniverse defaultUniverse;

  private final String configText;
  private final int version;
  private final String namespace;
  private final String commonSkyPix;
  private final Map<String, Integer> skyPixSystems;
  private final Map<String, List<String>> spatialFamilies;
  private final Map<String, List<String>> temporalFamilies;
  private final List<DimensionElement> elements;
  private final Map<String, DimensionElement> byName;
  private final Map<BitSet, DimensionGroup> groups = new ConcurrentHashMap<>();
  private final DimensionGroup empty;

  DimensionUniverse(
      String configText,
      int version,
      String namespace,
      String commonSkyPix,
      Map<String, Integer> skyPixSystems,
      Map<String, List<String>> spatialFamilies,
      Map<String, List<String>> temporalFamilies,
      List<DimensionElement> sortedElements,
      Map<String, List<String>> requiredClosures,
      Map<String, List<String>> impliedSorted) {
    this.configText = configText;
    this.version = version;
    this.namespace = namespace;
    this.commonSkyPix = commonSkyPix;
    this.skyPixSystems = Map.copyOf(skyPixSystems);
    this.spatialFamilies = copyFamilies(spatialFamilies);
    this.temporalFamilies = copyFamilies(temporalFamilies);
    this.elements = List.copyOf(sortedElements);
    Map<String, DimensionElement> map = new LinkedHashMap<>();
    for (DimensionElement e : elements) {
      map.put(e.name(), e);
    }
    this.byName = java.util.Collections.unmodifiableMap(map);
    Map<String, String> spatialOf = familyIndex(spatialFamilies);
    Map<String, String> temporalOf = familyIndex(temporalFamilies);
    for (int i = 0; i < elements.size(); i++) {
      DimensionElement e = elements.get(i);
      String spatial = e.isSkyPix() ? e.skyPixSystem().orElseThrow() : spatialOf.get(e.name());
      e.attach(
          this,
          i,
          requiredClosures.get(e.name()),
          impliedSorted.get(e.name()),
          spatial,
          temporalOf.get(e.name()));
    }
    this.empty = new DimensionGroup(this, new BitSet());
    for (DimensionElement e : elements) {
      e.finish();
    }
  }

  private static Map<String, List<String>> copyFamilies(Map<String, List<String>> families) {
    Map<String, List<String>> copy = new LinkedHashMap<>();
    families.forEach((k, v) -> copy.put(k, List.copyOf(v)));
    return java.util.Collections.unmodifiableMap(copy);
  }

  private static Map<String, String> familyIndex(Map<String, List<String>> families) {
    Map<String, String> index = new HashMap<>();
    families.forEach((family, members) -> members.forEach(m -> index.put(m, family)));
    return index;
  }

  /**
   * Returns the universe shipped with jbutler, equivalent to daf_butler's universe version 8.
   *
   * @throws InvalidConfigException if the shipped resource is broken (a packaging bug)
   */
  public static DimensionUniverse defaultUniverse() {
    DimensionUniverse u = defaultUniverse;
    if (u == null) {
      synchronized (DimensionUniverse.class) {
        u = defaultUniverse;
        if (u == null) {
          try (InputStream in = DimensionUniverse.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
              throw new InvalidConfigException(
                  "The default dimension config dimensions.yaml is not on the classpath");
            }
            u = intern(DimensionConfigLoader.load(in, "default dimensions.yaml"));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          defaultUniverse = u;
        }
      }
    }
    return u;
  }

  /**
   * Loads a universe from a {@code dimensions.yaml} file in daf_butler's format.
   *
   * @param path the YAML file
   * @return the universe
   * @throws InvalidConfigException if the config is malformed, naming the element and problem
   * @throws UncheckedIOException if the file cannot be read
   */
  public static DimensionUniverse load(Path path) {
    Objects.requireNonNull(path, "path");
    try (InputStream in = Files.newInputStream(path)) {
      return intern(DimensionConfigLoader.load(in, path.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read dimension config " + path, e);
    }
  }

  /**
   * Loads a universe from YAML text in daf_butler's format.
   *
   * @param yaml the config text
   * @return the universe
   * @throws InvalidConfigException if the config is malformed, naming the element and problem
   */
  public static DimensionUniverse fromYaml(String yaml) {
    Objects.requireNonNull(yaml, "yaml");
    DimensionUniverse known = INTERNED.get(yaml);
    return known != null ? known : intern(DimensionConfigLoader.load(yaml, "YAML text"));
  }

  /**
   * Universes loaded from the same config text are one instance, so groups, data IDs and dataset
   * types from two registries of the same universe compare equal (equality of groups is by universe
   * identity, which keeps it cheap).
   */
  private static final java.util.concurrent.ConcurrentHashMap<String, DimensionUniverse> INTERNED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static DimensionUniverse intern(DimensionUniverse u) {
    DimensionUniverse previous = INTERNED.putIfAbsent(u.configText(), u);
    return previous != null ? previous : u;
  }

  /**
   * Returns the YAML text this universe was loaded from; {@link #fromYaml} of it gives an equal
   * universe (a registry records it so a repository always reopens with its own universe).
   */
  public String configText() {
    return configText;
  }

  /** Returns the config version number (8 for the default universe). */
  public int version() {
    return version;
  }

  /** Returns the config namespace ({@code daf_butler} for the default universe). */
  public String namespace() {
    return namespace;
  }

  /** Returns the skypix dimension used for spatial joins, e.g. {@code htm7}. */
  public String commonSkyPix() {
    return commonSkyPix;
  }

  /** Returns each skypix system's maximum level, e.g. {@code htm -> 24}. */
  public Map<String, Integer> skyPixSystems() {
    return skyPixSystems;
  }

  /** Returns the spatial families, each listing its member elements fine to coarse. */
  public Map<String, List<String>> spatialFamilies() {
    return spatialFamilies;
  }

  /** Returns the temporal families, each listing its member elements fine to coarse. */
  public Map<String, List<String>> temporalFamilies() {
    return temporalFamilies;
  }

  /** Returns every element in canonical order. */
  public List<DimensionElement> elements() {
    return elements;
  }

  /** Returns every dimension (element with keys) in canonical order, skypix ones included. */
  public List<DimensionElement> dimensions() {
    return elements.stream().filter(DimensionElement::isDimension).toList();
  }

  /** Returns the governor dimensions in canonical order. */
  public List<DimensionElement> governors() {
    return elements.stream().filter(DimensionElement::isGovernor).toList();
  }

  /** Returns the element with this name, if there is one. */
  public Optional<DimensionElement> findElement(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * Returns the element with this name.
   *
   * @throws UnknownDimensionException naming the closest known element if there is none
   */
  public DimensionElement element(String name) {
    DimensionElement e = byName.get(Objects.requireNonNull(name, "name"));
    if (e == null) {
      throw new UnknownDimensionException(
          "Unknown dimension element '"
              + name
              + "' in universe "
              + namespace
              + " v"
              + version
              + "."
              + Values.suggestion(name, byName.keySet()));
    }
    return e;
  }

  /**
   * Returns the dimension with this name.
   *
   * @throws UnknownDimensionException if there is no such element, or it is not a dimension
   */
  public DimensionElement dimension(String name) {
    DimensionElement e = element(name);
    if (!e.isDimension()) {
      throw new UnknownDimensionException(
          "'" + name + "' is a dimension combination, not a dimension; it has no data ID key.");
    }
    return e;
  }

  /** Returns the empty group. */
  public DimensionGroup emptyGroup() {
    return empty;
  }

  /**
   * Returns the group of these dimensions and everything they require or imply.
   *
   * @param names dimension names, in any order
   * @throws UnknownDimensionException if a name is not a dimension
   */
  public DimensionGroup group(Collection<String> names) {
    Objects.requireNonNull(names, "names");
    BitSet bits = new BitSet(elements.size());
    List<DimensionElement> todo = new ArrayList<>();
    for (String n : names) {
      todo.add(dimension(n));
    }
    while (!todo.isEmpty()) {
      DimensionElement e = todo.remove(todo.size() - 1);
      if (bits.get(e.index())) {
        continue;
      }
      bits.set(e.index());
      for (String r : e.required()) {
        todo.add(byName.get(r));
      }
      for (String i : e.implied()) {
        todo.add(byName.get(i));
      }
    }
    return groupOf(bits);
  }

  /** Returns the group of these dimensions and everything they require or imply. */
  public DimensionGroup group(String... names) {
    return group(List.of(names));
  }

  /** Interns a closed set of dimension indices. */
  DimensionGroup groupOf(BitSet closedBits) {
    if (closedBits.isEmpty() && empty != null) {
      return empty;
    }
    return groups.computeIfAbsent(closedBits, b -> new DimensionGroup(this, (BitSet) b.clone()));
  }

  /** Returns the names in canonical order; unknown names are an error. */
  List<String> sorted(Set<String> names) {
    Set<String> out = new LinkedHashSet<>();
    for (DimensionElement e : elements) {
      if (names.contains(e.name())) {
        out.add(e.name());
      }
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return "DimensionUniverse(" + namespace + ", version=" + version + ")";
  }
}
