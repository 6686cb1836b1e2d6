package org.jbutler.butler.testing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jbutler.butler.instrument.Instrument;
import org.jbutler.datastore.FitsIo;
import org.jbutler.datastore.Header;
import org.jbutler.registry.Registry;
import org.jbutler.schema.TimeScale;
import org.jbutler.schema.Times;
import org.jbutler.schema.dimensions.DimensionRecord;

/**
 * An instrument written in Java rather than YAML, loaded by its class name: it reads SimCam's raws
 * but numbers its exposures from the observation id ("SIM_123" is 7000123), and supplies its own
 * detector regions to define-visits (a square {@link #side} degrees around the pointing).
 */
public final class JavaCam implements Instrument {

  @Override
  public String name() {
    return "JavaCam";
  }

  @Override
  public void register(Registry r) {
    var u = r.universe();
    r.syncDimensionRecord(
        "instrument",
        DimensionRecord.of(
            u.element("instrument"), Map.of("name", name(), "detector_max", 8, "class_name", "")),
        false);
    for (int d = 0; d < 4; d++) {
      r.syncDimensionRecord(
          "detector",
          DimensionRecord.of(
              u.element("detector"),
              Map.of("instrument", name(), "id", d, "full_name", "J" + d, "purpose", "SCIENCE")),
          false);
    }
    for (String band : List.of("g", "r", "i")) {
      r.syncDimensionRecord(
          "physical_filter",
          DimensionRecord.of(
              u.element("physical_filter"),
              Map.of("instrument", name(), "name", "SimCam-" + band, "band", band)),
          false);
    }
  }

  @Override
  public List<RawInfo> read(Path file) {
    Header h = FitsIo.readHeader(file, 0);
    String obsId = (String) h.get("OBSID").orElseThrow();
    long begin = Times.parseIso((String) h.get("DATE-OBS").orElseThrow(), TimeScale.UTC);
    return List.of(
        new RawInfo(
            7_000_000L + Long.parseLong(obsId.replaceAll("\\D", "")),
            obsId,
            obsId,
            (Long) h.get("DETECTOR").orElseThrow(),
            (String) h.get("FILTER").orElseThrow(),
            (Double) h.get("EXPTIME").orElseThrow(),
            (String) h.get("IMAGETYP").orElseThrow(),
            "",
            begin,
            20260101,
            -1));
  }

  /** The side of detector {@code d}'s square, degrees. */
  public static double side(long detector) {
    return 0.01 * (detector + 1);
  }

  /** The square JavaCam gives a detector: {@link #side} degrees around CRVAL1/CRVAL2. */
  public static org.jbutler.schema.region.ConvexPolygon square(Header h, long detector) {
    double ra = ((Number) h.get("CRVAL1").orElseThrow()).doubleValue();
    double dec = ((Number) h.get("CRVAL2").orElseThrow()).doubleValue();
    double s = side(detector) / 2;
    return org.jbutler.schema.region.ConvexPolygon.convexHull(
        List.of(
            org.jbutler.schema.region.UnitVector3d.fromDegrees(ra - s, dec - s),
            org.jbutler.schema.region.UnitVector3d.fromDegrees(ra + s, dec - s),
            org.jbutler.schema.region.UnitVector3d.fromDegrees(ra + s, dec + s),
            org.jbutler.schema.region.UnitVector3d.fromDegrees(ra - s, dec + s)));
  }

  @Override
  public java.util.Optional<org.jbutler.schema.region.ConvexPolygon> detectorRegion(
      Header header, long exposure, long detector) {
    return java.util.Optional.of(square(header, detector));
  }
}
