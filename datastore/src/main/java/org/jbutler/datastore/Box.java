package org.jbutler.datastore;

/**
 * An integer pixel box: origin (x0, y0) and size, in the parent image's coordinates.
 *
 * @param x0 first column
 * @param y0 first row
 * @param width columns
 * @param height rows
 */
public record Box(int x0, int y0, int width, int height) {

  /** Checks the size. */
  public Box {
    if (width < 0 || height < 0) {
      throw new IllegalArgumentException(
          "A box cannot have a negative size: " + width + "x" + height);
    }
  }

  /** Whether this box lies inside another. */
  public boolean isInside(Box other) {
    return x0 >= other.x0
        && y0 >= other.y0
        && x0 + width <= other.x0 + other.width
        && y0 + height <= other.y0 + other.height;
  }

  @Override
  public String toString() {
    return "(x0=" + x0 + ", y0=" + y0 + ", " + width + "x" + height + ")";
  }
}
