package org.jbutler.registry;

import java.util.List;
import java.util.Properties;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/**
 * PostgreSQL: native UUIDs, row locks, batched inserts rewritten as multi-row INSERTs, and an
 * exclusion constraint (btree_gist) that keeps certifications of one data ID from overlapping.
 */
final class PostgresDialect implements SqlDialect {

  static final PostgresDialect INSTANCE = new PostgresDialect();

  private PostgresDialect() {}

  @Override
  public SQLDialect sql() {
    return SQLDialect.POSTGRES;
  }

  @Override
  public Properties connectionProperties() {
    Properties props = new Properties();
    props.setProperty("reWriteBatchedInserts", "true"); // multi-row INSERTs for batches
    return props;
  }

  /**
   * Calibration tables use exclusion constraints over ranges, which need the btree_gist extension;
   * creates it if this user may, else says who must.
   */
  @Override
  public void beforeCreate(DSLContext ctx, String url) {
    try {
      ctx.execute("CREATE EXTENSION IF NOT EXISTS btree_gist");
    } catch (org.jooq.exception.DataAccessException e) {
      throw new InvalidConfigException(
          "The PostgreSQL database at "
              + Registries.redact(url)
              + " lacks the btree_gist extension and this user cannot create it ("
              + e.getMessage()
              + "); ask its administrator to run CREATE EXTENSION btree_gist; in that database.",
          e);
    }
  }

  @Override
  public void addCalibrationExclusion(DSLContext ctx, Name table, List<Field<?>> keys) {
    StringBuilder exclude = new StringBuilder();
    for (Field<?> f : keys) {
      exclude.append(ctx.render(f)).append(" WITH =, ");
    }
    exclude.append("int8range(timespan_begin, timespan_end) WITH &&");
    ctx.execute(
        "ALTER TABLE "
            + ctx.render(DSL.table(table))
            + " ADD CONSTRAINT "
            + ctx.render(DSL.name("excl_" + table.last()))
            + " EXCLUDE USING gist ("
            + exclude
            + ")");
  }

  @Override
  public String toString() {
    return "PostgreSQL";
  }

  @Override
  public boolean cursorsNeedTransaction() {
    return true;
  }
}
