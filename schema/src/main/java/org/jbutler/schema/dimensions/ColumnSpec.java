package org.jbutler.schema.dimensions;

import java.util.Objects;
import org.jbutler.schema.Values;

/**
 * A key or metadata column of a dimension element.
 *
 * @param name the column (and record field) name
 * @param type the value type
 * @param length the maximum length of a {@link ColumnType#STRING} value, else 0
 * @param nbytes the size in bytes of a {@link ColumnType#HASH} value, else 0
 * @param nullable whether the value may be absent (keys never are)
 * @param doc a description, possibly empty
 */
public record ColumnSpec(
    String name, ColumnType type, int length, int nbytes, boolean nullable, String doc) {

  /** Validates the spec. */
  public ColumnSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(doc, "doc");
    if (type == ColumnType.STRING && length <= 0) {
      throw new IllegalArgumentException("String column '" + name + "' needs a positive length");
    }
    if (type == ColumnType.HASH && nbytes <= 0) {
      throw new IllegalArgumentException("Hash column '" + name + "' needs a positive nbytes");
    }
  }

  /**
   * Converts a value to this column's Java type, or explains why it cannot.
   *
   * <p>Integers accept any integral {@link Number} and decimal strings; floats accept any {@link
   * Number} and numeric strings; strings and hashes accept {@link CharSequence}s no longer than the
   * column allows; booleans accept {@link Boolean} and the strings {@code true}/{@code false}.
   *
   * @param value the value to convert, not null
   * @return the conformed value
   * @throws IllegalArgumentException with a message naming the column and the value
   */
  public Object conform(Object value) {
    Objects.requireNonNull(value, "value");
    switch (type) {
      case INT -> {
        if (value instanceof Long l) {
          return l;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
          return ((Number) value).longValue();
        }
        if (value instanceof Number n) {
          double d = n.doubleValue();
          if (d == Math.rint(d) && Math.abs(d) < 0x1p63) {
            return (long) d;
          }
        } else if (value instanceof CharSequence s) {
          try {
            return Long.parseLong(s.toString().trim());
          } catch (NumberFormatException e) {
            // fall through to the error below
          }
        }
        throw bad(value, "an integer");
      }
      case FLOAT -> {
        if (value instanceof Number n) {
          return n.doubleValue();
        }
        if (value instanceof CharSequence s) {
          try {
            return Double.parseDouble(s.toString().trim());
          } catch (NumberFormatException e) {
            // fall through
          }
        }
        throw bad(value, "a number");
      }
      case BOOL -> {
        if (value instanceof Boolean b) {
          return b;
        }
        if (value instanceof CharSequence s) {
          String t = s.toString().trim();
          if (t.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
          }
          if (t.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
          }
        }
        throw bad(value, "a boolean");
      }
      case STRING, HASH -> {
        if (type == ColumnType.HASH && value instanceof byte[] bytes) {
          // daf_butler's hashes are bytes (!!binary in YAML); the column holds their base64.
          if (bytes.length > nbytes) {
            throw new IllegalArgumentException(
                "hash for '" + name + "' is " + bytes.length + " bytes; the limit is " + nbytes);
          }
          return java.util.Base64.getEncoder().encodeToString(bytes);
        }
        if (!(value instanceof CharSequence)) {
          throw bad(value, "a string");
        }
        String s = value.toString();
        if (type == ColumnType.STRING && s.length() > length) {
          throw new IllegalArgumentException(
              "value '"
                  + s
                  + "' for '"
                  + name
                  + "' is "
                  + s.length()
                  + " characters long; the limit is "
                  + length);
        }
        return s;
      }
      default -> throw new AssertionError(type);
    }
  }

  private IllegalArgumentException bad(Object value, String expected) {
    return new IllegalArgumentException(
        "value "
            + Values.quote(value)
            + " ("
            + value.getClass().getSimpleName()
            + ") for '"
            + name
            + "' is not "
            + expected);
  }
}
