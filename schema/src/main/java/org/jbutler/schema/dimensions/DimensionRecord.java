package org.jbutler.schema.dimensions;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.exceptions.InvalidDimensionRecordException;
import org.jbutler.schema.region.Region;

/**
 * The values of one row of a dimension element: its key values, implied dimension values, metadata,
 * and a timespan or region where the element has one.
 *
 * <p>Fields are named as in daf_butler: required dimensions by the dimension's name ({@code
 * instrument}), the element's own keys by the key name ({@code id}, {@code full_name}), implied
 * dimensions by name ({@code physical_filter}), metadata by column name, then {@code timespan} and
 * {@code region}.
 */
public final class DimensionRecord {

  private final DimensionElement element;
  private final Object[] values; // aligned with element.fields(); null = absent nullable value
  private final Timespan timespan;
  private final Region region;
  private DataCoordinate dataId;

  private DimensionRecord(
      DimensionElement element, Object[] values, Timespan timespan, Region region) {
    this.element = element;
    this.values = values;
    this.timespan = timespan;
    this.region = region;
  }

  /**
   * Builds a record from field values, conforming each to its column type.
   *
   * @param element the element the record belongs to
   * @param fields values by field name; nullable metadata, {@code timespan} and {@code region} may
   *     be left out
   * @throws InvalidDimensionRecordException for an unknown field, a missing key or non-nullable
   *     value, or a value of the wrong type or length
   */
  public static DimensionRecord of(DimensionElement element, Map<String, ?> fields) {
    Objects.requireNonNull(element, "element");
    Objects.requireNonNull(fields, "fields");
    Map<String, ColumnSpec> specs = element.fields();
    Object[] values = new Object[specs.size()];
    Map<String, Integer> positions = positions(element);
    Timespan timespan = null;
    Region region = null;
    for (Map.Entry<String, ?> e : fields.entrySet()) {
      String name = e.getKey();
      Object v = e.getValue();
      if (name.equals(DimensionElement.TIMESPAN_FIELD) && element.isTemporal()) {
        if (v != null && !(v instanceof Timespan)) {
          throw bad(element, name, "a Timespan", v);
        }
        timespan = (Timespan) v;
        continue;
      }
      if (name.equals(DimensionElement.REGION_FIELD) && element.isSpatial()) {
        region = asRegion(element, name, v);
        continue;
      }
      Integer i = positions.get(name);
      if (i == null) {
        throw new InvalidDimensionRecordException(
            "Element '"
                + element.name()
                + "' has no field '"
                + name
                + "'; its fields are "
                + String.join(", ", allFieldNames(element))
                + ".");
      }
      if (v != null) {
        try {
          values[i] = specs.get(name).conform(v);
        } catch (IllegalArgumentException ex) {
          throw new InvalidDimensionRecordException(
              "Bad " + element.name() + " record: " + ex.getMessage() + ".");
        }
      }
    }
    int i = 0;
    for (ColumnSpec spec : specs.values()) {
      if (values[i] == null && !spec.nullable()) {
        throw new InvalidDimensionRecordException(
            "A "
                + element.name()
                + " record needs a value for '"
                + spec.name()
                + "' (given: "
                + fields.keySet()
                + ").");
      }
      i++;
    }
    return new DimensionRecord(element, values, timespan, region);
  }

  private static InvalidDimensionRecordException bad(
      DimensionElement element, String field, String expected, Object v) {
    return new InvalidDimensionRecordException(
        "Field '"
            + field
            + "' of a "
            + element.name()
            + " record must be "
            + expected
            + ", not "
            + v);
  }

  private static final Map<DimensionElement, Map<String, Integer>> POSITIONS =
      Collections.synchronizedMap(new java.util.WeakHashMap<>());

