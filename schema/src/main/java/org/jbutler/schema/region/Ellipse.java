package org.jbutler.schema.region;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * sphgeom's {@code Ellipse}: the points whose angular distances to two foci sum to at most 2α, held
 * as sphgeom holds (and encodes) it — an orthogonal matrix S whose rows are the first axis, the
 * second axis and the centre, then {@code a = α − π/2}, {@code b = β − π/2} (β the second
 * semi-axis), the half focal angle γ, |tan a| and |tan b|. A point v is inside when, with {@code u
 * = S·v}, {@code (u.x·|tan a|)² + (u.y·|tan b|)² ≤ u.z²} on the centre's side (the complement for
 * ellipses wider than a hemisphere).
 *
 * <p>Relations go through the bounding circle (centre, max(α, β)), as sphgeom's do: {@code
 * disjoint} and {@code within} are claimed when the circle's are, {@code contains} never (so they
 * are conservative, never wrong).
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

  /**
   * The ellipse around a centre with semi-axis angles α and β (radians, both below π/2 or both
   * above) and the first axis at {@code orientation} radians east of north, as sphgeom's
   * constructor makes it (the larger semi-axis becomes the first).
   *
   * @throws IllegalArgumentException for NaN or mixed semi-axes
   */
  public static Ellipse of(UnitVector3d center, double alpha, double beta, double orientation) {
    double half = 0.5 * Math.PI;
    if (!Double.isFinite(orientation)
        || Double.isNaN(alpha)
        || Double.isNaN(beta)
        || (alpha < half && beta >= half)
        || (alpha > half && beta <= half)
        || (alpha == half && beta != half)) {
      throw new IllegalArgumentException(
          "Invalid ellipse semi-axis angles " + alpha + ", " + beta + " (radians).");
    }
    if (alpha < 0 || beta < 0) {
      return empty();
    }
    if (alpha > Math.PI || beta > Math.PI || (alpha == Math.PI && beta == Math.PI)) {
      return full();
    }
    if ((alpha < half && alpha < beta) || (alpha > half && alpha > beta)) {
      double t = alpha;
      alpha = beta;
      beta = t;
      orientation += half;
    }
    UnitVector3d north = northFrom(center);
    UnitVector3d b0 = rotated(north, center, -orientation);
    double[] c = b0.cross(center);
    UnitVector3d b1 = UnitVector3d.of(c[0], c[1], c[2]);
    double a = alpha - half;
    double b = beta - half;
    double gamma = Math.acos(Math.min(1, Math.max(-1, Math.cos(alpha) / Math.cos(beta))));
    return new Ellipse(
        new double[] {
          b0.x(),
          b0.y(),
          b0.z(),
          b1.x(),
          b1.y(),
          b1.z(),
          center.x(),
          center.y(),
          center.z(),
          a,
          b,
          gamma,
          Math.abs(Math.tan(a)),
          Math.abs(Math.tan(b))
        });
  }

  /** The empty ellipse (sphgeom's {@code Ellipse::empty}). */
  public static Ellipse empty() {
    double inf = Double.POSITIVE_INFINITY;
    return new Ellipse(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1, -2, -2, 0, inf, inf});
  }

  /** The full sphere (sphgeom's {@code Ellipse::full}). */
  public static Ellipse full() {
    return new Ellipse(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1, 2, 2, 0, 0, 0});
  }

  /** The direction of north at v (tangent there), or −x at a pole. */
  private static UnitVector3d northFrom(UnitVector3d v) {
    double nx = -v.x() * v.z();
    double ny = -v.y() * v.z();
    double nz = v.x() * v.x() + v.y() * v.y();
    if (nx == 0 && ny == 0 && nz == 0) {
      return v.z() > 0 ? UnitVector3d.of(-1, 0, 0) : UnitVector3d.X;
    }
    return UnitVector3d.of(nx, ny, nz);
  }

  /** v rotated by an angle around a unit axis (Rodrigues). */
  private static UnitVector3d rotated(UnitVector3d v, UnitVector3d k, double angle) {
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    double[] kxv = k.cross(v);
    double kdv = k.dot(v);
    return UnitVector3d.of(
        v.x() * cos + kxv[0] * sin + k.x() * kdv * (1 - cos),
        v.y() * cos + kxv[1] * sin + k.y() * kdv * (1 - cos),
        v.z() * cos + kxv[2] * sin + k.z() * kdv * (1 - cos));
  }

  /** The centre (the third row of S). */
  public UnitVector3d center() {
    return isEmpty() || isFull()
        ? UnitVector3d.Z
        : UnitVector3d.fromNormalized(values[6], values[7], values[8]);
  }

  /** The first semi-axis angle α, radians. */
  public double alpha() {
    return values[9] + 0.5 * Math.PI;
  }

  /** The second semi-axis angle β, radians. */
  public double beta() {
    return values[10] + 0.5 * Math.PI;
  }

  @Override
  public boolean isEmpty() {
    return alpha() < 0;
  }

  /** Whether this is the whole sphere. */
  public boolean isFull() {
    return 0.5 * Math.PI - values[9] <= 0;
  }

  @Override
  public boolean contains(UnitVector3d v) {
    if (isEmpty()) {
      return false;
    }
    if (isFull()) {
      return true;
    }
    double cx = values[6];
    double cy = values[7];
    double cz = values[8];
    double dot = v.x() * cx + v.y() * cy + v.z() * cz;
    // Near ±c, v = u ± c keeps small and large ellipses accurate (S c = (0, 0, 1)).
    double scz = dot > 0.5 ? 1 : dot < -0.5 ? -1 : 0;
    double ux = v.x() - scz * cx;
    double uy = v.y() - scz * cy;
    double uz = v.z() - scz * cz;
    double x = (values[0] * ux + values[1] * uy + values[2] * uz) * values[12];
    double y = (values[3] * ux + values[4] * uy + values[5] * uz) * values[13];
    double z = values[6] * ux + values[7] * uy + values[8] * uz + scz;
    double d = (x * x + y * y) - z * z;
    return values[9] > 0 ? z >= 0 || d >= 0 : z >= 0 && d <= 0;
  }

  @Override
  public Circle boundingCircle() {
    if (isEmpty()) {
      return Circle.empty();
    }
    if (isFull()) {
      return new Circle(UnitVector3d.Z, 4, Math.PI);
    }
    return Circle.of(center(), Math.max(alpha(), beta()) + 2 * Relations.EPS);
  }

  @Override
  public Relationship relate(Region other) {
    if (isEmpty() || other.isEmpty()) {
      return new Relationship(true, other.isEmpty(), isEmpty());
    }
    Region against = other instanceof Ellipse e ? e.boundingCircle() : other;
    Relationship r = boundingCircle().relate(against);
    boolean within = !(other instanceof Ellipse) && r.within();
    return new Relationship(r.disjoint(), false, within);
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
