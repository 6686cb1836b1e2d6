package org.jbutler.datastore;

import java.util.Objects;

/**
 * A 2-D image: pixels in row-major order (x fastest), an origin in the parent's pixel grid, and a
 * metadata header. {@link ImageF}, {@link ImageI} and {@link ImageD} hold float, int and double
 * pixels.
 */
public abstract sealed class Image permits ImageF, ImageI, ImageD {

  private final Box bbox;
  private final Header metadata;

  Image(Box bbox, int pixelCount, Header metadata) {
    if ((long) bbox.width() * bbox.height() != pixelCount) {
      throw new IllegalArgumentException(
          "Pixel array of "
              + pixelCount
              + " values does not fit "
              + bbox.width()
              + "x"
              + bbox.height());
    }
    this.bbox = bbox;
    this.metadata = new Header(Objects.requireNonNull(metadata, "metadata"));
  }

  /** Columns. */
  public final int width() {
    return bbox.width();
  }

  /** Rows. */
  public final int height() {
    return bbox.height();
  }

  /** The box this image covers in its parent's coordinates. */
  public final Box bbox() {
    return bbox;
  }

  /** The metadata cards. */
  public final Header metadata() {
    return metadata;
  }

  /** The offset of a pixel in the row-major array. */
  final int index(int x, int y) {
    return y * bbox.width() + x;
  }

  /** A pixel as a double, by position within this image. */
  public abstract double get(int x, int y);

  /** Whether the box and metadata equal another image's (subclasses compare the pixels). */
  final boolean sameFrame(Image other) {
    return other.bbox.equals(bbox) && other.metadata.equals(metadata);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + bbox;
  }
}
