package org.jbutler.registry;

import java.sql.Connection;
import java.sql.SQLException;
import org.jooq.SQLDialect;

/** H2 (files or in memory): native UUIDs, row locks, no {@code ON CONFLICT DO NOTHING}. */
final class H2Dialect implements SqlDialect {

  static final H2Dialect INSTANCE = new H2Dialect();

  private H2Dialect() {}

  @Override
  public SQLDialect sql() {
    return SQLDialect.H2;
  }

  @Override
  public void configure(Connection c) throws SQLException {
    try (var s = c.createStatement()) {
      s.execute("SET LOCK_TIMEOUT 300000"); // as SQLite's busy timeout: wait, do not fail
    }
  }

  @Override
  public boolean insertIgnoresConflicts() {
    return false;
  }

  @Override
  public String toString() {
    return "H2";
  }
}
