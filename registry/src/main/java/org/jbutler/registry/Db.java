package org.jbutler.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jbutler.schema.exceptions.ButlerException;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * One JDBC connection with its dialect: jOOQ for building SQL, a cache of prepared statements for
 * the hot paths (SQL rendered once by jOOQ, values always bound as parameters), and nested
 * transactions (the outermost commits, inner ones are savepoints).
 *
 * <p>Not thread-safe; {@link SqlRegistry} serialises access.
 */
final class Db implements AutoCloseable {

  /** Work that may throw {@link SQLException}. */
  @FunctionalInterface
  interface SqlWork<T> {
    T run() throws SQLException;
  }

  /** Reads one row. */
  @FunctionalInterface
  interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
  }

  private final Connection connection;
  private final SqlDialect dialect;
  private final DSLContext ctx;
  private final Map<String, PreparedStatement> statements = new HashMap<>();
  private final Map<String, String> rendered = new HashMap<>();
  private final List<Runnable> rollbackListeners = new ArrayList<>();

  /** Per open transaction level: actions to run if that level rolls back. */
  private final java.util.ArrayDeque<List<Runnable>> undo = new java.util.ArrayDeque<>();

  private int depth;

  /** The common skypix level whose overlap rows the repository keeps, or −1 (none). */
  private int overlapLevel = -1;

  void overlapLevel(int level) {
    this.overlapLevel = level;
  }

  int overlapLevel() {
    return overlapLevel;
  }

  /** Opens a second connection to the same database, for streamed reads; null when it cannot. */
  private final Supplier<Connection> readers;

  Db(Connection connection, SqlDialect dialect) {
    this(connection, dialect, null);
  }

  /**
   * @param readers opens another connection to the same database (streamed reads run on their own
   *     connection, so that a cursor left open never holds up this one); null for an in-memory
   *     database, which a second connection would not see
   */
  Db(Connection connection, SqlDialect dialect, Supplier<Connection> readers) {
    this.connection = connection;
    this.dialect = dialect;
    this.ctx = DSL.using(connection, dialect.sql());
    this.readers = readers;
  }

  /**
   * Whether a read can stream from its own connection: not for an in-memory database, and not
   * inside a transaction, whose uncommitted rows only this connection sees.
   */
  boolean canStream() {
    return readers != null && depth == 0;
  }

  /** A query's rows read one at a time from a connection of its own; close it when done. */
  interface Cursor extends AutoCloseable {
    /** The result set, positioned before the next row. */
    ResultSet resultSet();

    @Override
    void close();
  }

  /**
   * Runs a query on a new read connection with a fetch size (a server-side cursor on PostgreSQL,
   * SQLite's own stepping elsewhere), so that a million rows never sit in memory at once.
   */
  Cursor openCursor(String sql, List<?> params, int fetchSize) {
    Connection c = readers.get();
    try {
      boolean transaction = dialect.cursorsNeedTransaction();
      if (transaction) {
        c.setAutoCommit(false);
      }
      PreparedStatement ps = c.prepareStatement(sql);
      ps.setFetchSize(fetchSize);
      bind(ps, params.toArray());
      ResultSet rs = ps.executeQuery();
      return new Cursor() {
        private boolean closed;

        @Override
        public ResultSet resultSet() {
          return rs;
        }

        @Override
        public void close() {
          if (closed) {
            return;
          }
          closed = true;
          try (c) {
            rs.close();
            ps.close();
            if (transaction) {
              c.rollback(); // read only: nothing to keep
            }
          } catch (SQLException e) {
            throw new DataAccessException(e.getMessage(), e);
          }
        }
      };
    } catch (SQLException e) {
      try {
        c.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new DataAccessException(e.getMessage(), e);
    }
  }

  DSLContext ctx() {
    return ctx;
  }

  SqlDialect dialect() {
    return dialect;
  }

  Connection connection() {
    return connection;
  }

  /** Rows written to a table above which the planner's statistics are refreshed. */
  static final int BULK_ROWS = 10_000;

  /** Rows written in bulk calls inside the open transaction, by table. */
  private final java.util.Map<String, Long> pendingRows = new java.util.LinkedHashMap<>();

  /**
   * After {@code rows} rows were written to each of {@code tables}: refreshes those tables' planner
   * statistics when the write was a bulk one (inside a transaction, when it commits). A failure
   * here never fails the write that succeeded.
   */
  void bulkWritten(List<String> tables, long rows) {
    if (inTransaction()) {
      for (String t : tables) {
        pendingRows.merge(t, rows, Long::sum);
      }
      return;
    }
    refreshStatistics(java.util.Map.copyOf(asMap(tables, rows)));
  }

  private static java.util.Map<String, Long> asMap(List<String> tables, long rows) {
    java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
    tables.forEach(t -> m.put(t, rows));
    return m;
  }

  private void refreshStatistics(java.util.Map<String, Long> written) {
    for (var e : written.entrySet()) {
      if (e.getValue() < BULK_ROWS) {
        continue;
      }
      try {
        dialect.refreshStatistics(ctx(), e.getKey(), e.getValue());
      } catch (org.jooq.exception.DataAccessException ex) {
        org.slf4j.LoggerFactory.getLogger(Db.class)
            .debug(
                "Could not refresh the planner's statistics of {}: {}",
                e.getKey(),
                ex.getMessage());
      }
    }
  }

  /** Whether a transaction is open. */
  boolean inTransaction() {
    return depth > 0;
  }

  /**
   * Registers an action run after any rollback (to drop caches that may hold rolled-back state).
   */
  void onRollback(Runnable listener) {
    rollbackListeners.add(listener);
  }

  /** Registers an action to run if the current transaction level rolls back. */
  void onRollbackOfCurrent(Runnable action) {
    if (!undo.isEmpty()) {
      undo.peek().add(action);
    }
  }

  /** Renders a query once per key and remembers the SQL. */
  String sql(String key, Supplier<? extends Query> query) {
    return rendered.computeIfAbsent(key, k -> ctx.render(query.get()));
  }

  /**
   * Turns SQLite's foreign-key enforcement on or off for this connection. Only outside a
   * transaction (SQLite ignores the pragma inside one); callers that turn it off must check the
   * references themselves under the write lock.
   */
  void sqliteForeignKeys(boolean on) {
    if (depth > 0) {
      throw new IllegalStateException("foreign_keys cannot change inside a transaction");
    }
    run(
        () -> {
          try (var s = connection.createStatement()) {
            s.execute("PRAGMA foreign_keys=" + (on ? "ON" : "OFF"));
          }
          return null;
        });
  }

  /** Returns a prepared statement for SQL text, prepared once per connection. */
  PreparedStatement prepare(String sql) throws SQLException {
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = connection.prepareStatement(sql);
      statements.put(sql, ps);
    }
    return ps;
  }

  /** Binds values to parameters 1..n, converting UUIDs for the dialect. */
  void bind(PreparedStatement ps, Object... values) throws SQLException {
    for (int i = 0; i < values.length; i++) {
      bind(ps, i + 1, values[i]);
    }
  }

  void bind(PreparedStatement ps, int index, Object value) throws SQLException {
    if (value instanceof java.util.UUID id) {
      ps.setObject(index, dialect.toDb(id));
    } else if (value == null) {
      ps.setObject(index, null);
    } else {
      ps.setObject(index, value);
    }
  }

  /** Runs a prepared query and reads every row. */
  <T> List<T> query(String sql, List<?> params, RowReader<T> reader) {
    return run(
        () -> {
          PreparedStatement ps = prepare(sql);
          bind(ps, params.toArray());
          List<T> out = new ArrayList<>();
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(reader.read(rs));
            }
          }
          return out;
        });
  }

  /** Runs a prepared update and returns the row count. */
  int update(String sql, Object... params) {
    return run(
        () -> {
          PreparedStatement ps = prepare(sql);
          bind(ps, params);
          return ps.executeUpdate();
        });
  }

  /** Runs JDBC work, turning {@link SQLException} into jOOQ's unchecked exception. */
  <T> T run(SqlWork<T> work) {
    try {
      return work.run();
    } catch (SQLException e) {
      throw new DataAccessException(e.getMessage(), e);
    }
  }

  /**
   * Runs work in a transaction: the outermost call begins and commits, nested calls are savepoints.
   * On any exception the work's changes are rolled back and the exception rethrown.
   */
  <T> T transaction(Supplier<T> work) {
    if (depth == 0) {
      run(
          () -> {
            connection.setAutoCommit(false);
            return null;
          });
      depth++;
      undo.push(new ArrayList<>());
      pendingRows.clear();
      boolean committed = false;
      try {
        T result = work.get();
        run(
            () -> {
              connection.commit();
              return null;
            });
        committed = true;
        return result;
      } catch (RuntimeException | Error e) {
        rollbackQuietly(null, e);
        runUndo(e);
        throw e;
      } finally {
        undo.pop();
        depth--;
        try {
          connection.setAutoCommit(true);
        } catch (SQLException e) {
          // the connection is broken; the next statement reports it
        }
        var written = java.util.Map.copyOf(pendingRows);
        pendingRows.clear();
        if (committed) {
          refreshStatistics(written);
        }
      }
    }
    Savepoint savepoint = run(connection::setSavepoint);
    depth++;
    undo.push(new ArrayList<>());
    boolean released = false;
    try {
      T result = work.get();
      run(
          () -> {
            connection.releaseSavepoint(savepoint);
            return null;
          });
      released = true;
      return result;
    } catch (RuntimeException | Error e) {
      rollbackQuietly(savepoint, e);
      runUndo(e);
      throw e;
    } finally {
      List<Runnable> mine = undo.pop();
      if (released && !undo.isEmpty()) {
        undo.peek().addAll(mine); // the outer level may still roll back
      }
      depth--;
    }
  }

  /** Runs the current level's undo actions, newest first; their failures are suppressed. */
  private void runUndo(Throwable cause) {
    List<Runnable> actions = undo.peek();
    for (int i = actions.size() - 1; i >= 0; i--) {
      try {
        actions.get(i).run();
      } catch (RuntimeException e) {
        cause.addSuppressed(e);
      }
    }
    actions.clear();
  }

  private void rollbackQuietly(Savepoint savepoint, Throwable cause) {
    try {
      if (savepoint == null) {
        connection.rollback();
      } else {
        connection.rollback(savepoint);
      }
    } catch (SQLException e) {
      cause.addSuppressed(e);
    }
    rollbackListeners.forEach(Runnable::run);
  }

  @Override
  public void close() {
    try {
      for (PreparedStatement ps : statements.values()) {
        ps.close();
      }
      statements.clear();
      connection.close();
    } catch (SQLException e) {
      throw new ButlerException(
          ButlerException.Category.INTERNAL, "Cannot close the registry connection", e);
    }
  }
}