  private static Map<String, Integer> positions(DimensionElement element) {
    return POSITIONS.computeIfAbsent(
        element,
        e -> {
          Map<String, Integer> p = new HashMap<>();
          int i = 0;
          for (String f : e.fields().keySet()) {
            p.put(f, i++);
          }
          return p;
        });
  }

  private static List<String> allFieldNames(DimensionElement element) {
    List<String> names = new java.util.ArrayList<>(element.fields().keySet());
    if (element.isTemporal()) {
      names.add(DimensionElement.TIMESPAN_FIELD);
    }
    if (element.isSpatial()) {
      names.add(DimensionElement.REGION_FIELD);
    }
    return names;
  }

  /** Returns the element this record belongs to. */
  public DimensionElement element() {
    return element;
  }

  /**
   * Returns a field's value, or empty if it is an absent nullable value.
   *
   * @throws InvalidDimensionRecordException if the element has no such field
   */
  public Optional<Object> value(String field) {
    if (field.equals(DimensionElement.TIMESPAN_FIELD) && element.isTemporal()) {
      return Optional.ofNullable(timespan);
    }
    if (field.equals(DimensionElement.REGION_FIELD) && element.isSpatial()) {
      return Optional.ofNullable(region);
    }
    Integer i = positions(element).get(field);
    if (i == null) {
      throw new InvalidDimensionRecordException(
          "Element '" + element.name() + "' has no field '" + field + "'.");
    }
    return Optional.ofNullable(values[i]);
  }

  /** Returns the timespan of a temporal element's record, if set. */
  public Optional<Timespan> timespan() {
    return Optional.ofNullable(timespan);
  }

  /**
   * A region value: a region, the old opaque form (its base64 is decoded), or null.
   *
   * @throws InvalidDimensionRecordException for anything else or bytes that are not a region
   */
  @SuppressWarnings("deprecation")
  private static Region asRegion(DimensionElement element, String name, Object v) {
    if (v == null || v instanceof Region) {
      return (Region) v;
    }
    if (v instanceof org.jbutler.schema.Region old) {
      try {
        return Region.decodeBase64(old.encoded());
      } catch (IllegalArgumentException e) {
        throw new InvalidDimensionRecordException(
            "Bad " + element.name() + " record: its region does not decode: " + e.getMessage());
      }
    }
    throw bad(element, name, "a Region", v);
  }

  /** Returns the region of a spatial element's record, if set. */
  public Optional<Region> region() {
    return Optional.ofNullable(region);
  }

  /** Returns the fields that have values, in field order. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    int i = 0;
    for (String f : element.fields().keySet()) {
      if (values[i] != null) {
        m.put(f, values[i]);
      }
      i++;
    }
    if (timespan != null) {
      m.put(DimensionElement.TIMESPAN_FIELD, timespan);
    }
    if (region != null) {
      m.put(DimensionElement.REGION_FIELD, region);
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * Returns the data ID this record identifies, full: the element's required and implied dimension
   * values.
   */
  public DataCoordinate dataId() {
    DataCoordinate d = dataId;
    if (d == null) {
      // Full when the record holds every implied value of its minimal group; an exposure record
      // has physical_filter but not the band that physical_filter implies, so it is not.
      Map<String, Object> known = new HashMap<>();
      for (String k : element.minimalGroup().dataIdKeys()) {
        String field = k.equals(element.name()) ? element.primaryKey().name() : k;
        Integer i = positions(element).get(field);
        if (i != null && values[i] != null) {
          known.put(k, values[i]);
        }
      }
      d = DataCoordinate.fromValues(known, element.minimalGroup(), this);
      dataId = d;
    }
    return d;
  }

  @Override
  public boolean equals(Object o) {
    return this == o
        || (o instanceof DimensionRecord r
            && r.element == element
            && Arrays.equals(r.values, values)
            && Objects.equals(r.timespan, timespan)
            && Objects.equals(r.region, region));
  }

  @Override
  public int hashCode() {
    return element.hashCode() * 31 + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return element.name() + toMap();
  }
}
