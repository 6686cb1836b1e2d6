package org.jbutler.registry;

import java.util.List;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.dimensions.DataCoordinate;

/**
 * A writer process for {@link SqliteMultiProcessTest}: opens the registry at {@code args[0]} and
 * inserts datasets of type {@code bias} for detectors {@code args[1]} .. {@code args[1] + args[2] -
 * 1} of Cam1 into RUN "shared", one transaction each, then adds its own TAGGED collection to the
 * chain "all".
 */
public final class ConcurrentWriterMain {

  private ConcurrentWriterMain() {}

  /** Runs the writer; exits non-zero on any failure. */
  public static void main(String[] args) {
    String url = args[0];
    int first = Integer.parseInt(args[1]);
    int count = Integer.parseInt(args[2]);
    try (Registry r = Registries.open(url)) {
      String mine = "tag" + first;
      r.registerCollection(mine, CollectionType.TAGGED, null);
      r.registerCollection("shared", CollectionType.RUN, null);
      for (int d = first; d < first + count; d++) {
        r.insertDatasets(
            "bias",
            List.of(DataCoordinate.ofRequired(r.universe().group("detector"), "Cam1", d)),
            "shared",
            DatasetIdGenerationMode.UNIQUE);
      }
      r.extendChain("all", List.of(mine));
    }
  }
}
