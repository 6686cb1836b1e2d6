package org.jbutler.schema.dimensions;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One element of a {@link DimensionUniverse}: a dimension (an element with keys, such as {@code
 * detector}) or a dimension combination (an element without keys that relates others, such as
 * {@code visit_definition}).
 *
 * <p>Instances are created only by a universe and compare by identity; each belongs to exactly one
 * universe.
 */
public final class DimensionElement {

  /** The record field holding a temporal element's timespan. */
  public static final String TIMESPAN_FIELD = "timespan";

  /** The record field holding a spatial element's region. */
  public static final String REGION_FIELD = "region";

  private final String name;
  private final String doc;
  private final List<ColumnSpec> keys;
  private final List<String> directRequires;
  private final List<String> directImplies;
  private final List<ColumnSpec> metadata;
  private final boolean governor;
  private final boolean alwaysJoin;
  private final String populatedBy;
  private final boolean cached;
  private final String impliedUnionTarget;
  private final String skyPixSystem;
  private final int skyPixLevel;

  // Filled in when the universe is assembled.
  private DimensionUniverse universe;
  private int index;
  private List<String> required;
  private List<String> implied;
  private String spatialFamily;
  private String temporalFamily;
  private Map<String, ColumnSpec> fields;
  private DimensionGroup minimalGroup;

  @SuppressWarnings("checkstyle:ParameterNumber")
  DimensionElement(
      String name,
      String doc,
      List<ColumnSpec> keys,
      List<String> directRequires,
      List<String> directImplies,
      List<ColumnSpec> metadata,
      boolean governor,
      boolean alwaysJoin,
      String populatedBy,
      boolean cached,
      String impliedUnionTarget,
      String skyPixSystem,
      int skyPixLevel) {
    this.name = name;
    this.doc = doc;
    this.keys = List.copyOf(keys);
    this.directRequires = List.copyOf(directRequires);
    this.directImplies = List.copyOf(directImplies);
    this.metadata = List.copyOf(metadata);
    this.governor = governor;
    this.alwaysJoin = alwaysJoin;
    this.populatedBy = populatedBy;
    this.cached = cached;
    this.impliedUnionTarget = impliedUnionTarget;
    this.skyPixSystem = skyPixSystem;
    this.skyPixLevel = skyPixLevel;
  }

  void attach(
      DimensionUniverse universe,
      int index,
      List<String> required,
      List<String> implied,
      String spatialFamily,
      String temporalFamily) {
    this.universe = universe;
    this.index = index;
    this.required = List.copyOf(required);
    this.implied = List.copyOf(implied);
    this.spatialFamily = spatialFamily;
    this.temporalFamily = temporalFamily;
  }

  /** Computes the record fields; needs every element of the universe attached. */
  void finish() {
    Map<String, ColumnSpec> f = new LinkedHashMap<>();
    for (String r : required) {
      if (!r.equals(name)) {
        f.put(r, universe.element(r).keyColumnNamed(r));
      }
    }
    for (ColumnSpec k : keys) {
      f.put(k.name(), k);
    }
    for (String i : implied) {
      f.put(i, universe.element(i).keyColumnNamed(i));
    }
    for (ColumnSpec m : metadata) {
      f.put(m.name(), m);
    }
    this.fields = java.util.Collections.unmodifiableMap(f);
    List<String> names = new ArrayList<>(required);
    names.addAll(implied);
    this.minimalGroup = universe.group(names);
  }

  private ColumnSpec keyColumnNamed(String fieldName) {
    ColumnSpec pk = keys.get(0);
    return new ColumnSpec(fieldName, pk.type(), pk.length(), pk.nbytes(), false, "");
  }

  /** Returns the element's name, e.g. {@code detector}. */
  public String name() {
    return name;
  }

  /** Returns the documentation string from the config (possibly empty). */
  public String doc() {
    return doc;
  }

  /** Returns the universe this element belongs to. */
  public DimensionUniverse universe() {
    return universe;
  }

  /** Returns the element's position in the universe's canonical (dependency-first) order. */
  public int index() {
    return index;
  }

