package org.jbutler.registry;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The query contract on Sqlite. */
class SqliteQueryTest extends QueryContractTest {

  @TempDir Path dir;

  @Override
  String newDatabaseUrl() {
    return TestDatabases.sqlite(dir);
  }
}
