package org.jbutler.schema.region;

import java.util.ArrayList;
import java.util.List;

/**
 * HEALPix in the nested scheme (Górski et al. 2005), levels 0–17 as in daf_butler's universe
 * ({@code healpix<level>}, nside = 2<sup>level</sup>), as sphgeom's {@code HealpixPixelization}
 * over hpgeom gives it. Indices run over {@code [0, 12·nside²)}; the children of pixel {@code i}
 * are {@code 4i … 4i+3} at the next level.
 *
 * <p>HEALPix pixel edges are not great circles, so {@link #pixel} (the polygon of the four corners,
 * as sphgeom returns it) is an approximation; {@link #envelope} bounds each pixel by a circle that
 * holds all of it, so the envelope is a true superset.
 */
public final class HealpixPixelization implements Pixelization {

  /** The deepest level daf_butler's universe declares. */
  public static final int MAX_LEVEL = 17;

  // The ring and longitude offsets of the 12 base pixels (HEALPix's jrll and jpll).
  private static final int[] JRLL = {2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4};
  private static final int[] JPLL = {1, 3, 5, 7, 0, 2, 4, 6, 1, 3, 5, 7};

  /** Boundary samples per pixel edge when bounding a pixel by a circle. */
  private static final int EDGE_SAMPLES = 8;

  /**
   * Relative margin on a pixel's bounding radius: the edges bend between samples by far less (the
   * property test checks that every point lies in its pixel's circle).
   */
  private static final double RADIUS_MARGIN = 1.05;

  private final int level;
  private final long nside;

  /**
   * A HEALPix pixelization at one level.
   *
   * @throws IllegalArgumentException for a level outside 0–17
   */
  public HealpixPixelization(int level) {
    if (level < 0 || level > MAX_LEVEL) {
      throw new IllegalArgumentException(
          "HEALPix level must be in 0-" + MAX_LEVEL + ", not " + level + ".");
    }
    this.level = level;
    this.nside = 1L << level;
  }

  @Override
  public String system() {
    return "healpix";
  }

  @Override
  public int level() {
    return level;
  }

  /** nside = 2<sup>level</sup>. */
  public long nside() {
    return nside;
  }

  /** The number of pixels, 12·nside². */
  public long size() {
    return 12 * nside * nside;
  }

  @Override
  public long index(UnitVector3d v) {
    double z = v.z();
    double za = Math.abs(z);
    double tt = Math.atan2(v.y(), v.x()) / (0.5 * Math.PI);
    if (tt < 0) {
      tt += 4;
    }
    if (tt >= 4) {
      tt -= 4;
    }
    long ix;
    long iy;
    long face;
    if (za <= 2.0 / 3.0) {
      // Equatorial belt: the pixel lies between ascending and descending edge lines.
      double t1 = nside * (0.5 + tt);
      double t2 = nside * (z * 0.75);
      long jp = (long) (t1 - t2);
      long jm = (long) (t1 + t2);
      long ifp = jp >> level;
      long ifm = jm >> level;
      face = ifp == ifm ? (ifp | 4) : ifp < ifm ? ifp : ifm + 8;
      ix = jm & (nside - 1);
      iy = nside - (jp & (nside - 1)) - 1;
    } else {
      // Polar caps; near the poles sin(theta) from x and y keeps the precision 1 - |z| loses.
      int ntt = Math.min(3, (int) tt);
      double tp = tt - ntt;
      double tmp =
          za < 0.99
              ? nside * Math.sqrt(3 * (1 - za))
              : nside * Math.hypot(v.x(), v.y()) / Math.sqrt((1 + za) / 3);
      long jp = Math.min((long) (tp * tmp), nside - 1);
      long jm = Math.min((long) ((1 - tp) * tmp), nside - 1);
      if (z >= 0) {
        face = ntt;
        ix = nside - jm - 1;
        iy = nside - jp - 1;
      } else {
        face = ntt + 8;
        ix = jp;
        iy = jm;
      }
    }
    return (face << (2 * level)) + spread(ix) + (spread(iy) << 1);
  }

  /** The centre of a pixel. */
  public UnitVector3d center(long index) {
    check(index);
    long[] xyf = xyf(index, level);
    return location((xyf[0] + 0.5) / nside, (xyf[1] + 0.5) / nside, (int) xyf[2]);
  }

  /** The pixel's four corners (north, west, south, east), as hpgeom's boundaries with step 1. */
  public List<UnitVector3d> corners(long index) {
    check(index);
    long[] xyf = xyf(index, level);
    double x = xyf[0];
    double y = xyf[1];
    int f = (int) xyf[2];
    return List.of(
        location((x + 1) / nside, (y + 1) / nside, f),
        location(x / nside, (y + 1) / nside, f),
        location(x / nside, y / nside, f),
        location((x + 1) / nside, y / nside, f));
  }

