package org.jbutler.butler.testing;

import java.util.LinkedHashMap;
import java.util.Map;
import org.jbutler.registry.Registry;
import org.jbutler.schema.Times;
import org.jbutler.schema.Timespan;

/**
 * The test camera every repository test starts from: instrument {@code Cam1} with detectors 1..n
 * (full names D1..Dn), one physical filter {@code r} (band r), the nights 20260101 and 20260102,
 * one group {@code g}, and the exposures a test asks for.
 */
public final class TestCamera {

  /** The instrument's name. */
  public static final String NAME = "Cam1";

  /** The start of the first night (TAI). */
  public static final long NIGHT1 = Times.parseLiteral("2026-01-01T00:00:00");

  /** The start of the second night (TAI). */
  public static final long NIGHT2 = Times.parseLiteral("2026-01-02T00:00:00");

  private static final long HOUR = 3_600_000_000_000L;

  private TestCamera() {}

  /** Inserts the camera's records with {@code detectors} detectors. */
  public static void insert(Registry r, int detectors) {
    Records.insert(r, "instrument", Map.of("name", NAME));
    Records.insert(r, "physical_filter", Map.of("instrument", NAME, "name", "r", "band", "r"));
    Records.insert(r, "day_obs", Map.of("instrument", NAME, "id", 20260101));
    Records.insert(r, "day_obs", Map.of("instrument", NAME, "id", 20260102));
    Records.insert(r, "group", Map.of("instrument", NAME, "name", "g"));
    for (int d = 1; d <= detectors; d++) {
      Records.insert(r, "detector", Map.of("instrument", NAME, "id", d, "full_name", "D" + d));
    }
  }

  /**
   * Inserts exposure {@code id} (obs_id E{id}, filter r, group g) on night 1 or 2, starting {@code
   * hour} hours into the night and lasting 30 s; {@code hour < 0} leaves it without a timespan.
   */
  public static void exposure(Registry r, int id, int night, int hour) {
    Map<String, Object> v = new LinkedHashMap<>();
    v.put("instrument", NAME);
    v.put("id", id);
    v.put("obs_id", "E" + id);
    v.put("physical_filter", "r");
    v.put("group", "g");
    v.put("day_obs", night == 1 ? 20260101 : 20260102);
    if (hour >= 0) {
      long t = (night == 1 ? NIGHT1 : NIGHT2) + HOUR * hour;
      v.put("timespan", Timespan.of(t, t + 30_000_000_000L));
    }
    Records.insert(r, "exposure", v);
  }
}
