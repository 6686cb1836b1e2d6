package org.jbutler.schema.region;

import java.math.BigDecimal;

/**
 * The exact sign of the triple product det[a b c] (sphgeom's {@code orientation}): +1 when a, b, c
 * wind counter-clockwise seen from outside the sphere, −1 clockwise, 0 when coplanar. A double
 * computation decides when it is far from zero by more than its rounding error bound; otherwise the
 * determinant is computed exactly with BigDecimal, so points on edges are classified the same way
 * every time.
 */
public final class Orientation {

  private Orientation() {}

  // Error bound for the six products and five sums of det[a b c] with |components| <= 1.
  private static final double BOUND = 8 * Math.ulp(1.0);

  /** The sign of det[a b c]. */
  public static int of(UnitVector3d a, UnitVector3d b, UnitVector3d c) {
    return of(a.x(), a.y(), a.z(), b.x(), b.y(), b.z(), c.x(), c.y(), c.z());
  }

  /** The sign of det[a b c] from components (no allocation on the fast path). */
  static int of(
      double ax,
      double ay,
      double az,
      double bx,
      double by,
      double bz,
      double cx,
      double cy,
      double cz) {
    double p1 = ax * (by * cz - bz * cy);
    double p2 = ay * (bz * cx - bx * cz);
    double p3 = az * (bx * cy - by * cx);
    double det = p1 + p2 + p3;
    double mag =
        Math.abs(ax) * (Math.abs(by * cz) + Math.abs(bz * cy))
            + Math.abs(ay) * (Math.abs(bz * cx) + Math.abs(bx * cz))
            + Math.abs(az) * (Math.abs(bx * cy) + Math.abs(by * cx));
    if (det > BOUND * mag) {
      return 1;
    }
    if (det < -BOUND * mag) {
      return -1;
    }
    return exact(ax, ay, az, bx, by, bz, cx, cy, cz);
  }

  /**
   * The sign of det[a b c] for unit vectors: the permanent of three unit vectors is at most 2√3, so
   * one fixed bound replaces the per-call magnitude (HTM descent's fast path).
   */
  static int ofUnit(
      double ax,
      double ay,
      double az,
      double bx,
      double by,
      double bz,
      double cx,
      double cy,
      double cz) {
    double det = ax * (by * cz - bz * cy) + ay * (bz * cx - bx * cz) + az * (bx * cy - by * cx);
    if (det > UNIT_BOUND) {
      return 1;
    }
    if (det < -UNIT_BOUND) {
      return -1;
    }
    return of(ax, ay, az, bx, by, bz, cx, cy, cz);
  }

  private static final double UNIT_BOUND = BOUND * 4;

  private static int exact(
      double x1,
      double y1,
      double z1,
      double x2,
      double y2,
      double z2,
      double x3,
      double y3,
      double z3) {
    BigDecimal ax = new BigDecimal(x1);
    BigDecimal ay = new BigDecimal(y1);
    BigDecimal az = new BigDecimal(z1);
    BigDecimal bx = new BigDecimal(x2);
    BigDecimal by = new BigDecimal(y2);
    BigDecimal bz = new BigDecimal(z2);
    BigDecimal cx = new BigDecimal(x3);
    BigDecimal cy = new BigDecimal(y3);
    BigDecimal cz = new BigDecimal(z3);
    BigDecimal det =
        ax.multiply(by.multiply(cz).subtract(bz.multiply(cy)))
            .add(ay.multiply(bz.multiply(cx).subtract(bx.multiply(cz))))
            .add(az.multiply(bx.multiply(cy).subtract(by.multiply(cx))));
    return det.signum();
  }
}
