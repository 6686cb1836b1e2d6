package org.jbutler.schema.region;

import java.util.ArrayList;
import java.util.List;

/**
 * The Hierarchical Triangular Mesh at one level (sphgeom's {@code HtmPixelization}): 8 root
 * triangles split 4 ways per level, so that level L indices lie in [8·4^L, 16·4^L) (htm7: [131072,
 * 262144)). An index is 4 bits of root (8–15: S0–S3, N0–N3) then 2 bits per level.
 *
 * <p>Points on trixel edges are placed with exact orientation tests, as sphgeom does; which of the
 * two neighbours a point exactly on a root boundary goes to follows the rule in {@link #index}.
 */
public final class HtmPixelization implements Pixelization {

  /** The deepest level (sphgeom's limit). */
  public static final int MAX_LEVEL = 24;

  private static final UnitVector3d X = UnitVector3d.X;
  private static final UnitVector3d Y = UnitVector3d.Y;
  private static final UnitVector3d Z = UnitVector3d.Z;

  /** Root triangles S0..S3, N0..N3, counter-clockwise seen from outside. */
  private static final UnitVector3d[][] ROOTS = {
    {X, Z.negate(), Y},
    {Y, Z.negate(), X.negate()},
    {X.negate(), Z.negate(), Y.negate()},
    {Y.negate(), Z.negate(), X},
    {X, Z, Y.negate()},
    {Y.negate(), Z, X.negate()},
    {X.negate(), Z, Y},
    {Y, Z, X},
  };

  private final int level;

  /** Levels whose edge midpoints are tabulated (8 · 4^L trixels each; 590 kB in all). */
  private static final int TABLE_LEVELS = 6;

  /**
   * Per level l below {@link #TABLE_LEVELS}, per trixel (index − 8·4^l): the normalised midpoints
   * m01, m12, m20 (9 doubles), computed once exactly as {@link #index} would, so that a descent
   * needs no square roots at those levels.
   */
  private static final double[][] MIDPOINTS = midpointTable();

  private static double[][] midpointTable() {
    double[][] table = new double[TABLE_LEVELS][];
    for (int l = 0; l < TABLE_LEVELS; l++) {
      table[l] = new double[9 * (8 << (2 * l))];
    }
    for (int r = 0; r < 8; r++) {
      fill(table, 0, r, ROOTS[r][0], ROOTS[r][1], ROOTS[r][2]);
    }
    return table;
  }

  private static void fill(
      double[][] table, int l, long offset, UnitVector3d v0, UnitVector3d v1, UnitVector3d v2) {
    UnitVector3d m01 = mid(v0, v1);
    UnitVector3d m12 = mid(v1, v2);
    UnitVector3d m20 = mid(v2, v0);
    int k = (int) (9 * offset);
    double[] t = table[l];
    t[k] = m01.x();
    t[k + 1] = m01.y();
    t[k + 2] = m01.z();
    t[k + 3] = m12.x();
    t[k + 4] = m12.y();
    t[k + 5] = m12.z();
    t[k + 6] = m20.x();
    t[k + 7] = m20.y();
    t[k + 8] = m20.z();
    if (l + 1 < TABLE_LEVELS) {
      fill(table, l + 1, offset * 4, v0, m01, m20);
      fill(table, l + 1, offset * 4 + 1, v1, m12, m01);
      fill(table, l + 1, offset * 4 + 2, v2, m20, m12);
      fill(table, l + 1, offset * 4 + 3, m12, m20, m01);
    }
  }

  /**
   * A pixelization at a level.
   *
   * @throws IllegalArgumentException outside 0–24
   */
  public HtmPixelization(int level) {
    if (level < 0 || level > MAX_LEVEL) {
      throw new IllegalArgumentException("HTM levels are 0 to 24, not " + level + ".");
    }
    this.level = level;
  }

  /** The level. */
  @Override
  public int level() {
    return level;
  }

  /** The level of an index, or −1 if it is not a valid HTM index at any level 0–24. */
  public static int level(long index) {
    if (index < 8) {
      return -1;
    }
    int msb = 63 - Long.numberOfLeadingZeros(index);
    if ((msb & 1) == 0) {
      return -1; // the root bits must start at an odd bit position
    }
    int l = (msb - 3) / 2;
    return l > MAX_LEVEL ? -1 : l;
  }

