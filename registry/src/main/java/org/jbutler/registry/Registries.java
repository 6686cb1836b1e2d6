package org.jbutler.registry;

import static org.jbutler.registry.Tables.ATTRIBUTES;
import static org.jbutler.registry.Tables.ATTR_NAME;
import static org.jbutler.registry.Tables.ATTR_VALUE;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;
import org.jbutler.schema.ButlerException;
import org.jbutler.schema.ConflictingDefinitionException;
import org.jbutler.schema.DimensionElement;
import org.jbutler.schema.DimensionUniverse;
import org.jbutler.schema.InvalidConfigException;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;
import org.sqlite.SQLiteConfig;

/**
 * Creates and opens registries from JDBC URLs: {@code jdbc:sqlite:FILE} (the default for a
 * repository), {@code jdbc:h2:...}, {@code jdbc:postgresql://HOST:PORT/DB}.
 *
 * <p>The schema version is recorded in {@code butler_attributes} with the dimension universe.
 * Opening checks it: a different major version is refused; a newer minor version opens read-only.
 */
public final class Registries {

  /** The registry schema version this code writes. */
  public static final String SCHEMA_VERSION = "1.0.0";

  static final String VERSION_KEY = "version:jbutler.registry";
  static final String UNIVERSE_KEY = "config:dimensions.yaml";
  static final String UNIVERSE_VERSION_KEY = "config:dimensions.version";

  private Registries() {}

