package org.jbutler.pipetask;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jbutler.butler.Butler;
import org.jbutler.butler.testing.Records;
import org.jbutler.datastore.Box;
import org.jbutler.datastore.Header;
import org.jbutler.datastore.ImageF;
import org.jbutler.datastore.ImageI;
import org.jbutler.registry.Registry;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.Times;
import org.jbutler.schema.Timespan;

/**
 * A small real repository: Cam1 with detectors 1-2, exposures 1-2 on night 1, 3 on night 2 and 4
 * (no raws) on night 2; raws in {@code raw/run}; a bias per detector certified in {@code calib} for
 * each night.
 */
public final class Cam1Repo {

  public static final long NIGHT1 = Times.parseLiteral("2026-01-01T00:00:00");
  public static final long NIGHT2 = Times.parseLiteral("2026-01-02T00:00:00");

  private Cam1Repo() {}

  /**
   * Creates the repository under {@code root} and fills {@code bias} with "night/detector" keys.
   */
  public static Butler create(Path root, Map<String, DatasetRef> bias) {
    return create(root, bias, Map.of());
  }

  /** The same, with butler.yaml overrides (e.g. a PostgreSQL registry). */
  public static Butler create(
      Path root, Map<String, DatasetRef> bias, Map<String, Object> overrides) {
    Butler butler = Butler.create(root, overrides, null);
    Registry r = butler.registry();
    var u = r.universe();
    Records.insert(r, "instrument", Map.of("name", "Cam1"));
    Records.insert(r, "physical_filter", Map.of("instrument", "Cam1", "name", "r", "band", "r"));
    Records.insert(r, "day_obs", Map.of("instrument", "Cam1", "id", 20260101));
    Records.insert(r, "day_obs", Map.of("instrument", "Cam1", "id", 20260102));
    Records.insert(r, "group", Map.of("instrument", "Cam1", "name", "g"));
    for (int d = 1; d <= 2; d++) {
      Records.insert(r, "detector", Map.of("instrument", "Cam1", "id", d, "full_name", "D" + d));
    }
    for (int e = 1; e <= 4; e++) {
      long t = (e <= 2 ? NIGHT1 : NIGHT2) + 3_600_000_000_000L * e;
      Records.insert(
          r,
          "exposure",
          Map.of(
              "instrument",
              "Cam1",
              "id",
              e,
              "obs_id",
              "E" + e,
              "physical_filter",
              "r",
              "group",
              "g",
              "day_obs",
              e <= 2 ? 20260101 : 20260102,
              "timespan",
              Timespan.of(t, t + 30_000_000_000L)));
    }
    r.registerDatasetType(DatasetType.of("raw", u.group("exposure", "detector"), "ImageI"));
    r.registerDatasetType(DatasetType.calibration("bias", u.group("detector"), "ImageF"));
    for (int e = 1; e <= 3; e++) {
      for (int d = 1; d <= 2; d++) {
        butler.put(
            new ImageI(new Box(0, 0, 2, 1), new int[] {e, d}, new Header()),
            "raw",
            Map.of("instrument", "Cam1", "exposure", e, "detector", d),
            "raw/run");
      }
    }
    r.registerCollection("calib", CollectionType.CALIBRATION, null);
    for (int night = 1; night <= 2; night++) {
      List<DatasetRef> refs = new ArrayList<>();
      for (int d = 1; d <= 2; d++) {
        DatasetRef ref =
            butler.put(
                new ImageF(new Box(0, 0, 2, 1), new float[] {night, night}, new Header()),
                "bias",
                Map.of("instrument", "Cam1", "detector", d),
                "calib/night" + night);
        refs.add(ref);
        bias.put(night + "/" + d, ref);
      }
      r.certify("calib", refs, night == 1 ? Timespan.of(NIGHT1, NIGHT2) : Timespan.from(NIGHT2));
    }
    return butler;
  }
}
