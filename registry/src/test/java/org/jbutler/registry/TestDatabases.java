package org.jbutler.registry;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.concurrent.atomic.AtomicInteger;
import org.jbutler.testing.ExternalResources;

/** New, empty databases for the backend test suites. */
final class TestDatabases {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private TestDatabases() {}

  static String sqlite(Path dir) {
    return "jdbc:sqlite:" + dir.resolve("gen3.sqlite3");
  }

  static String h2(Path dir) {
    return "jdbc:h2:file:" + dir.resolve("registry");
  }

  /**
   * A new database on the PostgreSQL server whose admin URL {@code .ci/run} passes in {@code
   * JBUTLER_TEST_POSTGRES_URL}.
   */
  static String postgres() throws Exception {
    String admin =
        ExternalResources.requiredEnv(
            "JBUTLER_TEST_POSTGRES_URL",
            "run .ci/postgres DIR to start a server and export the URL it prints");
    String db = "jbutler_test_" + ProcessHandle.current().pid() + "_" + COUNTER.incrementAndGet();
    try (var c = DriverManager.getConnection(admin);
        var s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + db);
      s.execute("CREATE DATABASE " + db);
    }
    return admin.replaceFirst("/postgres\\?", "/" + db + "?");
  }
}
