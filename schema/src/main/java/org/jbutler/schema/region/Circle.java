package org.jbutler.schema.region;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A circle on the sphere: the points within an opening angle (angular radius) of a centre
 * (sphgeom's {@code Circle}). It also keeps the squared chord length {@code l² = 4 sin²(θ/2)} its
 * encoding carries: negative (or NaN) means empty, 4 or more means the whole sphere.
 *
 * @param center the centre
 * @param squaredChordLength {@code l²}
 * @param openingAngle θ in radians
 */
public record Circle(UnitVector3d center, double squaredChordLength, double openingAngle)
    implements Region {

  /** sphgeom's type code. */
  public static final byte TYPE_CODE = 'c';

  /** The encoded size in bytes. */
  public static final int ENCODED_SIZE = 41;

  /** The empty circle, as sphgeom writes it. */
  public static Circle empty() {
    return new Circle(UnitVector3d.Z, -1, -1);
  }

  /** The circle around a centre with an opening angle in radians. */
  public static Circle of(UnitVector3d center, double openingAngle) {
    if (openingAngle < 0 || Double.isNaN(openingAngle)) {
      return empty();
    }
    if (openingAngle >= Math.PI) {
      return new Circle(center, 4, Math.PI);
    }
    double s = Math.sin(0.5 * openingAngle);
    return new Circle(center, 4 * s * s, openingAngle);
  }

  /** The circle around (ra, dec) with a radius, all in degrees. */
  public static Circle ofDegrees(double ra, double dec, double radius) {
    return of(UnitVector3d.fromDegrees(ra, dec), Math.toRadians(radius));
  }

  @Override
  public boolean isEmpty() {
    return !(squaredChordLength >= 0);
  }

  /** Whether the circle is the whole sphere. */
  public boolean isFull() {
    return squaredChordLength >= 4;
  }

  @Override
  public boolean contains(UnitVector3d v) {
    if (isEmpty()) {
      return false;
    }
    if (isFull()) {
      return true;
    }
    double dx = v.x() - center.x();
    double dy = v.y() - center.y();
    double dz = v.z() - center.z();
    return dx * dx + dy * dy + dz * dz <= squaredChordLength;
  }

  @Override
  public Circle boundingCircle() {
    return this;
  }

  @Override
  public Box boundingBox() {
    if (isEmpty()) {
      return Box.empty();
    }
    double lat = center.lat();
    double r = openingAngle;
    double lo = lat - r;
    double hi = lat + r;
    if (isFull() || hi >= Math.PI / 2 || lo <= -Math.PI / 2) {
      return Box.of(0, 2 * Math.PI, Math.max(lo, -Math.PI / 2), Math.min(hi, Math.PI / 2), true);
    }
    double half = Math.asin(Math.min(1, Math.sin(r) / Math.cos(lat))) + Box.MARGIN;
    double lon = center.lon();
    return Box.of(lon - half, lon + half, lo - Box.MARGIN, hi + Box.MARGIN, false);
  }

  @Override
  public Relationship relate(Region other) {
    return Relations.relate(this, other);
  }

  @Override
  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(ENCODED_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.put(TYPE_CODE);
    b.putDouble(center.x()).putDouble(center.y()).putDouble(center.z());
    b.putDouble(squaredChordLength).putDouble(openingAngle);
    return b.array();
  }

  static Circle decode(ByteBuffer b, int length) {
    Region.requireLength("Circle", length, ENCODED_SIZE);
    UnitVector3d c = UnitVector3d.fromNormalized(b.getDouble(), b.getDouble(), b.getDouble());
    return new Circle(c, b.getDouble(), b.getDouble());
  }
}
