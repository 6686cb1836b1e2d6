package org.jbutler.pipetask;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jbutler.butler.Butler;
import org.jbutler.butler.testing.TestCamera;
import org.jbutler.datastore.Box;
import org.jbutler.datastore.Header;
import org.jbutler.datastore.ImageF;
import org.jbutler.datastore.ImageI;
import org.jbutler.registry.Registry;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.Timespan;

/**
 * A small real repository: Cam1 with detectors 1-2, exposures 1-2 on night 1, 3 on night 2 and 4
 * (no raws) on night 2; raws in {@code raw/run}; a bias per detector certified in {@code calib} for
 * each night.
 */
public final class Cam1Repo {

  public static final long NIGHT1 = TestCamera.NIGHT1;
  public static final long NIGHT2 = TestCamera.NIGHT2;

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
    TestCamera.insert(r, 2);
    for (int e = 1; e <= 4; e++) {
      TestCamera.exposure(r, e, e <= 2 ? 1 : 2, e);
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
