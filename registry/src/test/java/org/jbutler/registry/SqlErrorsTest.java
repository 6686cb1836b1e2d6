package org.jbutler.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jbutler.registry.SqlErrors.Kind;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.ButlerException;
import org.jbutler.schema.exceptions.ButlerException.Category;
import org.jbutler.schema.exceptions.DatabaseException;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Database failures leave the registry as {@link DatabaseException}s with a category and advice,
 * never as jOOQ's exceptions: the mapping of SQLite result codes and SQLSTATEs, and real faults (a
 * damaged SQLite file, a PostgreSQL connection killed by the server, a read-only database).
 */
class SqlErrorsTest {

  @TempDir Path dir;

  private final DimensionUniverse u = DimensionUniverse.defaultUniverse();

  @Test
  void sqliteResultCodesAndSqlStatesMapToCategories() {
    assertThat(SqlErrors.sqliteKind(5)).isEqualTo(Kind.BUSY);
    assertThat(SqlErrors.sqliteKind(8)).isEqualTo(Kind.READ_ONLY);
    assertThat(SqlErrors.sqliteKind(11)).isEqualTo(Kind.DAMAGED);
    assertThat(SqlErrors.sqliteKind(13)).isEqualTo(Kind.FULL);
    assertThat(SqlErrors.sqliteKind(19 | (8 << 8))).isEqualTo(Kind.CONSTRAINT); // extended
    assertThat(SqlErrors.sqliteKind(26)).isEqualTo(Kind.DAMAGED);
    assertThat(SqlErrors.stateKind("25006")).isEqualTo(Kind.READ_ONLY);
    assertThat(SqlErrors.stateKind("23505")).isEqualTo(Kind.CONSTRAINT);
    assertThat(SqlErrors.stateKind("57P01")).isEqualTo(Kind.CONNECTION);
    assertThat(SqlErrors.stateKind("08006")).isEqualTo(Kind.CONNECTION);
    assertThat(SqlErrors.stateKind("40P01")).isEqualTo(Kind.CONCURRENCY);
    assertThat(SqlErrors.stateKind("53100")).isEqualTo(Kind.FULL);
    assertThat(SqlErrors.stateKind("42P01")).isEqualTo(Kind.OTHER);
    assertThat(SqlErrors.stateKind(null)).isEqualTo(Kind.OTHER);
    DatabaseException e =
        SqlErrors.translate(
            new DataAccessException(
                "SQL [insert ...]; duplicate key",
                new SQLException("duplicate key value violates unique constraint", "23505")));
    assertThat(e.category()).isEqualTo(Category.CONFLICT);
    assertThat(e.sqlState()).contains("23505");
    assertThat(e.getMessage())
        .startsWith("The registry refused a change that conflicts with what it holds")
        .contains("duplicate key value violates unique constraint")
        .doesNotContain("SQL [");
  }

  /** Pages of the detector table overwritten: reading them is DAMAGED, not an internal error. */
  @Test
  void aDamagedSqliteFileIsReportedAsDamaged() throws Exception {
    String url = TestDatabases.sqlite(dir);
    try (Registry r = Registries.create(url, u)) {
      r.insertDimensionRecords("instrument", List.of(record("instrument", "name", "Cam1")));
      List<DimensionRecord> detectors = new ArrayList<>();
      for (int d = 0; d < 3000; d++) {
        detectors.add(
            DimensionRecord.of(
                u.element("detector"),
                Map.of(
                    "instrument",
                    "Cam1",
                    "id",
                    d,
                    "full_name",
                    "detector-with-a-long-name-" + d,
                    "purpose",
                    "SCIENCE")));
      }
      r.insertDimensionRecords("detector", detectors);
    }
    Path file = dir.resolve("gen3.sqlite3");
    assertThat(Files.exists(dir.resolve("gen3.sqlite3-wal"))).isFalse(); // checkpointed on close
    long size = Files.size(file);
    // The detector rows were written last: damage the second half of the file.
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      byte[] junk = new byte[(int) (size / 2)];
      Arrays.fill(junk, (byte) 0x5a);
      f.seek(size - junk.length);
      f.write(junk);
    }
    ButlerException thrown;
    try (Registry r = Registries.open(url)) {
      thrown =
          org.junit.jupiter.api.Assertions.assertThrows(
              ButlerException.class,
              () -> r.queryDimensionRecords("detector", DataQuery.all()).toList());
    } catch (ButlerException onOpen) {
      thrown = onOpen; // the damage reached a page that opening reads
    }
    assertThat(thrown).isInstanceOf(DatabaseException.class);
    assertThat(thrown.category()).isEqualTo(Category.DAMAGED);
    assertThat(thrown.getMessage())
        .startsWith("The registry database is damaged")
        .contains("integrity_check");
  }

  /** The server ends the registry's connection (an administrator, a restart, a failover). */
  @Test
  void aConnectionTheServerKillsIsReportedAsLost() throws Exception {
    String url = TestDatabases.postgres();
    try (Registry r = Registries.create(url, u)) {
      r.registerCollection("before", CollectionType.RUN, null);
      asAdmin(
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
              + database(url)
              + "' AND pid <> pg_backend_pid()");
      assertThatThrownBy(() -> r.registerCollection("after", CollectionType.RUN, null))
          .isInstanceOfSatisfying(
              DatabaseException.class,
              e -> {
                assertThat(e.category()).isEqualTo(Category.INTERNAL);
                assertThat(e.getMessage())
                    .startsWith("The connection to the registry database was lost")
                    .contains("server is running");
              });
    }
  }

  /** A database made read-only on the server: writing is the user's problem (exit 2). */
  @Test
  void aReadOnlyDatabaseIsAUserError() throws Exception {
    String url = TestDatabases.postgres();
    try (Registry r = Registries.create(url, u)) {
      r.registerCollection("before", CollectionType.RUN, null);
    }
    asAdmin("ALTER DATABASE " + database(url) + " SET default_transaction_read_only = on");
    try (Registry r = Registries.open(url)) {
      assertThat(r.collections()).containsExactly("before"); // reading still works
      assertThatThrownBy(() -> r.registerCollection("after", CollectionType.RUN, null))
          .isInstanceOfSatisfying(
              DatabaseException.class,
              e -> {
                assertThat(e.category()).isEqualTo(Category.USER_ERROR);
                assertThat(e.sqlState()).contains("25006");
                assertThat(e.getMessage()).startsWith("The registry database cannot be written");
              });
      assertThat(r.collections()).containsExactly("before");
    }
  }

  /** The database name in a test PostgreSQL URL. */
  private static String database(String url) {
    return url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
  }

  /** Runs a statement as the test server's administrator. */
  private static void asAdmin(String sql) throws SQLException {
    try (var admin = DriverManager.getConnection(System.getenv("JBUTLER_TEST_POSTGRES_URL"));
        var s = admin.createStatement()) {
      s.execute(sql);
    }
  }

  private DimensionRecord record(String element, Object... kv) {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return DimensionRecord.of(u.element(element), m);
  }
}
