package org.jbutler.schema;

import java.util.Objects;

/**
 * A sky region in its encoded form, as it was kept before spatial support existed.
 *
 * @deprecated use {@link org.jbutler.schema.region.Region}; a record given this form decodes it
 * @param encoded the base64 text of the region's binary encoding, as daf_butler stores it
 */
@Deprecated
public record Region(String encoded) {

  /** The region these bytes encode. */
  public org.jbutler.schema.region.Region decode() {
    return org.jbutler.schema.region.Region.decodeBase64(encoded);
  }

  /** Validates the region. */
  public Region {
    Objects.requireNonNull(encoded, "encoded");
  }
}