  /** Returns whether this element is a dimension, i.e. has keys and can appear in a data ID. */
  public boolean isDimension() {
    return !keys.isEmpty();
  }

  /** Returns the key columns: the primary key first, then alternate unique keys. */
  public List<ColumnSpec> keys() {
    return keys;
  }

  /**
   * Returns the primary key column ({@code id} or {@code name}).
   *
   * @throws IllegalStateException if this element is not a dimension
   */
  public ColumnSpec primaryKey() {
    if (keys.isEmpty()) {
      throw new IllegalStateException("'" + name + "' is not a dimension and has no primary key");
    }
    return keys.get(0);
  }

  /** Returns the alternate unique keys, such as {@code detector.full_name}. */
  public List<ColumnSpec> alternateKeys() {
    return keys.isEmpty() ? List.of() : keys.subList(1, keys.size());
  }

  /** Returns the element's {@code requires} entries exactly as configured. */
  public List<String> directRequires() {
    return directRequires;
  }

  /** Returns the element's {@code implies} entries exactly as configured. */
  public List<String> directImplies() {
    return directImplies;
  }

  /**
   * Returns the dimensions that identify this element: the transitive closure of {@code requires}
   * plus, for a dimension, itself; in canonical order.
   */
  public List<String> required() {
    return required;
  }

  /** Returns the dimensions this element implies directly, in canonical order. */
  public List<String> implied() {
    return implied;
  }

  /** Returns the metadata columns. */
  public List<ColumnSpec> metadata() {
    return metadata;
  }

  /** Returns whether this is a governor dimension (e.g. {@code instrument}, {@code skymap}). */
  public boolean isGovernor() {
    return governor;
  }

  /** Returns whether this element is joined whenever its required dimensions appear. */
  public boolean alwaysJoin() {
    return alwaysJoin;
  }

  /** Returns the dimension whose records carry this element's records, if any. */
  public Optional<String> populatedBy() {
    return Optional.ofNullable(populatedBy);
  }

  /** Returns whether the registry may cache all records of this element in memory. */
  public boolean isCached() {
    return cached;
  }

  /**
   * Returns the element whose implied column supplies this dimension's values, for dimensions
   * without a table of their own ({@code band} is the union of {@code physical_filter.band}).
   */
  public Optional<String> impliedUnionTarget() {
    return Optional.ofNullable(impliedUnionTarget);
  }

  /** Returns whether this is a sky pixelization dimension such as {@code htm7}. */
  public boolean isSkyPix() {
    return skyPixSystem != null;
  }

  /** Returns the sky pixelization system ({@code htm}, {@code healpix}) of a skypix dimension. */
  public Optional<String> skyPixSystem() {
    return Optional.ofNullable(skyPixSystem);
  }

  /** Returns the level of a skypix dimension, or 0 for other elements. */
  public int skyPixLevel() {
    return skyPixLevel;
  }

  /** Returns whether the registry keeps a table of this element's records. */
  public boolean hasOwnTable() {
    return skyPixSystem == null && impliedUnionTarget == null;
  }

  /** Returns the spatial family this element belongs to, if it has a region. */
  public Optional<String> spatialFamily() {
    return Optional.ofNullable(spatialFamily);
  }

  /** Returns the temporal family this element belongs to, if it has a timespan. */
  public Optional<String> temporalFamily() {
    return Optional.ofNullable(temporalFamily);
  }

  /** Returns whether records of this element carry a timespan. */
  public boolean isTemporal() {
    return temporalFamily != null;
  }

  /** Returns whether records of this element carry a region. */
  public boolean isSpatial() {
    return spatialFamily != null;
  }

  /**
   * Returns the typed record fields other than {@code timespan} and {@code region}, in order:
   * required dimensions (named after the dimension), own keys, implied dimensions, metadata.
   */
  public Map<String, ColumnSpec> fields() {
    return fields;
  }

  /** Returns the smallest group containing this element: its required and implied dimensions. */
  public DimensionGroup minimalGroup() {
    return minimalGroup;
  }

  @Override
  public String toString() {
    return name;
  }
}
