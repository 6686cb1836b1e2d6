package org.jbutler.schema.region;

import java.util.ArrayList;
import java.util.List;

/**
 * A hierarchical pixelization of the sphere at one level (sphgeom's {@code Pixelization}): the
 * pixel of a point, a pixel as a region, and the pixels that may overlap a region as half-open
 * index ranges.
 */
public sealed interface Pixelization permits HtmPixelization, HealpixPixelization {

  /** The system's name in the dimension universe ({@code htm}, {@code healpix}). */
  String system();

  /** The level (htm7: 7; healpix11: 11). */
  int level();

  /** The index of the pixel holding a point. */
  long index(UnitVector3d v);

  /**
   * A pixel as a region: exact for HTM (a spherical triangle); for HEALPix the polygon of the four
   * corners, as sphgeom gives it (HEALPix edges are not great circles, so use {@link #envelope} for
   * anything that must be conservative).
   *
   * @throws IllegalArgumentException if the index is not a pixel of this level
   */
  Region pixel(long index);

  /**
   * Half-open index ranges {@code [begin, end)} covering every pixel of this level that may
   * intersect the region (a superset), merged into at most {@code maxRanges} ranges by filling the
   * smallest gaps.
   */
  List<long[]> envelope(Region region, int maxRanges);

  /**
   * The pixelization named by a skypix system and level.
   *
   * @throws IllegalArgumentException for an unknown system or a level out of its range
   */
  static Pixelization of(String system, int level) {
    return switch (system) {
      case "htm" -> new HtmPixelization(level);
      case "healpix" -> new HealpixPixelization(level);
      default ->
          throw new IllegalArgumentException(
              "Unknown sky pixelization system '" + system + "'; known: htm, healpix.");
    };
  }

  /**
   * One step of an envelope's descent through pixel {@code index} of level {@code l}: stops (true)
   * when the pixel's bound is disjoint from the region (nothing added) or within it or at the
   * target level (the pixel's whole range at {@code level} added); otherwise the caller descends.
   *
   * @param rel how the pixel's bound relates to the region
   */
  static boolean settle(Relationship rel, long index, int l, int level, List<long[]> out) {
    if (rel.disjoint()) {
      return true;
    }
    if (rel.within() || l == level) {
      int shift = 2 * (level - l);
      addRange(out, index << shift, (index + 1) << shift);
      return true;
    }
    return false;
  }

  /** Appends {@code [begin, end)} to sorted ranges, merging it with the last when they touch. */
  static void addRange(List<long[]> out, long begin, long end) {
    if (!out.isEmpty() && out.get(out.size() - 1)[1] == begin) {
      out.get(out.size() - 1)[1] = end;
    } else {
      out.add(new long[] {begin, end});
    }
  }

  /** Merges sorted ranges into at most {@code max} by repeatedly filling the smallest gap. */
  static List<long[]> coarsen(List<long[]> ranges, int max) {
    List<long[]> r = new ArrayList<>(ranges);
    int limit = Math.max(1, max);
    while (r.size() > limit) {
      int best = 0;
      long gap = Long.MAX_VALUE;
      for (int i = 0; i + 1 < r.size(); i++) {
        long g = r.get(i + 1)[0] - r.get(i)[1];
        if (g < gap) {
          gap = g;
          best = i;
        }
      }
      r.get(best)[1] = r.get(best + 1)[1];
      r.remove(best + 1);
    }
    return r;
  }
}
