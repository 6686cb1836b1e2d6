package org.jbutler.registry;

/** The query contract on a real PostgreSQL server (see {@link TestDatabases#postgres()}). */
class PostgresQueryTest extends QueryContractTest {

  @Override
  String newDatabaseUrl() throws Exception {
    return TestDatabases.postgres();
  }
}
