package org.jbutler.datastore;

/**
 * A 2-D image: pixels in row-major order (x fastest), an origin in the parent's pixel grid, and a
 * metadata header. {@link ImageF}, {@link ImageI} and {@link ImageD} hold float, int and double
 * pixels.
 */
public sealed interface Image permits ImageF, ImageI, ImageD {

  /** Columns. */
  int width();

  /** Rows. */
  int height();

  /** The box this image covers in its parent's coordinates. */
  Box bbox();

  /** The metadata cards. */
  Header metadata();

  /** A pixel as a double, by position within this image. */
  double get(int x, int y);

  /** Checks that a data array has width x height elements. */
  static void checkSize(int width, int height, int length) {
    if (width < 0 || height < 0 || (long) width * height != length) {
      throw new IllegalArgumentException(
          "Pixel array of " + length + " values does not fit " + width + "x" + height);
    }
  }
}
