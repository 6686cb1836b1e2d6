package org.jbutler.schema.dimensions;

import java.util.Locale;

/** The value types a dimension key or metadata column may have, as named in dimension configs. */
public enum ColumnType {
  /** A 64-bit integer; values are {@link Long}. */
  INT,
  /** A string with a maximum length; values are {@link String}. */
  STRING,
  /** A double-precision float; values are {@link Double}. */
  FLOAT,
  /** A boolean; values are {@link Boolean}. */
  BOOL,
  /** A fixed-size binary hash; values are {@code byte[]}-equivalent base64 {@link String}s. */
  HASH;

  /** Returns the lowercase name used in configuration files. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
