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
    return this == SQLITE ? hex(id) : id;
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
