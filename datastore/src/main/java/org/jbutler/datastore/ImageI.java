package org.jbutler.datastore;

import java.util.Arrays;
import java.util.Objects;

/** An image of int pixels; see {@link Image}. */
public final class ImageI implements Image {

  private final Box bbox;
  private final int[] pixels;
  private final Header metadata;

  /**
   * Wraps pixels (row-major, not copied).
   *
   * @param bbox where the image lies in its parent; its size is the image's
   * @param pixels width x height values
   * @param metadata cards (copied)
   */
  public ImageI(Box bbox, int[] pixels, Header metadata) {
    Image.checkSize(bbox.width(), bbox.height(), pixels.length);
    this.bbox = bbox;
    this.pixels = pixels;
    this.metadata = new Header(Objects.requireNonNull(metadata, "metadata"));
  }

  /** A zero image of a size at the origin. */
  public ImageI(int width, int height) {
    this(new Box(0, 0, width, height), new int[width * height], new Header());
  }

  @Override
  public int width() {
    return bbox.width();
  }

  @Override
  public int height() {
    return bbox.height();
  }

  @Override
  public Box bbox() {
    return bbox;
  }

  @Override
  public Header metadata() {
    return metadata;
  }

  /** The pixels, row-major (the array itself). */
  public int[] pixels() {
    return pixels;
  }

  /** A pixel by position within this image. */
  public int at(int x, int y) {
    return pixels[y * bbox.width() + x];
  }

  /** Sets a pixel by position within this image. */
  public void set(int x, int y, int value) {
    pixels[y * bbox.width() + x] = value;
  }

  @Override
  public double get(int x, int y) {
    return at(x, y);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageI i
        && i.bbox.equals(bbox)
        && Arrays.equals(i.pixels, pixels)
        && i.metadata.equals(metadata);
  }

  @Override
  public int hashCode() {
    return 31 * bbox.hashCode() + Arrays.hashCode(pixels);
  }

  @Override
  public String toString() {
    return "ImageI" + bbox;
  }
}
