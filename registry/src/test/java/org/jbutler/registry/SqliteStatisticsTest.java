package org.jbutler.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SQLite gets planner statistics for tables written in bulk (at once, or when the transaction that
 * wrote them commits), and not for small writes; a rolled-back bulk write leaves none.
 */
class SqliteStatisticsTest {

  @TempDir Path dir;

  private final DimensionUniverse u = DimensionUniverse.defaultUniverse();

  private List<DimensionRecord> detectors(String instrument, int n) {
    List<DimensionRecord> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          DimensionRecord.of(
              u.element("detector"),
              Map.of("instrument", instrument, "id", i, "full_name", "d" + i)));
    }
    return out;
  }

  private static Map<String, String> stats(String url) throws Exception {
    Map<String, String> out = new java.util.HashMap<>();
    try (var c = DriverManager.getConnection(url);
        var s = c.createStatement();
        var exists =
            s.executeQuery("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")) {
      exists.next();
      if (exists.getInt(1) == 0) {
        return out;
      }
    }
    try (var c = DriverManager.getConnection(url);
        var s = c.createStatement();
        var rs = s.executeQuery("SELECT tbl, stat FROM sqlite_stat1")) {
      while (rs.next()) {
        out.put(rs.getString(1), rs.getString(2));
      }
    }
    return out;
  }

  @Test
  void bulkWritesAreAnalyzedSmallOnesAreNot() throws Exception {
    String url = TestDatabases.sqlite(dir);
    try (Registry r = Registries.create(url, u)) {
      for (String name : List.of("A", "B", "C")) {
        r.insertDimensionRecords(
            "instrument",
            List.of(DimensionRecord.of(u.element("instrument"), Map.of("name", name))));
      }
      r.insertDimensionRecords("detector", detectors("A", 500));
      assertThat(stats(url)).doesNotContainKey("detector");
      // A bulk write inside a transaction that rolls back: nothing analyzed.
      try {
        r.transaction(
            (Runnable)
                () -> {
                  r.insertDimensionRecords("detector", detectors("B", Db.BULK_ROWS));
                  throw new IllegalStateException("roll back");
                });
      } catch (IllegalStateException expected) {
        // rolled back
      }
      assertThat(stats(url)).doesNotContainKey("detector");
      // Committed: analyzed at the commit, with the table's row count.
      r.transaction(
          (Runnable)
              () -> {
                r.insertDimensionRecords("detector", detectors("B", Db.BULK_ROWS / 2));
                r.insertDimensionRecords("detector", detectors("C", Db.BULK_ROWS / 2));
              });
      assertThat(stats(url).get("detector")).startsWith((500 + Db.BULK_ROWS) + " ");
    }
  }
}