  /** The first index of this level (inclusive). */
  public long begin() {
    return 8L << (2 * level);
  }

  /** The end of this level's indices (exclusive). */
  public long end() {
    return 16L << (2 * level);
  }

  /**
   * The index of the trixel holding a point. A point exactly on a root boundary goes to the root
   * chosen by z &lt; 0 (south) or not, then by the signs of x and y with x &gt; 0 or y = 0 ties
   * going east.
   */
  @Override
  public long index(UnitVector3d v) {
    int root = root(v);
    // Components of the current trixel's vertices, kept in locals: no allocation per level.
    double x0 = ROOTS[root][0].x();
    double y0 = ROOTS[root][0].y();
    double z0 = ROOTS[root][0].z();
    double x1 = ROOTS[root][1].x();
    double y1 = ROOTS[root][1].y();
    double z1 = ROOTS[root][1].z();
    double x2 = ROOTS[root][2].x();
    double y2 = ROOTS[root][2].y();
    double z2 = ROOTS[root][2].z();
    double px = v.x();
    double py = v.y();
    double pz = v.z();
    long index = root + 8;
    for (int l = 0; l < level; l++) {
      double ax;
      double ay;
      double az;
      double bx;
      double by;
      double bz;
      double cx;
      double cy;
      double cz;
      if (l < TABLE_LEVELS) {
        double[] t = MIDPOINTS[l];
        int k = (int) (9 * (index - (8L << (2 * l))));
        ax = t[k];
        ay = t[k + 1];
        az = t[k + 2];
        bx = t[k + 3];
        by = t[k + 4];
        bz = t[k + 5];
        cx = t[k + 6];
        cy = t[k + 7];
        cz = t[k + 8];
      } else {
        // Edge midpoints, normalised exactly as UnitVector3d.of does (triangle() and the table
        // build the same).
        ax = x0 + x1;
        ay = y0 + y1;
        az = z0 + z1;
        double n = Math.sqrt(ax * ax + ay * ay + az * az);
        ax /= n;
        ay /= n;
        az /= n; // m01
        bx = x1 + x2;
        by = y1 + y2;
        bz = z1 + z2;
        n = Math.sqrt(bx * bx + by * by + bz * bz);
        bx /= n;
        by /= n;
        bz /= n; // m12
        cx = x2 + x0;
        cy = y2 + y0;
        cz = z2 + z0;
        n = Math.sqrt(cx * cx + cy * cy + cz * cz);
        cx /= n;
        cy /= n;
        cz /= n; // m20
      }
      int child;
      if (Orientation.ofUnit(ax, ay, az, cx, cy, cz, px, py, pz) >= 0) {
        child = 0; // (v0, m01, m20)
        x1 = ax;
        y1 = ay;
        z1 = az;
        x2 = cx;
        y2 = cy;
        z2 = cz;
      } else if (Orientation.ofUnit(bx, by, bz, ax, ay, az, px, py, pz) >= 0) {
        child = 1; // (v1, m12, m01)
        x0 = x1;
        y0 = y1;
        z0 = z1;
        x1 = bx;
        y1 = by;
        z1 = bz;
        x2 = ax;
        y2 = ay;
        z2 = az;
      } else if (Orientation.ofUnit(cx, cy, cz, bx, by, bz, px, py, pz) >= 0) {
        child = 2; // (v2, m20, m12)
        x0 = x2;
        y0 = y2;
        z0 = z2;
        x1 = cx;
        y1 = cy;
        z1 = cz;
        x2 = bx;
        y2 = by;
        z2 = bz;
      } else {
        child = 3; // (m12, m20, m01)
        x0 = bx;
        y0 = by;
        z0 = bz;
        x1 = cx;
        y1 = cy;
        z1 = cz;
        x2 = ax;
        y2 = ay;
        z2 = az;
      }
      index = (index << 2) | child;
    }
    return index;
  }

