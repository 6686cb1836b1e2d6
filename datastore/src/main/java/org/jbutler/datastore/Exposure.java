package org.jbutler.datastore;

import java.util.Objects;

/**
 * An exposure: image, mask and variance planes of one size, and a metadata header (which also
 * carries the mask plane bits as {@code MP_<NAME>} cards, as LSST's FITS files do).
 *
 * @param image the science pixels
 * @param mask bit flags per pixel
 * @param variance per-pixel variance
 * @param metadata exposure-level cards
 */
public record Exposure(ImageF image, ImageI mask, ImageF variance, Header metadata) {

  /** Checks that the planes agree. */
  public Exposure {
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(mask, "mask");
    Objects.requireNonNull(variance, "variance");
    metadata = new Header(Objects.requireNonNull(metadata, "metadata"));
    if (!mask.bbox().equals(image.bbox()) || !variance.bbox().equals(image.bbox())) {
      throw new IllegalArgumentException(
          "Exposure planes differ: image "
              + image.bbox()
              + ", mask "
              + mask.bbox()
              + ", variance "
              + variance.bbox());
    }
  }

  /** The box all planes cover. */
  public Box bbox() {
    return image.bbox();
  }
}
