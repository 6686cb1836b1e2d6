package org.jbutler.butler.instrument;

import java.util.Optional;
import org.jbutler.datastore.Header;
import org.jbutler.schema.region.ConvexPolygon;
import org.jbutler.schema.region.TanWcs;

/** The TAN WCS and science-pixel size a raw's header gives, for visit regions. */
public final class RawWcs {

  private RawWcs() {}

  /** obs_base's {@code ComputeVisitRegionsConfig.padding}, in pixels. */
  public static final double PADDING = 250;

  /**
   * The detector's pixel box padded by {@link #PADDING} pixels, through the header's TAN WCS
   * (obs_base's {@code computeVisitRegions}), or empty when the header has no TAN WCS or size.
   */
  public static Optional<ConvexPolygon> paddedRegion(Header h) {
    Optional<TanWcs> wcs = tanWcs(h);
    int[] size = size(h);
    if (wcs.isEmpty() || size == null) {
      return Optional.empty();
    }
    return Optional.of(wcs.get().boxRegion(size[0], size[1], PADDING));
  }

  /** The TAN WCS of a header (CTYPE1 ending in TAN, CRVAL/CRPIX/CD cards), if it has one. */
  public static Optional<TanWcs> tanWcs(Header h) {
    if (!String.valueOf(h.get("CTYPE1").orElse("")).endsWith("TAN")) {
      return Optional.empty();
    }
    double[] v = new double[8];
    String[] keys = {"CRVAL1", "CRVAL2", "CRPIX1", "CRPIX2", "CD1_1", "CD1_2", "CD2_1", "CD2_2"};
    for (int i = 0; i < keys.length; i++) {
      Object x = h.get(keys[i]).orElse(null);
      if (x == null && keys[i].startsWith("CD") && keys[i].charAt(2) != keys[i].charAt(4)) {
        x = 0.0; // an absent off-diagonal term is zero
      }
      if (!(x instanceof Number) && !(x instanceof String)) {
        return Optional.empty();
      }
      try {
        v[i] = x instanceof Number n ? n.doubleValue() : Double.parseDouble((String) x);
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
    return Optional.of(new TanWcs(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]));
  }

  /** The science pixels' size: DATASEC when given ({@code [1:w,1:h]}), else NAXIS1/NAXIS2. */
  static int[] size(Header h) {
    Object sec = h.get("DATASEC").orElse(null);
    if (sec instanceof String s) {
      java.util.regex.Matcher m =
          java.util.regex.Pattern.compile("\\[(\\d+):(\\d+),(\\d+):(\\d+)]").matcher(s.trim());
      if (m.matches()) {
        return new int[] {
          Integer.parseInt(m.group(2)) - Integer.parseInt(m.group(1)) + 1,
          Integer.parseInt(m.group(4)) - Integer.parseInt(m.group(3)) + 1
        };
      }
    }
    if (h.get("NAXIS1").orElse(null) instanceof Number w
        && h.get("NAXIS2").orElse(null) instanceof Number y) {
      return new int[] {w.intValue(), y.intValue()};
    }
    return null;
  }
}
