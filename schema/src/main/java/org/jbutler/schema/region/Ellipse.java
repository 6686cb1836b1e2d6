package org.jbutler.schema.region;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * sphgeom's {@code Ellipse}, carried as its encoding (a 3×3 matrix, the semi-axis angles a and b,
 * the angle gamma, tan a and tan b). Its geometry is not implemented yet: it decodes and re-encodes
 * byte for byte, its bounding circle is the whole sphere and it relates to everything as
 * "intersects" (both conservative, never wrong), and {@link #contains} refuses.
 *
 * @param values the 14 doubles after the type code, in encoding order
 */
public record Ellipse(double[] values) implements Region {

  /** sphgeom's type code. */
  public static final byte TYPE_CODE = 'e';

  /** The encoded size in bytes. */
  public static final int ENCODED_SIZE = 113;

  /** Copies. */
  public Ellipse {
    if (values.length != 14) {
      throw new IllegalArgumentException("An Ellipse has 14 values, not " + values.length + ".");
    }
    values = values.clone();
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  @Override
  public boolean isEmpty() {
    return false;
  }

  /**
   * Not supported yet.
   *
   * @throws UnsupportedOperationException always
   */
  @Override
  public boolean contains(UnitVector3d v) {
    throw new UnsupportedOperationException(
        "Ellipse regions are read and written but their geometry is not implemented yet.");
  }

  @Override
  public Circle boundingCircle() {
    return new Circle(UnitVector3d.Z, 4, Math.PI);
  }

  @Override
  public Relationship relate(Region other) {
    return Relationship.INTERSECTS;
  }

  @Override
  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(ENCODED_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.put(TYPE_CODE);
    for (double v : values) {
      b.putDouble(v);
    }
    return b.array();
  }

  static Ellipse decode(ByteBuffer b, int length) {
    Region.requireLength("Ellipse", length, ENCODED_SIZE);
    double[] v = new double[14];
    for (int i = 0; i < v.length; i++) {
      v[i] = b.getDouble();
    }
    return new Ellipse(v);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ellipse e && Arrays.equals(values, e.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return "Ellipse" + Arrays.toString(values);
  }
}
