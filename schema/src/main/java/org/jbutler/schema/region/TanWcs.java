package org.jbutler.schema.region;

/**
 * A FITS gnomonic (TAN) world coordinate system with a CD matrix: 1-based pixel coordinates to and
 * from the sky, as a raw's {@code CRVAL}, {@code CRPIX} and {@code CD} cards define it (no
 * distortion terms).
 *
 * @param crval1 RA of the tangent point, degrees
 * @param crval2 Dec of the tangent point, degrees
 * @param crpix1 pixel x of the tangent point (1-based)
 * @param crpix2 pixel y of the tangent point (1-based)
 * @param cd11 CD1_1, degrees per pixel
 * @param cd12 CD1_2
 * @param cd21 CD2_1
 * @param cd22 CD2_2
 */
public record TanWcs(
    double crval1,
    double crval2,
    double crpix1,
    double crpix2,
    double cd11,
    double cd12,
    double cd21,
    double cd22) {

  /** The sky direction of a pixel position (1-based, as FITS counts). */
  public UnitVector3d pixelToSky(double x, double y) {
    double dx = x - crpix1;
    double dy = y - crpix2;
    double xi = Math.toRadians(cd11 * dx + cd12 * dy);
    double eta = Math.toRadians(cd21 * dx + cd22 * dy);
    double a0 = Math.toRadians(crval1);
    double d0 = Math.toRadians(crval2);
    // The tangent plane point (xi, eta) on the plane touching the sphere at (a0, d0).
    double cx = Math.cos(d0) * Math.cos(a0);
    double cy = Math.cos(d0) * Math.sin(a0);
    double cz = Math.sin(d0);
    double ex = -Math.sin(a0); // east
    double ey = Math.cos(a0);
    double nx = -Math.sin(d0) * Math.cos(a0); // north
    double ny = -Math.sin(d0) * Math.sin(a0);
    double nz = Math.cos(d0);
    return UnitVector3d.of(cx + xi * ex + eta * nx, cy + xi * ey + eta * ny, cz + eta * nz);
  }

  /**
   * The pixel position (1-based) of a sky direction.
   *
   * @throws IllegalArgumentException for a direction 90 degrees or more from the tangent point
   */
  public double[] skyToPixel(UnitVector3d v) {
    double a0 = Math.toRadians(crval1);
    double d0 = Math.toRadians(crval2);
    double cx = Math.cos(d0) * Math.cos(a0);
    double cy = Math.cos(d0) * Math.sin(a0);
    double cz = Math.sin(d0);
    double c = v.x() * cx + v.y() * cy + v.z() * cz;
    if (!(c > 0)) {
      throw new IllegalArgumentException("The direction is not on the projection's hemisphere.");
    }
    double xi = Math.toDegrees((v.x() * -Math.sin(a0) + v.y() * Math.cos(a0)) / c);
    double eta =
        Math.toDegrees(
            (v.x() * -Math.sin(d0) * Math.cos(a0)
                    + v.y() * -Math.sin(d0) * Math.sin(a0)
                    + v.z() * Math.cos(d0))
                / c);
    double det = cd11 * cd22 - cd12 * cd21;
    return new double[] {
      crpix1 + (cd22 * xi - cd12 * eta) / det, crpix2 + (-cd21 * xi + cd11 * eta) / det
    };
  }

  /**
   * The sky polygon of a pixel box, as obs_base makes detector regions: the corners of the box
   * {@code [1, width] x [1, height]} widened by half a pixel and {@code padding} pixels on every
   * side, mapped to the sky (their convex hull).
   */
  public ConvexPolygon boxRegion(int width, int height, double padding) {
    double lo = 0.5 - padding;
    double hx = width + 0.5 + padding;
    double hy = height + 0.5 + padding;
    return ConvexPolygon.convexHull(
        java.util.List.of(
            pixelToSky(lo, lo), pixelToSky(hx, lo), pixelToSky(hx, hy), pixelToSky(lo, hy)));
  }
}
