package org.jbutler.butler.testing;

import java.util.List;
import java.util.Map;
import org.jbutler.registry.Registry;
import org.jbutler.schema.dimensions.DimensionRecord;

/** Dimension records for test repositories, one line each. */
public final class Records {

  private Records() {}

  /** Inserts one record of an element. */
  public static void insert(Registry r, String element, Map<String, ?> values) {
    r.insertDimensionRecords(
        element, List.of(DimensionRecord.of(r.universe().element(element), values)));
  }

  /** Inserts instrument {@code name} and detectors 1..n named D1..Dn. */
  public static void instrumentWithDetectors(Registry r, String name, int n) {
    insert(r, "instrument", Map.of("name", name));
    for (int d = 1; d <= n; d++) {
      insert(r, "detector", Map.of("instrument", name, "id", d, "full_name", "D" + d));
    }
  }
}
