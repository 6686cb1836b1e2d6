package org.jbutler.registry;

import java.util.Locale;
import java.util.UUID;
import org.jbutler.schema.InvalidConfigException;
import org.jooq.DataType;
import org.jooq.SQLDialect;
import org.jooq.impl.SQLDataType;

/** What differs between the databases a registry can live in. */
enum Dialect {
  SQLITE(SQLDialect.SQLITE),
  H2(SQLDialect.H2),
  POSTGRES(SQLDialect.POSTGRES);

  private final SQLDialect sql;

  Dialect(SQLDialect sql) {
    this.sql = sql;
  }

  SQLDialect sql() {
    return sql;
  }

  /** Chooses the dialect from a JDBC URL. */
  static Dialect fromUrl(String url) {
    String u = url.toLowerCase(Locale.ROOT);
    if (u.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (u.startsWith("jdbc:h2:")) {
      return H2;
    }
    if (u.startsWith("jdbc:postgresql:")) {
      return POSTGRES;
    }
    throw new InvalidConfigException(
        "Unsupported registry URL '"
            + Registries.redact(url)
            + "': use jdbc:sqlite:FILE, jdbc:h2:... or jdbc:postgresql://HOST/DB.");
  }

  /** The column type of dataset UUIDs: native where the database has one, else 32-char hex. */
  DataType<?> uuidType() {
    return this == SQLITE ? SQLDataType.CHAR(32) : SQLDataType.UUID;
  }

  /** Converts a UUID to the value stored in a UUID column. */
  Object toDb(UUID id) {
    return this == SQLITE ? id.toString().replace("-", "") : id;
  }

  /** Converts a stored UUID column value back to a UUID. */
  UUID fromDb(Object value) {
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
}
