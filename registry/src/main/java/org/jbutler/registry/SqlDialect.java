package org.jbutler.registry;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;

/**
 * What differs between the databases a registry can live in: one implementation per database
 * ({@link SqliteDialect}, {@link H2Dialect}, {@link PostgresDialect}). A new backend is one more
 * implementation and a subclass of the contract tests; nothing else branches on the database.
 */
interface SqlDialect {

  /** jOOQ's dialect, for rendering SQL. */
  SQLDialect sql();

  /** Chooses the dialect from a JDBC URL. */
  static SqlDialect fromUrl(String url) {
    String u = url.toLowerCase(Locale.ROOT);
    if (u.startsWith("jdbc:sqlite:")) {
      return SqliteDialect.INSTANCE;
    }
    if (u.startsWith("jdbc:h2:")) {
      return H2Dialect.INSTANCE;
    }
    if (u.startsWith("jdbc:postgresql:")) {
      return PostgresDialect.INSTANCE;
    }
    throw new InvalidConfigException(
        "Unsupported registry URL '"
            + Registries.redact(url)
            + "': use jdbc:sqlite:FILE, jdbc:h2:... or jdbc:postgresql://HOST/DB.");
  }

  // ---------------------------------------------------------------- connections

  /**
   * Checks the database before the writing connection opens it (which may change it), so that a
   * database jbutler does not recognise is never modified.
   *
   * @param forCreate true when a registry is about to be created there
   */
  default void probe(String url, boolean forCreate) {}

  /** The JDBC connection properties. */
  default Properties connectionProperties() {
    return new Properties();
  }

  /** Session settings run on every new connection. */
  default void configure(Connection c) throws SQLException {}

  /**
   * Refreshes a table's query-planner statistics after {@code rows} rows were written to it in bulk
   * (SQLite plans joins of unanalyzed tables blindly: a spatial join over a million regions took
   * minutes instead of seconds). The default does nothing (PostgreSQL's autovacuum keeps its own;
   * H2 keeps its selectivity itself).
   */
  default void refreshStatistics(DSLContext ctx, String table, long rows) {}

  /** Run once before a registry's tables are created (extensions, ...). */
  default void beforeCreate(DSLContext ctx, String url) {}

  // ---------------------------------------------------------------- values

  /** The column type of dataset UUIDs: native where the database has one. */
  default DataType<?> uuidType() {
    return SQLDataType.UUID;
  }

  /** Whether UUID columns hold text (read back as strings, not UUID objects). */
  default boolean uuidsAsText() {
    return false;
  }

  /**
   * Whether a cursor streams rows only inside a transaction (PostgreSQL's JDBC driver reads every
   * row at once in auto-commit mode); SQLite and H2 step through results as they are read.
   */
  default boolean cursorsNeedTransaction() {
    return false;
  }

  /** Converts a UUID to the value stored in a UUID column. */
  default Object toDb(UUID id) {
    return id;
  }

  /** Converts a stored UUID column value back to a UUID. */
  default UUID fromDb(Object value) {
    if (value instanceof UUID u) {
      return u;
    }
    String s = value.toString();
    if (s.length() == 32) {
      s =
          s.substring(0, 8)
              + "-"
              + s.substring(8, 12)
              + "-"
              + s.substring(12, 16)
              + "-"
              + s.substring(16, 20)
              + "-"
              + s.substring(20);
    }
    return UUID.fromString(s);
  }

  // ---------------------------------------------------------------- schema

  /** Table options for tables keyed by UUID ({@code WITHOUT ROWID} on SQLite), or "". */
  default String clusteredTableOptions() {
    return "";
  }

  /**
   * Adds what the database can enforce of "no two certifications of one data ID overlap in time" to
   * a calibs table, beyond the registry's own check (PostgreSQL: an exclusion constraint).
   *
   * @param keys the table's data ID key columns (collection, dataset type, dimensions)
   */
  default void addCalibrationExclusion(DSLContext ctx, Name table, List<Field<?>> keys) {}

  // ---------------------------------------------------------------- writing

  /** Whether {@code SELECT ... FOR UPDATE} locks rows (else a writer holds the whole database). */
  default boolean hasRowLocks() {
    return true;
  }

  /** Whether {@code INSERT ... ON CONFLICT DO NOTHING} is available and safe under concurrency. */
  default boolean insertIgnoresConflicts() {
    return true;
  }

  /**
   * Whether a large insert should check its foreign keys once per distinct value with the
   * database's own checks off for that transaction (SQLite, where per-row checks dominate).
   */
  default boolean checksReferencesInBulk() {
    return false;
  }

  // ---------------------------------------------------------------- queries

  /**
   * daf_butler's GLOB: case-sensitive, {@code *} and {@code ?} only, a backslash escapes the next
   * character, brackets are literal. By default a LIKE pattern with an escape character.
   */
  default Condition glob(Field<?> column, String pattern) {
    String like =
        translateGlob(
            pattern,
            (c, wildcard) ->
                wildcard
                    ? (c == '*' ? "%" : "_")
                    : c == '%' || c == '_' || c == '!' ? "!" + c : String.valueOf(c));
    return column.cast(SQLDataType.VARCHAR).like(DSL.val(like), '!');
  }

  /**
   * Rewrites a daf_butler GLOB pattern character by character: {@code *} and {@code ?} are
   * wildcards unless a backslash escapes them; every other character (and an escaped one) is
   * literal.
   *
   * @param each what a character becomes, told whether it is a wildcard
   */
  static String translateGlob(
      String pattern, java.util.function.BiFunction<Character, Boolean, String> each) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      boolean escaped = c == '\\' && i + 1 < pattern.length();
      if (escaped) {
        c = pattern.charAt(++i);
      }
      out.append(each.apply(c, !escaped && (c == '*' || c == '?')));
    }
    return out.toString();
  }
}
