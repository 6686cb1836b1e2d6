package org.jbutler.registry;

import static org.jbutler.registry.Tables.ATTRIBUTES;
import static org.jbutler.registry.Tables.ATTR_NAME;
import static org.jbutler.registry.Tables.ATTR_VALUE;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import org.jbutler.schema.dimensions.DimensionElement;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.ButlerException;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

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
    SqlDialect dialect = SqlDialect.fromUrl(url);
    dialect.probe(url, true);
    Connection c = connect(url, dialect);
    try {
      DSLContext ctx = DSL.using(c, dialect.sql());
      if (hasAttributesTable(c)) {
        throw new ConflictingDefinitionException(
            "The database at " + redact(url) + " already holds a registry; open it instead.");
      }
      dialect.beforeCreate(ctx, url);
      ctx.transaction(
          cfg -> {
            DSLContext tx = DSL.using(cfg);
            new Tables(dialect).createStatic(tx);
            for (DimensionElement e : universe.elements()) {
              if (e.hasOwnTable()) {
                Tables.createElementTable(tx, e);
                if (e.isSpatial()) {
                  Tables.createOverlapTable(tx, e);
                }
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
      return SqlErrors.guard(
          new SqlRegistry(new Db(c, dialect, readers(url, dialect)), universe, false));
    } catch (org.jooq.exception.DataAccessException e) {
      closeQuietly(c);
      throw SqlErrors.translate(e);
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
    SqlDialect dialect = SqlDialect.fromUrl(url);
    dialect.probe(url, false);
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
      return SqlErrors.guard(
          new SqlRegistry(new Db(c, dialect, readers(url, dialect)), universe, readOnly));
    } catch (org.jooq.exception.DataAccessException e) {
      closeQuietly(c);
      throw SqlErrors.translate(e);
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
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

  /**
   * Opens more connections to the database for streamed reads; none for an in-memory database,
   * which another connection would not see.
   */
  private static java.util.function.Supplier<Connection> readers(String url, SqlDialect dialect) {
    boolean inMemory =
        url.contains(":memory:") || url.contains("mode=memory") || url.startsWith("jdbc:h2:mem:");
    return inMemory ? null : () -> connect(url, dialect);
  }

  private static Connection connect(String url, SqlDialect dialect) {
    try {
      Connection c = DriverManager.getConnection(url, dialect.connectionProperties());
      dialect.configure(c);
      return c;
    } catch (SQLException e) {
      throw new org.jbutler.schema.exceptions.DatabaseException(
          SqlErrors.translate(e).category(),
          "Cannot connect to the registry at " + redact(url) + ": " + e.getMessage(),
          e.getSQLState(),
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
