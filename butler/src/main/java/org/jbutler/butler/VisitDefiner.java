package org.jbutler.butler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jbutler.datastore.Header;
import org.jbutler.registry.Registry;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.region.ConvexPolygon;
import org.jbutler.schema.region.TanWcs;
import org.jbutler.schema.region.UnitVector3d;

/**
 * obs_base's define-visits with the one-to-one visit system: one visit per science exposure, with
 * sky regions from each raw's TAN WCS (obs_base's {@code computeVisitRegions}): every detector's
 * pixel box padded by {@value #PADDING} pixels becomes a {@code visit_detector_region}, and their
 * convex hull the visit's region.
 */
final class VisitDefiner {

  private VisitDefiner() {}

  /** obs_base's {@code ComputeVisitRegionsConfig.padding}, in pixels. */
  static final double PADDING = 250;

  /**
   * Defines one visit per science exposure of an instrument (daf_butler's one-to-one visit system):
   * visit records with the exposure's filter, day_obs, time and target, visit_definition and
   * visit_system_membership rows. Re-running adds only what is new.
   *
   * @param where an optional expression restricting the exposures
   * @return how many visits were new
   */
  static int define(Butler butler, String instrument, String where) {
    Registry registry = butler.registry();
    var u = registry.universe();
    String expression =
        "instrument = :instrument AND exposure.observation_type = 'science'"
            + (where == null || where.isBlank() ? "" : " AND (" + where + ")");
    List<DimensionRecord> exposures =
        registry
            .queryDimensionRecords(
                "exposure",
                org.jbutler.registry.DataQuery.where(expression)
                    .withBind(Map.of("instrument", instrument)))
            .toList();
    Map<Long, Map<Long, ConvexPolygon>> regions =
        detectorRegions(
            butler,
            instrument,
            exposures.stream().map(e -> (Long) e.value("id").orElseThrow()).toList());
    int[] added = {0};
    registry.transaction(
        () -> {
          registry.syncDimensionRecord(
              "visit_system",
              DimensionRecord.of(
                  u.element("visit_system"),
                  Map.of("instrument", instrument, "id", 0L, "name", "one-to-one")),
              false);
          for (DimensionRecord e : exposures) {
            Map<String, Object> v = new LinkedHashMap<>();
            long id = (Long) e.value("id").orElseThrow();
            v.put("instrument", instrument);
            v.put("id", id);
            v.put("name", e.value("obs_id").orElse(String.valueOf(id)));
            v.put("physical_filter", e.value("physical_filter").orElseThrow());
            v.put("day_obs", e.value("day_obs").orElseThrow());
            e.value("exposure_time").ifPresent(x -> v.put("exposure_time", x));
            e.value("target_name").ifPresent(x -> v.put("target_name", x));
            e.timespan().ifPresent(t -> v.put("timespan", t));
            Map<Long, ConvexPolygon> detectors = regions.getOrDefault(id, Map.of());
            if (!detectors.isEmpty()) {
              List<UnitVector3d> corners = new ArrayList<>();
              detectors.values().forEach(p -> corners.addAll(p.vertices()));
              v.put("region", ConvexPolygon.convexHull(corners));
            }
            if (registry.syncDimensionRecord(
                    "visit", DimensionRecord.of(u.element("visit"), v), false)
                == Registry.SyncOutcome.INSERTED) {
              added[0]++;
            }
            for (Map.Entry<Long, ConvexPolygon> d : detectors.entrySet()) {
              registry.syncDimensionRecord(
                  "visit_detector_region",
                  DimensionRecord.of(
                      u.element("visit_detector_region"),
                      Map.of(
                          "instrument",
                          instrument,
                          "visit",
                          id,
                          "detector",
                          d.getKey(),
                          "region",
                          d.getValue())),
                  false);
            }
            registry.syncDimensionRecord(
                "visit_definition",
                DimensionRecord.of(
                    u.element("visit_definition"),
                    Map.of("instrument", instrument, "visit", id, "exposure", id)),
                false);
            registry.syncDimensionRecord(
                "visit_system_membership",
                DimensionRecord.of(
                    u.element("visit_system_membership"),
                    Map.of("instrument", instrument, "visit_system", 0L, "visit", id)),
                false);
          }
        });
    return added[0];
  }

  /**
   * Per exposure and detector, the padded sky polygon of the raw's pixels, from the TAN WCS in its
   * header; exposures whose raws (in {@code <instrument>/raw/all}) carry no such WCS get none.
   */
  private static Map<Long, Map<Long, ConvexPolygon>> detectorRegions(
      Butler butler, String instrument, List<Long> exposures) {
    Map<Long, Map<Long, ConvexPolygon>> out = new LinkedHashMap<>();
    Registry registry = butler.registry();
    String run = instrument + "/raw/all";
    if (exposures.isEmpty()
        || registry.findDatasetType("raw").isEmpty()
        || registry.findCollection(run).isEmpty()) {
      return out;
    }
    List<DatasetRef> raws =
        registry
            .queryDatasets(
                "raw",
                List.of(run),
                org.jbutler.registry.DataQuery.where(
                        "instrument = :instrument AND exposure IN (:exposures)")
                    .withBind(Map.of("instrument", instrument, "exposures", exposures)))
            .toList();
    for (DatasetRef raw : raws) {
      DatasetRef metadata =
          new DatasetRef(
              raw.datasetType().makeComponent("metadata", "PropertyList"),
              raw.dataId(),
              raw.run(),
              raw.id());
      if (!(butler.get(metadata, Map.of()) instanceof Header h)) {
        continue;
      }
      Optional<TanWcs> wcs = tanWcs(h);
      int[] size = size(h);
      if (wcs.isEmpty() || size == null) {
        continue;
      }
      out.computeIfAbsent((Long) raw.dataId().value("exposure"), k -> new LinkedHashMap<>())
          .put(
              ((Number) raw.dataId().value("detector")).longValue(),
              wcs.get().boxRegion(size[0], size[1], PADDING));
    }
    return out;
  }

  /** The TAN WCS of a header (CTYPE1 ending in TAN, CRVAL/CRPIX/CD cards), if it has one. */
  static Optional<TanWcs> tanWcs(Header h) {
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
  private static int[] size(Header h) {
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
