package org.jbutler.schema.region;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A longitude/latitude box (sphgeom's {@code Box}): a longitude interval in [0, 2π) that wraps
 * through 0 when {@code lonA > lonB}, and a latitude interval; empty when {@code latA > latB}.
 *
 * @param lonA the first longitude bound in radians
 * @param lonB the second longitude bound in radians
 * @param latA the lower latitude in radians
 * @param latB the upper latitude in radians
 */
public record Box(double lonA, double lonB, double latA, double latB) implements Region {

  /** sphgeom's type code. */
  public static final byte TYPE_CODE = 'b';

  /** The encoded size in bytes. */
  public static final int ENCODED_SIZE = 33;

  /** Added to computed bounds so that rounding never leaves a point out. */
  static final double MARGIN = 1e-13;

  private static final double TWO_PI = 2 * Math.PI;

  /** The empty box. */
  public static Box empty() {
    return new Box(0, 0, 1, 0);
  }

  /**
   * A box from longitude bounds (normalised into [0, 2π); {@code fullLongitude} or a span of 2π or
   * more gives every longitude) and latitude bounds (clamped to the poles), in radians.
   */
  public static Box of(double lon1, double lon2, double lat1, double lat2, boolean fullLongitude) {
    double la = Math.max(lat1, -Math.PI / 2);
    double lb = Math.min(lat2, Math.PI / 2);
    if (fullLongitude || lon2 - lon1 >= TWO_PI) {
      return new Box(0, TWO_PI, la, lb);
    }
    return new Box(normalize(lon1), normalize(lon2), la, lb);
  }

  /** A box from (ra, dec) bounds in degrees; {@code raMin > raMax} wraps through 0. */
  public static Box ofDegrees(double raMin, double raMax, double decMin, double decMax) {
    return new Box(
        normalize(Math.toRadians(raMin)),
        normalize(Math.toRadians(raMax)),
        Math.toRadians(decMin),
        Math.toRadians(decMax));
  }

  private static double normalize(double lon) {
    double a = lon % TWO_PI;
    return a < 0 ? a + TWO_PI : a;
  }

  @Override
  public boolean isEmpty() {
    return !(latA <= latB);
  }

  /** Whether a longitude (radians) is in the box's longitude interval. */
  boolean containsLon(double lon) {
    if (lonB - lonA >= TWO_PI) {
      return true;
    }
    return lonA <= lonB ? lon >= lonA && lon <= lonB : lon >= lonA || lon <= lonB;
  }

  @Override
  public boolean contains(UnitVector3d v) {
    if (isEmpty()) {
      return false;
    }
    double lat = v.lat();
    return lat >= latA && lat <= latB && (Math.abs(lat) == Math.PI / 2 || containsLon(v.lon()));
  }

  @Override
  public Circle boundingCircle() {
    if (isEmpty()) {
      return Circle.empty();
    }
    // A polar cap always contains the box: around the north pole down to latA, or around the
    // south pole up to latB.
    double capN = Math.PI / 2 - latA;
    double capS = latB + Math.PI / 2;
    Circle best =
        capN <= capS
            ? Circle.of(UnitVector3d.Z, capN + MARGIN)
            : Circle.of(UnitVector3d.Z.negate(), capS + MARGIN);
    double width = lonA <= lonB ? lonB - lonA : lonB + TWO_PI - lonA;
    if (width < Math.PI) {
      // The farthest point from the centre lies on the boundary; every boundary point is within
      // half a sample spacing of a sample, so the sampled maximum plus that bound is a radius.
      UnitVector3d c = UnitVector3d.fromLonLat(lonA + width / 2, (latA + latB) / 2);
      int n = 16;
      double r = 0;
      for (int k = 0; k <= n; k++) {
        double lon = lonA + width * k / n;
        double lat = latA + (latB - latA) * k / n;
        r = Math.max(r, c.angleTo(UnitVector3d.fromLonLat(lon, latA)));
        r = Math.max(r, c.angleTo(UnitVector3d.fromLonLat(lon, latB)));
        r = Math.max(r, c.angleTo(UnitVector3d.fromLonLat(lonA, lat)));
        r = Math.max(r, c.angleTo(UnitVector3d.fromLonLat(lonA + width, lat)));
      }
      double spacing = Math.max(width / n, (latB - latA) / n);
      r += spacing / 2 + MARGIN;
      if (r < best.openingAngle()) {
        best = Circle.of(c, r);
      }
    }
    return best;
  }

  @Override
  public Box boundingBox() {
    return this;
  }

  @Override
  public Relationship relate(Region other) {
    return Relations.relate(this, other);
  }

  @Override
  public byte[] encode() {
    ByteBuffer b = ByteBuffer.allocate(ENCODED_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.put(TYPE_CODE);
    b.putDouble(lonA).putDouble(lonB).putDouble(latA).putDouble(latB);
    return b.array();
  }

  static Box decode(ByteBuffer b, int length) {
    Region.requireLength("Box", length, ENCODED_SIZE);
    return new Box(b.getDouble(), b.getDouble(), b.getDouble(), b.getDouble());
  }
}
