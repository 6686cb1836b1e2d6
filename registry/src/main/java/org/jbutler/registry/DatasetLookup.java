package org.jbutler.registry;

import static org.jbutler.registry.Tables.*;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jbutler.registry.SqlRegistry.CollectionInfo;
import org.jbutler.registry.SqlRegistry.TypeInfo;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.exceptions.CalibrationLookupException;
import org.jooq.Condition;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.impl.DSL;

/**
 * Finds datasets: by ID (its type, run and data ID), and find-first by data ID along a flattened
 * collection path (RUN and TAGGED collections through the tags table, CALIBRATION collections
 * through the calibs table within a timespan), one prepared query per table.
 */
final class DatasetLookup {

  private final SqlRegistry owner;
  private final Db db;
  private final SqlDialect dialect;
  private final org.jooq.DSLContext ctx;
  private final Tables tables;
  private final DatasetTypeStorage types;
  private final CollectionStorage collectionStorage;

  DatasetLookup(
      SqlRegistry owner, Db db, Tables tables, DatasetTypeStorage types, CollectionStorage c) {
    this.owner = owner;
    this.db = db;
    this.dialect = db.dialect();
    this.ctx = db.ctx();
    this.tables = tables;
    this.types = types;
    this.collectionStorage = c;
  }

  Optional<DatasetRef> findDatasetNoLock(UUID id) {
    String q =
        db.sql(
            "get-dataset",
            () ->
                ctx.select(DS_TYPE, DS_RUN)
                    .from(DATASET)
                    .where(tables.datasetId().eq(DSL.param("p"))));
    List<long[]> rows =
        db.query(q, List.of(dialect.toDb(id)), rs -> new long[] {rs.getLong(1), rs.getLong(2)});
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    TypeInfo t = types.byId(rows.get(0)[0]);
    CollectionInfo run = collectionStorage.collectionById(rows.get(0)[1]);
    List<String> dims = t.type().dimensions().required();
    String tq =
        db.sql(
            "dataid:" + t.tagsTable().last(),
            () -> {
              List<Field<?>> cols = new ArrayList<>();
              dims.forEach(d -> cols.add(field(name(d))));
              return ctx.select(cols)
                  .from(table(t.tagsTable()))
                  .where(field(name("dataset_id")).eq(DSL.param("p")))
                  .and(TAG_COLLECTION.eq(DSL.param("p", Long.class)));
            });
    List<Object[]> values =
        db.query(
            tq,
            List.of(dialect.toDb(id), run.id()),
            rs -> {
              Object[] v = new Object[dims.size()];
              for (int i = 0; i < v.length; i++) {
                v[i] = rs.getObject(i + 1);
              }
              return v;
            });
    DataCoordinate dataId = DataCoordinate.ofRequired(t.type().dimensions(), values.get(0));
    return Optional.of(new DatasetRef(t.type(), dataId, run.name(), id));
  }

  /** Find-first over a flattened path; CALIBRATION collections only with a timespan. */
  Optional<DatasetRef> findIn(
      TypeInfo t, DataCoordinate dataId, List<CollectionInfo> path, Timespan timespan) {
    List<CollectionInfo> tagged = new ArrayList<>();
    List<CollectionInfo> calibs = new ArrayList<>();
    for (CollectionInfo c : path) {
      if (c.type() != CollectionType.CALIBRATION) {
        tagged.add(c);
      } else if (timespan != null && t.calibsTable() != null && !timespan.isEmpty()) {
        calibs.add(c);
      }
    }
    Map<Long, UUID[]> hits = new HashMap<>();
    if (!tagged.isEmpty()) {
      lookup(t, t.tagsTable(), dataId, tagged, null, hits);
    }
    if (!calibs.isEmpty()) {
      lookup(t, t.calibsTable(), dataId, calibs, timespan, hits);
    }
    for (CollectionInfo c : path) {
      UUID[] ids = hits.get(c.id());
      if (ids == null) {
        continue;
      }
      if (ids.length > 1) {
        throw new CalibrationLookupException(
            "Ambiguous calibration lookup: "
                + ids.length
                + " '"
                + t.type().name()
                + "' datasets for "
                + dataId
                + " are certified in '"
                + c.name()
                + "' within "
                + timespan
                + " ("
                + String.join(", ", java.util.Arrays.stream(ids).map(UUID::toString).toList())
                + "); narrow the timespan.");
      }
      String run = c.type() == CollectionType.RUN ? c.name() : runOf(ids[0]);
      return Optional.of(new DatasetRef(t.type(), dataId, run, ids[0]));
    }
    return Optional.empty();
  }

  /** The name of a dataset's RUN. */
  String runOf(UUID id) {
    String q =
        db.sql(
            "run-of",
            () -> ctx.select(DS_RUN).from(DATASET).where(tables.datasetId().eq(DSL.param("p"))));
    return collectionStorage
        .collectionById(db.query(q, List.of(dialect.toDb(id)), rs -> rs.getLong(1)).get(0))
        .name();
  }

  /**
   * One prepared query over a tags or calibs table (no join) for a data ID in several collections;
   * fills the distinct dataset IDs found per collection.
   */
  void lookup(
      TypeInfo t,
      Name table,
      DataCoordinate dataId,
      List<CollectionInfo> in,
      Timespan window,
      Map<Long, UUID[]> hits) {
    List<String> dims = t.type().dimensions().required();
    String q =
        db.sql(
            "find:" + table.last() + ":" + in.size(),
            () -> {
              Condition where =
                  TAG_TYPE
                      .eq(DSL.param("p", Long.class))
                      .and(TAG_COLLECTION.in(java.util.Collections.nCopies(in.size(), 0L)));
              for (String d : dims) {
                where = where.and(field(name(d)).eq(DSL.param("p")));
              }
              if (window != null) {
                where =
                    where
                        .and(field(name("timespan_begin"), Long.class).lt(0L))
                        .and(field(name("timespan_end"), Long.class).gt(0L));
              }
              return ctx.select(TAG_COLLECTION, field(name("dataset_id")))
                  .from(table(table))
                  .where(where);
            });
    List<Object> params = new ArrayList<>(3 + in.size() + dims.size());
    params.add(t.id());
    for (CollectionInfo c : in) {
      params.add(c.id());
    }
    params.addAll(dataId.requiredValues());
    if (window != null) {
      params.add(window.end());
      params.add(window.begin());
    }
    Map<Long, Set<UUID>> found = new HashMap<>();
    db.query(
        q,
        params,
        (ResultSet rs) ->
            found
                .computeIfAbsent(rs.getLong(1), k -> new LinkedHashSet<>())
                .add(dialect.fromDb(rs.getObject(2))));
    found.forEach((coll, ids) -> hits.put(coll, ids.toArray(UUID[]::new)));
  }
}
