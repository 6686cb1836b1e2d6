package org.jbutler.datastore;

import java.util.Arrays;

/** An image of int pixels; see {@link Image}. */
public final class ImageI extends Image {

  private final int[] pixels;

  /**
   * Wraps pixels (row-major, not copied).
   *
   * @param bbox where the image lies in its parent; its size is the image's
   * @param pixels width x height values
   * @param metadata cards (copied)
   */
  public ImageI(Box bbox, int[] pixels, Header metadata) {
    super(bbox, pixels.length, metadata);
    this.pixels = pixels;
  }

  /** A zero image of a size at the origin. */
  public ImageI(int width, int height) {
    this(new Box(0, 0, width, height), new int[width * height], new Header());
  }

  /** The pixels, row-major (the array itself). */
  public int[] pixels() {
    return pixels;
  }

  /** A pixel by position within this image. */
  public int at(int x, int y) {
    return pixels[index(x, y)];
  }

  /** Sets a pixel by position within this image. */
  public void set(int x, int y, int value) {
    pixels[index(x, y)] = value;
  }

  @Override
  public double get(int x, int y) {
    return at(x, y);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageI i && sameFrame(i) && Arrays.equals(i.pixels, pixels);
  }

  @Override
  public int hashCode() {
    return 31 * bbox().hashCode() + Arrays.hashCode(pixels);
  }
}
