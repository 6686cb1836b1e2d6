package org.jbutler.registry;

import java.sql.DriverManager;
import java.util.concurrent.atomic.AtomicInteger;
import org.jbutler.testing.ExternalResources;

/**
 * The registry contract on a real PostgreSQL server. {@code .ci/run} starts one and passes its
 * admin URL in {@code JBUTLER_TEST_POSTGRES_URL}; each test gets a new database.
 */
class PostgresRegistryTest extends RegistryContractTest {

  private static final AtomicInteger COUNTER = new AtomicInteger();

  @Override
  String newDatabaseUrl() throws Exception {
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
