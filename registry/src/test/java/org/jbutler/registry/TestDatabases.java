package org.jbutler.registry;

import java.nio.file.Path;
import org.jbutler.testing.ExternalResources;

/** New, empty databases for the backend test suites. */
final class TestDatabases {

  private TestDatabases() {}

  static String sqlite(Path dir) {
    return "jdbc:sqlite:" + dir.resolve("gen3.sqlite3");
  }

  static String h2(Path dir) {
    return "jdbc:h2:file:" + dir.resolve("registry");
  }

  /** A new database on the test PostgreSQL server (see {@link ExternalResources}). */
  static String postgres() throws Exception {
    return ExternalResources.newPostgresDatabase();
  }
}
