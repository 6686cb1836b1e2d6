package org.jbutler.schema.dimensions;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.jbutler.schema.Values;
import org.jbutler.schema.exceptions.InvalidDataIdException;

/**
 * A data ID as a user wrote it, with its values conformed but possibly identifying some dimensions
 * through record fields instead of primary keys ({@code detector.full_name}, {@code
 * exposure.obs_id}, {@code visit.name}) that only a registry lookup can turn into key values.
 *
 * @param values primary-key values by dimension name, conformed to the key types
 * @param recordConstraints values of other record fields, by {@code element.field}
 */
public record UnresolvedDataId(Map<String, Object> values, Map<String, Object> recordConstraints) {

  /** Copies the maps. */
  public UnresolvedDataId {
    values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    recordConstraints =
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(recordConstraints));
  }

  /**
   * Interprets a user's data ID mapping against a universe.
   *
   * <p>Keys may be a dimension name ({@code detector}), a dimension's primary key qualified by the
   * dimension ({@code detector.id}, {@code instrument.name}), any other record field qualified by
   * its element ({@code detector.full_name}, {@code exposure.seq_num}), or an alternate key
   * unqualified when only one dimension has a key of that name ({@code full_name}, {@code obs_id}).
   *
   * @throws InvalidDataIdException for an unknown key, an ill-typed value, or two spellings of one
   *     dimension with different values
   */
  public static UnresolvedDataId parse(DimensionUniverse universe, Map<String, ?> input) {
    Objects.requireNonNull(universe, "universe");
    Objects.requireNonNull(input, "input");
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, Object> constraints = new LinkedHashMap<>();
    for (Map.Entry<String, ?> entry : input.entrySet()) {
      String key = Objects.requireNonNull(entry.getKey(), "data ID key");
      Object raw = entry.getValue();
      if (raw == null) {
        throw new InvalidDataIdException("Data ID key '" + key + "' has no value.");
      }
      int dot = key.indexOf('.');
      String elementName = dot < 0 ? key : key.substring(0, dot);
      String field = dot < 0 ? null : key.substring(dot + 1);
      DimensionElement element = universe.findElement(elementName).orElse(null);
      if (element == null && dot < 0) {
        DimensionElement owner = uniqueAlternateKeyOwner(universe, key);
        if (owner != null) {
          element = owner;
          field = key;
        }
      }
      if (element == null) {
        throw new InvalidDataIdException(
            "Unknown dimension '"
                + key
                + "' in data ID "
                + input
                + "."
                + Values.suggestion(
                    elementName,
                    universe.dimensions().stream().map(DimensionElement::name).toList()));
      }
      if (field == null || (element.isDimension() && field.equals(element.primaryKey().name()))) {
        if (!element.isDimension()) {
          throw new InvalidDataIdException(
              "'" + key + "' is a dimension combination; it cannot have a value in a data ID.");
        }
        Object v = conform(element.primaryKey(), element.name(), raw);
        Object previous = values.put(element.name(), v);
        if (previous != null && !previous.equals(v)) {
          throw new InvalidDataIdException(
              "Data ID gives two values for '"
                  + element.name()
                  + "': "
                  + Values.quote(previous)
                  + " and "
                  + Values.quote(v)
                  + ".");
        }
        continue;
      }
      ColumnSpec spec = element.fields().get(field);
      if (spec == null) {
        throw new InvalidDataIdException(
            "Element '"
                + element.name()
                + "' has no field '"
                + field
                + "' (data ID key '"
                + key
                + "'); its fields are "
                + Values.listing(element.fields().keySet())
                + ".");
      }
      if (element.required().contains(field) || element.implied().contains(field)) {
        // "exposure.physical_filter" and the like name another dimension's value.
        Object v = conform(spec, key, raw);
        Object previous = values.put(field, v);
        if (previous != null && !previous.equals(v)) {
          throw new InvalidDataIdException(
              "Data ID gives two values for '" + field + "' through '" + key + "'.");
        }
        continue;
      }
      constraints.put(element.name() + "." + field, conform(spec, key, raw));
    }
    return new UnresolvedDataId(values, constraints);
  }

  private static DimensionElement uniqueAlternateKeyOwner(DimensionUniverse universe, String key) {
    DimensionElement owner = null;
    for (DimensionElement e : universe.dimensions()) {
      for (ColumnSpec k : e.alternateKeys()) {
        if (k.name().equals(key)) {
          if (owner != null) {
            return null; // ambiguous: "name" is both visit.name and visit_system.name
          }
          owner = e;
        }
      }
    }
    return owner;
  }

  private static Object conform(ColumnSpec spec, String key, Object raw) {
    try {
      return spec.conform(raw);
    } catch (IllegalArgumentException e) {
      throw new InvalidDataIdException(
          "Bad data ID value for '" + key + "': " + e.getMessage() + ".");
    }
  }

  /** Returns whether every value is a primary key, so no registry lookup is needed. */
  public boolean isResolved() {
    return recordConstraints.isEmpty();
  }
}
