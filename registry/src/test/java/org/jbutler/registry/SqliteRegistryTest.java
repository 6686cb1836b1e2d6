package org.jbutler.registry;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The registry contract on a SQLite file. */
class SqliteRegistryTest extends RegistryContractTest {

  @TempDir Path dir;

  @Override
  String newDatabaseUrl() {
    return TestDatabases.sqlite(dir);
  }
}