  /**
   * Creates the registry tables in an empty database and returns the registry.
   *
   * @throws ConflictingDefinitionException if the database already holds a registry
   */
  public static Registry create(String url, DimensionUniverse universe) {
    Objects.requireNonNull(universe, "universe");
    Dialect dialect = Dialect.fromUrl(url);
    if (dialect == Dialect.SQLITE) {
      probeSqlite(url, true);
    }
    Connection c = connect(url, dialect);
    try {
      DSLContext ctx = DSL.using(c, dialect.sql());
      if (hasAttributesTable(c)) {
        throw new ConflictingDefinitionException(
            "The database at " + redact(url) + " already holds a registry; open it instead.");
      }
      if (dialect == Dialect.POSTGRES) {
        requireBtreeGist(ctx, url);
      }
      ctx.transaction(
          cfg -> {
            DSLContext tx = DSL.using(cfg);
            new Tables(dialect).createStatic(tx);
            for (DimensionElement e : universe.elements()) {
              if (e.hasOwnTable()) {
                Tables.createElementTable(tx, e);
              }
            }
            for (DimensionElement g : universe.governors()) {
              Tables.createSummaryTable(tx, g);
            }
            tx.insertInto(ATTRIBUTES, ATTR_NAME, ATTR_VALUE)
                .values(VERSION_KEY, SCHEMA_VERSION)
                .values(UNIVERSE_KEY, universe.configText())
                .values(UNIVERSE_VERSION_KEY, universe.namespace() + ":" + universe.version())
                .execute();
          });
      return new SqlRegistry(new Db(c, dialect), universe, false);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /**
   * Opens an existing registry with the universe it was created with.
   *
   * @throws InvalidConfigException if the database holds no registry or an incompatible one
   */
  public static Registry open(String url) {
    Dialect dialect = Dialect.fromUrl(url);
    if (dialect == Dialect.SQLITE) {
      probeSqlite(url, false);
    }
    Connection c = connect(url, dialect);
    try {
      DSLContext ctx = DSL.using(c, dialect.sql());
      if (!hasAttributesTable(c)) {
        throw new InvalidConfigException(
            "No registry at " + redact(url) + "; create one first (butler create).");
      }
      String stored =
          ctx.select(ATTR_VALUE)
              .from(ATTRIBUTES)
              .where(ATTR_NAME.eq(VERSION_KEY))
              .fetchOne(ATTR_VALUE);
      boolean readOnly = checkVersion(stored, url);
      String yaml =
          ctx.select(ATTR_VALUE)
              .from(ATTRIBUTES)
              .where(ATTR_NAME.eq(UNIVERSE_KEY))
              .fetchOne(ATTR_VALUE);
      DimensionUniverse universe =
          DimensionUniverse.fromYaml(Objects.requireNonNull(yaml, "universe"));
      return new SqlRegistry(new Db(c, dialect), universe, readOnly);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /**
   * Looks at a SQLite file through a read-only connection before the writing connection opens it
   * (which switches the file to WAL mode): a file jbutler does not recognise is never modified, and
   * a missing file is not created by opening it.
   *
   * @param forCreate true when a registry is about to be created in the file
   */
  private static void probeSqlite(String url, boolean forCreate) {
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
              + redact(url)
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
      registry = tables.contains(ATTRIBUTES.getName());
      if (registry) {
        version =
            DSL.using(c, Dialect.SQLITE.sql())
                .select(ATTR_VALUE)
                .from(ATTRIBUTES)
                .where(ATTR_NAME.eq(VERSION_KEY))
                .fetchOne(ATTR_VALUE);
      }
    } catch (SQLException | org.jooq.exception.DataAccessException e) {
      throw new org.jbutler.schema.DamagedDataException(
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
            "The database at " + redact(url) + " already holds a registry; open it instead.");
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
              ? "No registry at " + redact(url) + "; create one first (butler create)."
              : "The SQLite file "
                  + file
                  + " holds tables ("
                  + summary(tables)
                  + ") but no jbutler registry; it was not made by jbutler and was left"
                  + " unchanged.");
    }
    checkVersion(version, url);
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

  /**
   * Calibration tables on PostgreSQL use exclusion constraints over ranges, which need the
   * btree_gist extension; creates it if this user may, else says who must.
   */
  private static void requireBtreeGist(DSLContext ctx, String url) {
    try {
      ctx.execute("CREATE EXTENSION IF NOT EXISTS btree_gist");
    } catch (org.jooq.exception.DataAccessException e) {
      throw new InvalidConfigException(
          "The PostgreSQL database at "
              + redact(url)
              + " lacks the btree_gist extension and this user cannot create it ("
              + e.getMessage()
              + "); ask its administrator to run CREATE EXTENSION btree_gist; in that database.",
          e);
    }
  }

  /**
   * Whether the database holds a registry: one catalog lookup for {@code butler_attributes} (jOOQ's
   * meta API would read every table's columns, which took seconds on opening).
   */
  private static boolean hasAttributesTable(Connection c) {
    try (var rs = c.getMetaData().getTables(null, null, ATTRIBUTES.getName(), null)) {
      return rs.next();
    } catch (SQLException e) {
      throw new ButlerException(
          ButlerException.Category.INTERNAL,
          "Cannot read the database catalog: " + e.getMessage(),
          e);
    }
  }

  /** Returns true for read-only (newer minor version); throws for another major version. */
  static boolean checkVersion(String stored, String url) {
    if (stored == null) {
      throw new InvalidConfigException(
          "The registry at "
              + redact(url)
              + " records no schema version; it was not made by jbutler and was left unchanged.");
    }
    if (!stored.matches("\\d+\\.\\d+\\.\\d+")) {
      throw new InvalidConfigException(
          "The registry at "
              + redact(url)
              + " records schema version '"
              + stored
              + "', which is not MAJOR.MINOR.PATCH; the repository is damaged or not jbutler's.");
    }
    String[] s = stored.split("\\.");
    String[] ours = SCHEMA_VERSION.split("\\.");
    if (!s[0].equals(ours[0])) {
      throw new InvalidConfigException(
          "The registry at "
              + redact(url)
              + " has schema version "
              + stored
              + ", incompatible with"
              + " this jbutler's "
              + SCHEMA_VERSION
              + " (major versions differ); use a matching"
              + " jbutler or migrate the repository.");
    }
    return Integer.parseInt(s[1]) > Integer.parseInt(ours[1]);
  }

  private static Connection connect(String url, Dialect dialect) {
    try {
      Properties props = new Properties();
      if (dialect == Dialect.SQLITE) {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.enforceForeignKeys(true);
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        cfg.setCacheSize(-65_536); // KiB: bulk inserts touch several large indexes
        cfg.setBusyTimeout(300_000);
        cfg.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        props = cfg.toProperties();
      } else if (dialect == Dialect.POSTGRES) {
        props.setProperty("reWriteBatchedInserts", "true"); // multi-row INSERTs for batches
      }
      Connection c = DriverManager.getConnection(url, props);
      if (dialect == Dialect.H2) {
        try (var s = c.createStatement()) {
          s.execute("SET LOCK_TIMEOUT 300000"); // as SQLite's busy timeout: wait, do not fail
        }
      }
      return c;
    } catch (SQLException e) {
      throw new ButlerException(
          ButlerException.Category.INTERNAL,
          "Cannot connect to the registry at " + redact(url) + ": " + e.getMessage(),
          e);
    }
  }

  /** Hides a password in a URL before it reaches a message or log. */
  public static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***")
        .replaceAll("://([^:/@]+):[^@/]*@", "://$1:***@");
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException ignored) {
      // already failing; the original exception matters
    }
  }
}
