package org.jbutler.registry;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The registry contract on an H2 database file. */
class H2RegistryTest extends RegistryContractTest {

  @TempDir Path dir;

  @Override
  String newDatabaseUrl() {
    return TestDatabases.h2(dir);
  }
}
