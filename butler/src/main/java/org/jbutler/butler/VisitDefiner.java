package org.jbutler.butler;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbutler.registry.Registry;
import org.jbutler.schema.dimensions.DimensionRecord;

/** obs_base's define-visits with the one-to-one visit system: one visit per science exposure. */
final class VisitDefiner {

  private VisitDefiner() {}

  /**
   * Defines one visit per science exposure of an instrument (daf_butler's one-to-one visit system):
   * visit records with the exposure's filter, day_obs, time and target, visit_definition and
   * visit_system_membership rows. Re-running adds only what is new.
   *
   * @param where an optional expression restricting the exposures
   * @return how many visits were new
   */
  static int define(Registry registry, String instrument, String where) {
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
            if (registry.syncDimensionRecord(
                    "visit", DimensionRecord.of(u.element("visit"), v), false)
                == Registry.SyncOutcome.INSERTED) {
              added[0]++;
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
}
