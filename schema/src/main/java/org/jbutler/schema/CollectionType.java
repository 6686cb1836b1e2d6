package org.jbutler.schema;

import java.util.Locale;
import org.jbutler.schema.exceptions.CollectionTypeException;

/**
 * The kinds of collection, with daf_butler's integer codes (stored as SMALLINT).
 *
 * <ul>
 *   <li>{@link #RUN}: every dataset is inserted into exactly one RUN and never leaves it.
 *   <li>{@link #TAGGED}: free membership, one dataset per (dataset type, data ID).
 *   <li>{@link #CHAINED}: an ordered search path of other collections.
 *   <li>{@link #CALIBRATION}: membership with validity ranges that may not overlap for the same
 *       (dataset type, data ID).
 * </ul>
 */
public enum CollectionType {
  RUN(1),
  TAGGED(2),
  CHAINED(3),
  CALIBRATION(4);

  private final int code;

  CollectionType(int code) {
    this.code = code;
  }

  /** Returns the integer stored in the registry for this type. */
  public int code() {
    return code;
  }

  /**
   * Returns the type stored as {@code code}.
   *
   * @throws IllegalArgumentException if no type has that code
   */
  public static CollectionType fromCode(int code) {
    for (CollectionType t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    throw new IllegalArgumentException("No collection type has code " + code + "; expected 1-4.");
  }

  /**
   * Returns the type with the given name, ignoring case ({@code "run"}, {@code "CALIBRATION"}).
   *
   * @throws CollectionTypeException if the name is not a collection type
   */
  public static CollectionType fromName(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CollectionTypeException(
          "Unknown collection type '"
              + name
              + "'; expected one of RUN, TAGGED, CHAINED, CALIBRATION.");
    }
  }
}
