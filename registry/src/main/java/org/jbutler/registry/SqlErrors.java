package org.jbutler.registry;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import org.jbutler.schema.DatastoreRecords;
import org.jbutler.schema.exceptions.ButlerException.Category;
import org.jbutler.schema.exceptions.DatabaseException;
import org.jooq.exception.DataAccessException;

/**
 * The one place that turns database failures into {@link DatabaseException}s with a category and a
 * message that says what to do. Inside the registry, jOOQ's {@link DataAccessException} is the
 * currency (the parts catch it to re-check after a concurrent writer, or to diagnose a refused
 * batch); {@link #guard} wraps the registry the factories hand out so that none escapes it, nor the
 * query results and datastore records it returns.
 */
final class SqlErrors {

  private SqlErrors() {}

  /** The registry with every escaping database failure translated. */
  static Registry guard(Registry registry) {
    return proxy(Registry.class, registry);
  }

  @SuppressWarnings("unchecked")
  private static <T> T proxy(Class<T> api, T target) {
    InvocationHandler h =
        (Object p, Method m, Object[] args) -> {
          Object out;
          try {
            out = m.invoke(target, args);
          } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof DataAccessException dae) {
              throw translate(dae);
            }
            throw cause;
          }
          if (out instanceof QueryResult<?> r && m.getReturnType() == QueryResult.class) {
            return proxy(QueryResult.class, r);
          }
          if (out instanceof DatastoreRecords r && m.getReturnType() == DatastoreRecords.class) {
            return proxy(DatastoreRecords.class, r);
          }
          return out;
        };
    return (T) Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, h);
  }

  /** The exception to throw for a failure jOOQ or JDBC reported. */
  static DatabaseException translate(DataAccessException e) {
    SQLException sql = e.getCause(SQLException.class);
    return translate(
        sql == null ? null : sql, e.sqlState(), sql == null ? e.getMessage() : null, e);
  }

  /** The exception to throw for a JDBC failure. */
  static DatabaseException translate(SQLException e) {
    return translate(e, e.getSQLState(), null, e);
  }

  private static DatabaseException translate(
      SQLException sql, String state, String fallbackMessage, Throwable cause) {
    String detail = sql != null ? sql.getMessage() : fallbackMessage;
    if (state == null || state.isEmpty()) {
      state = null;
    }
    Kind kind = sql != null && isSqlite(sql) ? sqliteKind(sql.getErrorCode()) : stateKind(state);
    if (kind == Kind.OTHER && detail != null) {
      kind = messageKind(detail);
    }
    return new DatabaseException(
        kind.category, kind.prefix + " (" + detail + ")" + kind.advice, state, cause);
  }

  /** What went wrong, with its category and advice. */
  enum Kind {
    BUSY(
        Category.INTERNAL,
        "The registry database is busy: another connection held its lock too long",
        "; try again, or look for a process that keeps a write transaction open."),
    READ_ONLY(
        Category.USER_ERROR,
        "The registry database cannot be written",
        "; check the file's (or the server user's) write permission, or work in a repository"
            + " you may write."),
    FULL(
        Category.INTERNAL,
        "The registry database could not write: its disk is full",
        "; free space and try again (the failed change was rolled back)."),
    DAMAGED(
        Category.DAMAGED,
        "The registry database is damaged",
        "; restore it from a backup (on SQLite, 'PRAGMA integrity_check' shows what is wrong)."),
    CONSTRAINT(
        Category.CONFLICT,
        "The registry refused a change that conflicts with what it holds",
        "; look at what is already recorded, or retry if a concurrent writer made the same"
            + " change."),
    CONNECTION(
        Category.INTERNAL,
        "The connection to the registry database was lost",
        "; check that the database server is running and reachable, then try again."),
    CONCURRENCY(
        Category.INTERNAL,
        "The registry database aborted a transaction that collided with a concurrent one",
        "; try again."),
    PERMISSION(
        Category.USER_ERROR,
        "The registry database refused this user",
        "; ask its administrator for the privilege, or connect as a user who has it."),
    IO(
        Category.INTERNAL,
        "The registry database could not read or write its files",
        "; check the disk and the file system, then try again."),
    OTHER(Category.INTERNAL, "The registry database failed a statement", ".");

    final Category category;
    final String prefix;
    final String advice;

    Kind(Category category, String prefix, String advice) {
      this.category = category;
      this.prefix = prefix;
      this.advice = advice;
    }
  }

  private static boolean isSqlite(SQLException e) {
    return e.getClass().getName().startsWith("org.sqlite.");
  }

  /** SQLite's primary result codes (sqlite-jdbc reports them as the vendor code). */
  static Kind sqliteKind(int code) {
    return switch (code & 0xff) {
      case 5, 6 -> Kind.BUSY; // SQLITE_BUSY, SQLITE_LOCKED
      case 8 -> Kind.READ_ONLY; // SQLITE_READONLY
      case 10, 14 -> Kind.IO; // SQLITE_IOERR, SQLITE_CANTOPEN
      case 11, 26 -> Kind.DAMAGED; // SQLITE_CORRUPT, SQLITE_NOTADB
      case 13 -> Kind.FULL; // SQLITE_FULL
      case 19 -> Kind.CONSTRAINT; // SQLITE_CONSTRAINT
      case 3, 23 -> Kind.PERMISSION; // SQLITE_PERM, SQLITE_AUTH
      default -> Kind.OTHER;
    };
  }

  /** SQLSTATEs as PostgreSQL and H2 report them. */
  static Kind stateKind(String state) {
    if (state == null || state.length() != 5) {
      return Kind.OTHER;
    }
    return switch (state) {
      case "25006", "90097" -> Kind.READ_ONLY; // read_only_sql_transaction; H2's read-only
      case "53100" -> Kind.FULL; // disk_full
      case "XX001", "XX002", "90030" -> Kind.DAMAGED; // data/index corrupted; H2's file corrupted
      case "40001", "40P01" -> Kind.CONCURRENCY; // serialization failure, deadlock
      case "55P03", "HYT00", "50200" -> Kind.BUSY; // lock not available; H2's lock timeout
      case "42501", "28000", "28P01" -> Kind.PERMISSION; // privilege, authorization
      case "58030" -> Kind.IO; // io_error
      default ->
          switch (state.substring(0, 2)) {
            case "23" -> Kind.CONSTRAINT;
            case "08", "57" -> Kind.CONNECTION; // connection exception, operator intervention
            case "53" -> Kind.FULL; // insufficient resources
            default -> Kind.OTHER;
          };
    };
  }

  /** For drivers that give no code: what the message says. */
  private static Kind messageKind(String message) {
    String m = message.toLowerCase(java.util.Locale.ROOT);
    if (m.contains("database is locked") || m.contains("database is busy")) {
      return Kind.BUSY;
    }
    if (m.contains("no space left") || m.contains("disk is full") || m.contains("disk full")) {
      return Kind.FULL;
    }
    if (m.contains("connection") && (m.contains("closed") || m.contains("refused"))) {
      return Kind.CONNECTION;
    }
    return Kind.OTHER;
  }
}
