package org.jbutler.schema;

import java.util.Objects;

/**
 * A sky region in its encoded form, kept opaque until spatial support exists.
 *
 * @param encoded the base64 text of the region's binary encoding, as daf_butler stores it
 */
public record Region(String encoded) {

  /** Validates the region. */
  public Region {
    Objects.requireNonNull(encoded, "encoded");
  }
}