  /** The polygon of the pixel's four corners (sphgeom's {@code pixel}; see the class note). */
  @Override
  public ConvexPolygon pixel(long index) {
    return ConvexPolygon.convexHull(corners(index));
  }

  /** A circle that holds every point of the pixel (its centre and its farthest boundary point). */
  public Circle boundingCircle(long index) {
    check(index);
    return bound(index, level);
  }

  @Override
  public List<long[]> envelope(Region region, int maxRanges) {
    List<long[]> ranges = new ArrayList<>();
    for (long f = 0; f < 12; f++) {
      descend(region, f, 0, ranges);
    }
    return Pixelization.coarsen(ranges, maxRanges);
  }

  private void descend(Region region, long index, int l, List<long[]> out) {
    if (Pixelization.settle(bound(index, l).relate(region), index, l, level, out)) {
      return;
    }
    for (long c = 0; c < 4; c++) {
      descend(region, (index << 2) | c, l + 1, out);
    }
  }

  private static Circle bound(long index, int level) {
    long n = 1L << level;
    long[] xyf = xyf(index, level);
    int f = (int) xyf[2];
    UnitVector3d c = location((xyf[0] + 0.5) / n, (xyf[1] + 0.5) / n, f);
    double far = 0;
    for (int s = 0; s < EDGE_SAMPLES; s++) {
      double t = (double) s / EDGE_SAMPLES;
      double[][] edge = {
        {xyf[0] + t, xyf[1]},
        {xyf[0] + 1, xyf[1] + t},
        {xyf[0] + 1 - t, xyf[1] + 1},
        {xyf[0], xyf[1] + 1 - t}
      };
      for (double[] p : edge) {
        far = Math.max(far, c.angleTo(location(p[0] / n, p[1] / n, f)));
      }
    }
    return Circle.of(c, Math.min(Math.PI, far * RADIUS_MARGIN + 1e-12));
  }

  private void check(long index) {
    if (index < 0 || index >= size()) {
      throw new IllegalArgumentException(
          "Index "
              + index
              + " is not a HEALPix index of level "
              + level
              + " (nested, 0 to "
              + (size() - 1)
              + ").");
    }
  }

  /** Nested index → (x, y, face). */
  private static long[] xyf(long index, int level) {
    long face = index >>> (2 * level);
    long rest = index & ((1L << (2 * level)) - 1);
    return new long[] {compact(rest), compact(rest >>> 1), face};
  }

  /**
   * The point at face coordinates (x, y) in [0, 1]² of a base pixel (HEALPix's {@code xyf2loc}),
   * with sin(theta) computed directly near the poles.
   */
  private static UnitVector3d location(double x, double y, int face) {
    double jr = JRLL[face] - x - y;
    double nr;
    double z;
    double sth = Double.NaN;
    if (jr < 1) {
      nr = jr;
      double tmp = nr * nr / 3;
      z = 1 - tmp;
      if (z > 0.99) {
        sth = Math.sqrt(tmp * (2 - tmp));
      }
    } else if (jr > 3) {
      nr = 4 - jr;
      double tmp = nr * nr / 3;
      z = tmp - 1;
      if (z < -0.99) {
        sth = Math.sqrt(tmp * (2 - tmp));
      }
    } else {
      nr = 1;
      z = (2 - jr) * 2 / 3;
    }
    if (Double.isNaN(sth)) {
      sth = Math.sqrt((1 - z) * (1 + z));
    }
    double tmp = JPLL[face] * nr + x - y;
    if (tmp < 0) {
      tmp += 8;
    }
    if (tmp >= 8) {
      tmp -= 8;
    }
    double phi = nr < 1e-15 ? 0 : (0.25 * Math.PI * tmp) / nr;
    return UnitVector3d.of(sth * Math.cos(phi), sth * Math.sin(phi), z);
  }

  /** Spreads the low 32 bits of v onto the even bits. */
  private static long spread(long v) {
    v &= 0xFFFFFFFFL;
    v = (v | (v << 16)) & 0x0000FFFF0000FFFFL;
    v = (v | (v << 8)) & 0x00FF00FF00FF00FFL;
    v = (v | (v << 4)) & 0x0F0F0F0F0F0F0F0FL;
    v = (v | (v << 2)) & 0x3333333333333333L;
    v = (v | (v << 1)) & 0x5555555555555555L;
    return v;
  }

  /** Gathers the even bits of v (the inverse of {@link #spread}). */
  private static long compact(long v) {
    v &= 0x5555555555555555L;
    v = (v | (v >>> 1)) & 0x3333333333333333L;
    v = (v | (v >>> 2)) & 0x0F0F0F0F0F0F0F0FL;
    v = (v | (v >>> 4)) & 0x00FF00FF00FF00FFL;
    v = (v | (v >>> 8)) & 0x0000FFFF0000FFFFL;
    v = (v | (v >>> 16)) & 0x00000000FFFFFFFFL;
    return v;
  }
}
