package org.jbutler.butler.transfer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbutler.schema.TimeScale;
import org.jbutler.schema.Times;

/**
 * daf_butler's import migrations for export files written with older dimension universes (its YAML
 * import backend), applied to the file's dimension entries before they are imported:
 *
 * <ul>
 *   <li>before 1: {@code visit.seeing} is dropped, and {@code visit.day_obs} is the TAI date of the
 *       visit's start;
 *   <li>before 2: {@code visit.visit_system} becomes a {@code visit_system_membership} record;
 *   <li>before 6: {@code exposure.group_name} (and {@code group_id}) become {@code group} records
 *       and the exposure's {@code group}, and the {@code day_obs} values of exposures and visits
 *       become {@code day_obs} records (with no timespans, as daf_butler makes them when the
 *       instrument gives no day offset).
 * </ul>
 */
final class UniverseMigrations {

  private UniverseMigrations() {}

  /**
   * Migrates the dimension entries of an export's data in place, adding entries for the records the
   * old universe did not have.
   *
   * @return notes for the log (what was synthesized)
   */
  @SuppressWarnings("unchecked")
  static List<String> migrate(int version, List<Map<String, Object>> data) {
    List<String> notes = new ArrayList<>();
    Map<String, List<Map<String, Object>>> rows = new LinkedHashMap<>();
    for (Map<String, Object> e : data) {
      if ("dimension".equals(e.get("type")) && e.get("records") instanceof List<?> l) {
        rows.computeIfAbsent(String.valueOf(e.get("element")), k -> new ArrayList<>())
            .addAll((List<Map<String, Object>>) l);
      }
    }
    List<Map<String, Object>> visits = rows.getOrDefault("visit", List.of());
    List<Map<String, Object>> exposures = rows.getOrDefault("exposure", List.of());
    if (version < 1) {
      for (Map<String, Object> v : visits) {
        v.remove("seeing");
        Object begin = v.get("datetime_begin");
        if (!v.containsKey("day_obs") && begin != null) {
          String iso = Times.formatIso(ExportFormat.nanos(begin, 0), TimeScale.TAI, 0);
          v.put("day_obs", Integer.parseInt(iso.substring(0, 10).replace("-", "")));
        }
      }
    }
    if (version < 2) {
      List<Map<String, Object>> memberships = new ArrayList<>();
      for (Map<String, Object> v : visits) {
        Object system = v.remove("visit_system");
        if (system != null) {
          memberships.add(
              row("instrument", v.get("instrument"), "visit_system", system, "visit", v.get("id")));
        }
      }
      add(data, "visit_system_membership", memberships, notes);
    }
    if (version < 6) {
      Map<List<Object>, Map<String, Object>> groups = new LinkedHashMap<>();
      for (Map<String, Object> x : exposures) {
        Object name = x.remove("group_name");
        x.remove("group_id");
        if (name != null) {
          x.put("group", name);
          groups.putIfAbsent(
              List.of(x.get("instrument"), name),
              row("instrument", x.get("instrument"), "name", name));
        }
      }
      add(data, "group", new ArrayList<>(groups.values()), notes);
      Map<List<Object>, Map<String, Object>> days = new LinkedHashMap<>();
      for (List<Map<String, Object>> list : List.of(exposures, visits)) {
        for (Map<String, Object> x : list) {
          Object day = x.get("day_obs");
          if (day != null) {
            days.putIfAbsent(
                List.of(x.get("instrument"), day),
                row("instrument", x.get("instrument"), "id", day));
          }
        }
      }
      if (!days.isEmpty()) {
        notes.add("Constructing day_obs records with no timespans.");
      }
      add(data, "day_obs", new ArrayList<>(days.values()), notes);
    }
    return notes;
  }

  private static void add(
      List<Map<String, Object>> data,
      String element,
      List<Map<String, Object>> records,
      List<String> notes) {
    if (records.isEmpty()) {
      return;
    }
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("type", "dimension");
    e.put("element", element);
    e.put("records", records);
    data.add(e);
    notes.add("Made " + records.size() + " " + element + " record(s) from the old universe's.");
  }

  private static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
