package org.jbutler.registry;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.UUID;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.DataType;
import org.jooq.Field;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.jooq.impl.SQLDataType;
import org.sqlite.SQLiteConfig;

/**
 * SQLite (the default): UUIDs as 32 lowercase hex digits (as daf_butler stores them), WAL with a
 * busy timeout and {@code BEGIN IMMEDIATE} writers (one writer holds the database, so no row
 * locks), {@code WITHOUT ROWID} tables, GLOB natively, and foreign keys checked in bulk for large
 * inserts. A file is examined read-only before the writing connection opens it.
 */
final class SqliteDialect implements SqlDialect {

  static final SqliteDialect INSTANCE = new SqliteDialect();

  private SqliteDialect() {}

  @Override
  public SQLDialect sql() {
    return SQLDialect.SQLITE;
  }

  @Override
  public Properties connectionProperties() {
    SQLiteConfig cfg = new SQLiteConfig();
    cfg.enforceForeignKeys(true);
    cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
    cfg.setCacheSize(-65_536); // KiB: bulk inserts touch several large indexes
    cfg.setBusyTimeout(300_000);
    cfg.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    cfg.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    return cfg.toProperties();
  }

  /**
   * Looks at a SQLite file through a read-only connection before the writing connection opens it
   * (which switches the file to WAL mode): a file jbutler does not recognise is never modified, and
   * a missing file is not created by opening it.
   *
   * @param forCreate true when a registry is about to be created in the file
   */
  @Override
  public void probe(String url, boolean forCreate) {
    java.nio.file.Path file = sqliteFile(url);
    if (file == null) {
      return; // in memory
    }
    if (!java.nio.file.Files.exists(file)) {
      if (forCreate) {
        return;
      }
      throw new InvalidConfigException(
          "No registry at "
              + Registries.redact(url)
              + ": the file does not exist; create one first (butler"
              + " create).");
    }
    SQLiteConfig cfg = new SQLiteConfig();
    cfg.setReadOnly(true);
    cfg.setBusyTimeout(300_000);
    java.util.List<String> tables = new java.util.ArrayList<>();
    String version = null;
    boolean registry;
    try (Connection c = DriverManager.getConnection(url, cfg.toProperties())) {
      try (var rs =
          c.createStatement()
              .executeQuery(
                  "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE"
                      + " 'sqlite_%' ORDER BY name")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      registry = tables.contains(Tables.ATTRIBUTES.getName());
      if (registry) {
        version =
            DSL.using(c, SQLDialect.SQLITE)
                .select(Tables.ATTR_VALUE)
                .from(Tables.ATTRIBUTES)
                .where(Tables.ATTR_NAME.eq(Registries.VERSION_KEY))
                .fetchOne(Tables.ATTR_VALUE);
      }
    } catch (SQLException | org.jooq.exception.DataAccessException e) {
      throw new org.jbutler.schema.exceptions.DamagedDataException(
          "Cannot read "
              + file
              + " as a SQLite database ("
              + e.getMessage()
              + "); it is damaged or not a database, and was left unchanged.",
          e);
    }
    if (forCreate) {
      if (registry) {
        throw new ConflictingDefinitionException(
            "The database at "
                + Registries.redact(url)
                + " already holds a registry; open it instead.");
      }
      if (!tables.isEmpty()) {
        throw new InvalidConfigException(
            "The SQLite file "
                + file
                + " already holds tables that are not a jbutler registry ("
                + summary(tables)
                + "); create the repository on a new file. The file was left unchanged.");
      }
      return;
    }
    if (!registry) {
      throw new InvalidConfigException(
          tables.isEmpty()
              ? "No registry at " + Registries.redact(url) + "; create one first (butler create)."
              : "The SQLite file "
                  + file
                  + " holds tables ("
                  + summary(tables)
                  + ") but no jbutler registry; it was not made by jbutler and was left"
                  + " unchanged.");
    }
    Registries.checkVersion(version, url);
  }

  private static String summary(java.util.List<String> names) {
    return names.size() <= 5
        ? String.join(", ", names)
        : String.join(", ", names.subList(0, 5)) + ", ... " + names.size() + " in all";
  }

  /** The file of a {@code jdbc:sqlite:} URL, or null for an in-memory database. */
  static java.nio.file.Path sqliteFile(String url) {
    String rest = url.substring("jdbc:sqlite:".length());
    int q = rest.indexOf('?');
    if (q >= 0) {
      if (rest.substring(q).contains("mode=memory")) {
        return null;
      }
      rest = rest.substring(0, q);
    }
    if (rest.startsWith("file:")) {
      rest = rest.substring("file:".length());
    }
    if (rest.isEmpty() || rest.equals(":memory:") || rest.startsWith(":resource:")) {
      return null;
    }
    return java.nio.file.Path.of(rest);
  }

  @Override
  public DataType<?> uuidType() {
    return SQLDataType.CHAR(32);
  }

  @Override
  public boolean uuidsAsText() {
    return true;
  }

  @Override
  public Object toDb(UUID id) {
    return hex(id);
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** The 32 lowercase hex digits of a UUID (what daf_butler stores on SQLite). */
  static String hex(UUID id) {
    char[] out = new char[32];
    long hi = id.getMostSignificantBits();
    long lo = id.getLeastSignificantBits();
    for (int i = 15; i >= 0; i--) {
      out[i] = HEX[(int) (hi & 0xf)];
      hi >>>= 4;
      out[16 + i] = HEX[(int) (lo & 0xf)];
      lo >>>= 4;
    }
    return new String(out);
  }

  /** Rows live in the primary-key B-tree instead of a rowid table plus a separate key index. */
  @Override
  public String clusteredTableOptions() {
    return "WITHOUT ROWID";
  }

  /**
   * A full {@code ANALYZE} of the table when it has no statistics yet or the rows just written are
   * at least as many as it had when last analyzed (it has at least doubled), so the cost stays a
   * bounded multiple of the writes. Sampled statistics ({@code analysis_limit}, {@code PRAGMA
   * optimize}) are not enough here: the overlap tables lead with two constant columns, and a sample
   * of a thousand rows takes them for selective.
   */
  @Override
  public void refreshStatistics(DSLContext ctx, String table, long rows) {
    boolean analyzed =
        ctx.fetchValue("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
                instanceof Number n
            && n.intValue() > 0;
    Object stat =
        analyzed
            ? ctx.fetchValue("SELECT stat FROM sqlite_stat1 WHERE tbl = ? LIMIT 1", table)
            : null;
    if (stat != null) {
      String first = stat.toString().split(" ")[0];
      try {
        if (rows < Long.parseLong(first)) {
          return;
        }
      } catch (NumberFormatException e) {
        // unreadable statistics: analyze again
      }
    }
    ctx.execute("ANALYZE " + ctx.render(org.jooq.impl.DSL.name(table)));
  }

  @Override
  public boolean hasRowLocks() {
    return false; // writers hold the database lock (BEGIN IMMEDIATE)
  }

  @Override
  public boolean checksReferencesInBulk() {
    return true;
  }

  /** SQLite has GLOB itself (case-sensitive); its brackets are escaped to stay literal. */
  @Override
  public Condition glob(Field<?> column, String pattern) {
    String glob =
        SqlDialect.translateGlob(
            pattern,
            (c, wildcard) ->
                wildcard || (c != '*' && c != '?' && c != '[') ? String.valueOf(c) : "[" + c + "]");
    return DSL.condition("{0} GLOB {1}", column, DSL.val(glob));
  }

  @Override
  public String toString() {
    return "SQLite";
  }
}
