package org.jbutler.butler;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jbutler.butler.instrument.Instrument;
import org.jbutler.butler.instrument.RawWcs;
import org.jbutler.datastore.Header;
import org.jbutler.registry.Registry;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.region.ConvexPolygon;
import org.jbutler.schema.region.UnitVector3d;

/**
 * obs_base's define-visits with the one-to-one visit system: one visit per science exposure, with
 * sky regions from each raw's TAN WCS (obs_base's {@code computeVisitRegions}): every detector's
 * pixel box padded by 250 pixels becomes a {@code visit_detector_region}, and their convex hull the
 * visit's region. An instrument may supply the detector regions ({@link
 * Instrument#detectorRegion}).
 */
final class VisitDefiner {

  private VisitDefiner() {}

  /**
   * Defines one visit per science exposure of an instrument (daf_butler's one-to-one visit system):
   * visit records with the exposure's filter, day_obs, time and target, visit_definition and
   * visit_system_membership rows. Re-running adds only what is new.
   *
   * @param definition the instrument, whose {@link Instrument#detectorRegion} gives the regions, or
   *     null for the raws' TAN WCS
   * @param where an optional expression restricting the exposures
   * @return how many visits were new
   */
  static int define(Butler butler, String instrument, Instrument definition, String where) {
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
            definition,
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
      Butler butler, String name, Instrument instrument, List<Long> exposures) {
    Map<Long, Map<Long, ConvexPolygon>> out = new LinkedHashMap<>();
    Registry registry = butler.registry();
    String run = name + "/raw/all";
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
                    .withBind(Map.of("instrument", name, "exposures", exposures)))
            .toList();
    for (DatasetRef raw : raws) {
      DatasetRef metadata = raw.makeComponentRef("metadata", "PropertyList");
      if (!(butler.get(metadata, Map.of()) instanceof Header h)) {
        continue;
      }
      long exposure = (Long) raw.dataId().value("exposure");
      long detector = ((Number) raw.dataId().value("detector")).longValue();
      Optional<ConvexPolygon> region =
          instrument == null
              ? RawWcs.paddedRegion(h)
              : instrument.detectorRegion(h, exposure, detector);
      region.ifPresent(
          r -> out.computeIfAbsent(exposure, k -> new LinkedHashMap<>()).put(detector, r));
    }
    return out;
  }
}
