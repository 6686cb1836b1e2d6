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
    double p1 = a.x() * (b.y() * c.z() - b.z() * c.y());
    double p2 = a.y() * (b.z() * c.x() - b.x() * c.z());
    double p3 = a.z() * (b.x() * c.y() - b.y() * c.x());
    double det = p1 + p2 + p3;
    double mag =
        Math.abs(a.x()) * (Math.abs(b.y() * c.z()) + Math.abs(b.z() * c.y()))
            + Math.abs(a.y()) * (Math.abs(b.z() * c.x()) + Math.abs(b.x() * c.z()))
            + Math.abs(a.z()) * (Math.abs(b.x() * c.y()) + Math.abs(b.y() * c.x()));
    if (det > BOUND * mag) {
      return 1;
    }
    if (det < -BOUND * mag) {
      return -1;
    }
    return exact(a, b, c);
  }

  private static int exact(UnitVector3d a, UnitVector3d b, UnitVector3d c) {
    BigDecimal ax = new BigDecimal(a.x());
    BigDecimal ay = new BigDecimal(a.y());
    BigDecimal az = new BigDecimal(a.z());
    BigDecimal bx = new BigDecimal(b.x());
    BigDecimal by = new BigDecimal(b.y());
    BigDecimal bz = new BigDecimal(b.z());
    BigDecimal cx = new BigDecimal(c.x());
    BigDecimal cy = new BigDecimal(c.y());
    BigDecimal cz = new BigDecimal(c.z());
    BigDecimal det =
        ax.multiply(by.multiply(cz).subtract(bz.multiply(cy)))
            .add(ay.multiply(bz.multiply(cx).subtract(bx.multiply(cz))))
            .add(az.multiply(bx.multiply(cy).subtract(by.multiply(cx))));
    return det.signum();
  }
}
