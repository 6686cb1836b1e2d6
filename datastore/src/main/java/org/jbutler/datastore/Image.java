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

  /**
   * This image with pixels of another type (the same box and metadata; this image itself if it is
   * of that type already). Int pixels from float or double ones are rounded and clamped.
   */
  public final <T extends Image> T as(Class<T> type) {
    if (type.isInstance(this)) {
      return type.cast(this);
    }
    int n = width() * height();
    Image out;
    if (type == ImageF.class) {
      float[] p = new float[n];
      for (int i = 0; i < n; i++) {
        p[i] = (float) get(i % width(), i / width());
      }
      out = new ImageF(bbox, p, metadata);
    } else if (type == ImageD.class) {
      double[] p = new double[n];
      for (int i = 0; i < n; i++) {
        p[i] = get(i % width(), i / width());
      }
      out = new ImageD(bbox, p, metadata);
    } else if (type == ImageI.class) {
      int[] p = new int[n];
      for (int i = 0; i < n; i++) {
        p[i] =
            (int)
                Math.max(
                    Integer.MIN_VALUE,
                    Math.min(Integer.MAX_VALUE, Math.rint(get(i % width(), i / width()))));
      }
      out = new ImageI(bbox, p, metadata);
    } else {
      throw new IllegalArgumentException("No image type " + type.getName());
    }
    return type.cast(out);
  }

  /** Whether the box and metadata equal another image's (subclasses compare the pixels). */
  final boolean sameFrame(Image other) {
    return other.bbox.equals(bbox) && other.metadata.equals(metadata);
  }

  @Override
  public String toString() {
    return getClass().getSimpleName() + bbox;
  }
}
