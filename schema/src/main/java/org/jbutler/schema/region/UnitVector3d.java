package org.jbutler.schema.region;

/**
 * A point on the unit sphere as a unit vector (sphgeom's {@code UnitVector3d}): x towards (ra 0,
 * dec 0), y towards (ra 90°, dec 0), z towards the north pole.
 *
 * @param x the x component
 * @param y the y component
 * @param z the z component
 */
public record UnitVector3d(double x, double y, double z) {

  /** The +X axis. */
  public static final UnitVector3d X = new UnitVector3d(1, 0, 0);

  /** The +Y axis. */
  public static final UnitVector3d Y = new UnitVector3d(0, 1, 0);

  /** The +Z axis (the north pole). */
  public static final UnitVector3d Z = new UnitVector3d(0, 0, 1);

  /**
   * The unit vector in the direction of (x, y, z).
   *
   * @throws IllegalArgumentException for the zero vector or a non-finite component
   */
  public static UnitVector3d of(double x, double y, double z) {
    double n = Math.sqrt(x * x + y * y + z * z);
    if (!(n > 0) || !Double.isFinite(n)) {
      throw new IllegalArgumentException(
          "Cannot make a direction from (" + x + ", " + y + ", " + z + ").");
    }
    return new UnitVector3d(x / n, y / n, z / n);
  }

  /** A vector already of unit length, taken as it is (as sphgeom decodes polygon vertices). */
  public static UnitVector3d fromNormalized(double x, double y, double z) {
    return new UnitVector3d(x, y, z);
  }

  /** The direction at longitude and latitude in radians. */
  public static UnitVector3d fromLonLat(double lon, double lat) {
    double c = Math.cos(lat);
    return new UnitVector3d(c * Math.cos(lon), c * Math.sin(lon), Math.sin(lat));
  }

  /** The direction at RA and Dec in degrees. */
  public static UnitVector3d fromDegrees(double ra, double dec) {
    return fromLonLat(Math.toRadians(ra), Math.toRadians(dec));
  }

  /** The longitude in radians, in [0, 2π). */
  public double lon() {
    if (x == 0 && y == 0) {
      return 0;
    }
    double a = Math.atan2(y, x);
    return a < 0 ? a + 2 * Math.PI : a;
  }

  /** The latitude in radians, in [−π/2, π/2]. */
  public double lat() {
    return Math.atan2(z, Math.hypot(x, y));
  }

  /** The dot product. */
  public double dot(UnitVector3d o) {
    return x * o.x + y * o.y + z * o.z;
  }

  /** The cross product, not normalised: {@code [x, y, z]} components. */
  public double[] cross(UnitVector3d o) {
    return new double[] {y * o.z - z * o.y, z * o.x - x * o.z, x * o.y - y * o.x};
  }

  /** The normalised cross product (the pole of the great circle through this and o). */
  public UnitVector3d robustCross(UnitVector3d o) {
    // (b + a) x (b - a) = 2 (a x b), better conditioned for nearby points
    double ax = o.x + x;
    double ay = o.y + y;
    double az = o.z + z;
    double bx = o.x - x;
    double by = o.y - y;
    double bz = o.z - z;
    return of(ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx);
  }

  /** The antipode. */
  public UnitVector3d negate() {
    return new UnitVector3d(-x, -y, -z);
  }

  /** The angle to another point, in radians. */
  public double angleTo(UnitVector3d o) {
    double[] c = cross(o);
    return Math.atan2(Math.sqrt(c[0] * c[0] + c[1] * c[1] + c[2] * c[2]), dot(o));
  }

  @Override
  public String toString() {
    return "[" + x + ", " + y + ", " + z + "]";
  }
}