  private static int root(UnitVector3d v) {
    boolean south = v.z() < 0;
    double x = v.x();
    double y = v.y();
    int quadrant; // 0: x >= 0, y >= 0 (with x > 0 or y > 0) ... counted east from +X
    if (x > 0 && y >= 0) {
      quadrant = 0;
    } else if (x <= 0 && y > 0) {
      quadrant = 1;
    } else if (x < 0 && y <= 0) {
      quadrant = 2;
    } else if (x >= 0 && y < 0) {
      quadrant = 3;
    } else {
      quadrant = 0; // a pole
    }
    // South roots: S0 (+X,+Y), S1 (+Y,-X), S2 (-X,-Y), S3 (-Y,+X).
    // North roots: N3 (+Y,+X), N2 (-X,+Y), N1 (-Y,-X), N0 (+X,-Y).
    if (south) {
      return quadrant;
    }
    return switch (quadrant) {
      case 0 -> 7;
      case 1 -> 6;
      case 2 -> 5;
      default -> 4;
    };
  }

  private static UnitVector3d mid(UnitVector3d a, UnitVector3d b) {
    return UnitVector3d.of(a.x() + b.x(), a.y() + b.y(), a.z() + b.z());
  }

  /**
   * The trixel of an index as a polygon.
   *
   * @throws IllegalArgumentException if the index is not of this level
   */
  @Override
  public String system() {
    return "htm";
  }

  /** The trixel of an index (as {@link #triangle}). */
  @Override
  public ConvexPolygon pixel(long index) {
    return triangle(index);
  }

  public ConvexPolygon triangle(long index) {
    if (level(index) != level) {
      throw new IllegalArgumentException(
          "Index " + index + " is not an HTM index of level " + level + ".");
    }
    UnitVector3d[] t = vertices(index, level);
    return ConvexPolygon.of(t[0], t[1], t[2]);
  }

  private static UnitVector3d[] vertices(long index, int level) {
    int root = (int) (index >>> (2 * level)) - 8;
    UnitVector3d v0 = ROOTS[root][0];
    UnitVector3d v1 = ROOTS[root][1];
    UnitVector3d v2 = ROOTS[root][2];
    for (int l = level - 1; l >= 0; l--) {
      int child = (int) ((index >>> (2 * l)) & 3);
      UnitVector3d m01 = mid(v0, v1);
      UnitVector3d m12 = mid(v1, v2);
      UnitVector3d m20 = mid(v2, v0);
      switch (child) {
        case 0 -> {
          v1 = m01;
          v2 = m20;
        }
        case 1 -> {
          v0 = v1;
          v1 = m12;
          v2 = m01;
        }
        case 2 -> {
          v0 = v2;
          v1 = m20;
          v2 = m12;
        }
        default -> {
          v0 = m12;
          v1 = m20;
          v2 = m01;
        }
      }
    }
    return new UnitVector3d[] {v0, v1, v2};
  }

  /**
   * Half-open index ranges {@code [begin, end)} covering every trixel of this level that may
   * intersect the region (a superset: results must be filtered with the exact region), merged into
   * at most {@code maxRanges} ranges by filling the smallest gaps (sphgeom warns that fewer than 6
   * ranges gives poor coverings).
   */
  @Override
  public List<long[]> envelope(Region region, int maxRanges) {
    List<long[]> ranges = new ArrayList<>();
    for (int r = 0; r < 8; r++) {
      descend(region, ROOTS[r][0], ROOTS[r][1], ROOTS[r][2], r + 8, 0, ranges);
    }
    return Pixelization.coarsen(ranges, maxRanges);
  }

  private void descend(
      Region region,
      UnitVector3d v0,
      UnitVector3d v1,
      UnitVector3d v2,
      long index,
      int l,
      List<long[]> out) {
    if (Pixelization.settle(ConvexPolygon.of(v0, v1, v2).relate(region), index, l, level, out)) {
      return;
    }
    UnitVector3d m01 = mid(v0, v1);
    UnitVector3d m12 = mid(v1, v2);
    UnitVector3d m20 = mid(v2, v0);
    descend(region, v0, m01, m20, index << 2, l + 1, out);
    descend(region, v1, m12, m01, (index << 2) | 1, l + 1, out);
    descend(region, v2, m20, m12, (index << 2) | 2, l + 1, out);
    descend(region, m12, m20, m01, (index << 2) | 3, l + 1, out);
  }
}
