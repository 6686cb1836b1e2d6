package org.jbutler.registry;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The query contract on H2. */
class H2QueryTest extends QueryContractTest {

  @TempDir Path dir;

  @Override
  String newDatabaseUrl() {
    return TestDatabases.h2(dir);
  }
}
