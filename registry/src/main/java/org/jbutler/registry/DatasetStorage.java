package org.jbutler.registry;

import static org.jbutler.registry.Tables.*;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jbutler.registry.SqlRegistry.CollectionInfo;
import org.jbutler.registry.SqlRegistry.TypeInfo;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.Times;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.jbutler.schema.exceptions.DatasetNotFoundException;
import org.jbutler.schema.exceptions.DatasetTypeException;
import org.jbutler.schema.exceptions.InvalidDataIdException;
import org.jbutler.schema.exceptions.MissingCollectionException;
import org.jbutler.schema.exceptions.MissingDatasetTypeException;
import org.jooq.Field;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * Writes datasets: inserts (batched, with their RUN membership; foreign keys checked once per
 * distinct value in bulk loads, and a refused batch diagnosed by name), imports with given IDs,
 * removals, and TAGGED associations.
 */
final class DatasetStorage {

  private final SqlRegistry owner;
  private final Db db;
  private final SqlDialect dialect;
  private final org.jooq.DSLContext ctx;
  private final Tables tables;
  private final DatasetTypeStorage types;
  private final CollectionStorage collectionStorage;
  private final DimensionRecordStorage records;
  private final DatasetLookup lookup;

  DatasetStorage(
      SqlRegistry owner,
      Db db,
      Tables tables,
      DatasetTypeStorage types,
      CollectionStorage c,
      DimensionRecordStorage records,
      DatasetLookup lookup) {
    this.owner = owner;
    this.db = db;
    this.dialect = db.dialect();
    this.ctx = db.ctx();
    this.tables = tables;
    this.types = types;
    this.collectionStorage = c;
    this.records = records;
    this.lookup = lookup;
  }

  List<DatasetRef> insertDatasets(
      String datasetType, List<DataCoordinate> dataIds, String run, DatasetIdGenerationMode mode) {
    TypeInfo t = owner.requireType(datasetType);
    CollectionInfo r = requireRun(run);
    List<DatasetRef> refs = new ArrayList<>(dataIds.size());
    for (DataCoordinate d : dataIds) {
      refs.add(DatasetRef.create(t.type(), d.subset(t.type().dimensions()), run, mode));
    }
    writeNew(t, r, refs);
    return refs;
  }

  List<DatasetRef> importDatasets(List<DatasetRef> refs) {
    Map<List<String>, List<DatasetRef>> groups = new LinkedHashMap<>();
    for (DatasetRef ref : refs) {
      if (ref.datasetType().isComponent()) {
        throw new DatasetTypeException(
            "Cannot import component dataset " + ref + "; import its parent.");
      }
      groups
          .computeIfAbsent(List.of(ref.datasetType().name(), ref.run()), k -> new ArrayList<>())
          .add(ref);
    }
    return db.transaction(
        () -> {
          List<DatasetRef> out = new ArrayList<>(refs.size());
          for (List<DatasetRef> group : groups.values()) {
            DatasetRef first = group.get(0);
            TypeInfo t = owner.requireType(first.datasetType().name());
            if (!t.type().equals(first.datasetType())) {
              throw new ConflictingDefinitionException(
                  "Dataset type of "
                      + first
                      + " is "
                      + first.datasetType()
                      + " but the registry has "
                      + t.type()
                      + ".");
            }
            CollectionInfo run = requireRun(first.run());
            List<DatasetRef> fresh = new ArrayList<>();
            for (DatasetRef ref : group) {
              Optional<DatasetRef> stored = lookup.findDatasetNoLock(ref.id());
              if (stored.isEmpty()) {
                fresh.add(ref);
              } else if (!stored.get().equals(ref)) {
                throw new ConflictingDefinitionException(
                    "Dataset "
                        + ref.id()
                        + " is already stored as "
                        + stored.get()
                        + "; cannot import it as "
                        + ref
                        + ".");
              }
            }
            writeNew(t, run, fresh);
            out.addAll(group);
          }
          return out;
        });
  }

  void removeDatasets(Collection<DatasetRef> refs) {
    String q =
        db.sql(
            "delete-dataset",
            () -> ctx.deleteFrom(DATASET).where(tables.datasetId().eq(DSL.param("p"))));
    db.transaction(
        () ->
            db.run(
                () -> {
                  PreparedStatement ps = db.prepare(q);
                  for (DatasetRef ref : refs) {
                    ps.setObject(1, dialect.toDb(ref.id()));
                    ps.addBatch();
                  }
                  return ps.executeBatch();
                }));
  }

  void associate(String tagged, List<DatasetRef> refs) {
    CollectionInfo c =
        collectionStorage.requireCollection(
            tagged,
            CollectionType.TAGGED,
            "associate adds datasets to TAGGED collections only"
                + " (certify them into a CALIBRATION collection).");
    db.transaction(
        () -> {
          requireStored(refs);
          Map<TypeInfo, List<DataCoordinate>> added = new LinkedHashMap<>();
          for (DatasetRef ref : refs) {
            TypeInfo t = owner.requireType(ref.datasetType().parentName());
            Optional<DatasetRef> there = lookup.findIn(t, ref.dataId(), List.of(c), null);
            if (there.isPresent()) {
              if (there.get().id().equals(ref.id())) {
                continue;
              }
              throw new ConflictingDefinitionException(
                  "TAGGED '"
                      + tagged
                      + "' already holds "
                      + there.get()
                      + "; a collection holds one '"
                      + t.type().name()
                      + "' per data ID. Disassociate it first.");
            }
            db.run(
                () -> {
                  PreparedStatement ps = db.prepare(insertTagSql(t));
                  bindTag(
                      ps,
                      t,
                      dialect.toDb(ref.id()),
                      c.id(),
                      ref.dataId(),
                      t.type().dimensions().required().size());
                  return ps.executeUpdate();
                });
            added.computeIfAbsent(t, k -> new ArrayList<>()).add(ref.dataId());
          }
          added.forEach((t, ids) -> collectionStorage.summarize(c, t, ids));
          return null;
        });
  }

  void disassociate(String tagged, List<DatasetRef> refs) {
    CollectionInfo c =
        collectionStorage.requireCollection(
            tagged,
            CollectionType.TAGGED,
            "disassociate removes datasets from TAGGED collections only.");
    db.transaction(
        () -> {
          for (DatasetRef ref : refs) {
            TypeInfo t = owner.requireType(ref.datasetType().parentName());
            ctx.deleteFrom(table(t.tagsTable()))
                .where(field(name("dataset_id")).eq(DSL.val(dialect.toDb(ref.id()))))
                .and(TAG_COLLECTION.eq(c.id()))
                .execute();
          }
          return null;
        });
  }

  CollectionInfo requireRun(String run) {
    return collectionStorage.requireCollection(
        run, CollectionType.RUN, "datasets can only be inserted into a RUN.");
  }

  /** Inserts dataset rows and their RUN membership, batched, in one (nested) transaction. */
  void writeNew(TypeInfo t, CollectionInfo run, List<DatasetRef> refs) {
    if (refs.isEmpty()) {
      return;
    }
    long now = Times.now();
    List<String> dims = t.type().dimensions().required();
    String insertDataset =
        db.sql(
            "insert-dataset",
            () ->
                ctx.insertInto(DATASET, tables.datasetId(), DS_TYPE, DS_RUN, DS_INGEST)
                    .values((Object) null, null, null, null));
    String insertTag = insertTagSql(t);
    // On SQLite, a top-level bulk insert checks its references once per distinct value under the
    // write lock and skips the per-row foreign-key checks, which dominate the cost.
    boolean bulk = dialect.checksReferencesInBulk() && !db.inTransaction() && refs.size() > 100;
    if (bulk) {
      db.sqliteForeignKeys(false);
    }
    try {
      db.transaction(
          () ->
              db.run(
                  () -> {
                    if (bulk) {
                      checkReferences(t, run, refs);
                    }
                    PreparedStatement ds = db.prepare(insertDataset);
                    PreparedStatement tag = db.prepare(insertTag);
                    int pending = 0;
                    for (DatasetRef ref : refs) {
                      Object id = dialect.toDb(ref.id());
                      ds.setObject(1, id);
                      ds.setLong(2, t.id());
                      ds.setLong(3, run.id());
                      ds.setLong(4, now);
                      ds.addBatch();
                      bindTag(tag, t, id, run.id(), ref.dataId(), dims.size());
                      tag.addBatch();
                      if (++pending == 10_000) {
                        ds.executeBatch();
                        tag.executeBatch();
                        pending = 0;
                      }
                    }
                    ds.executeBatch();
                    tag.executeBatch();
                    collectionStorage.summarize(
                        run, t, refs.stream().map(DatasetRef::dataId).toList());
                    return null;
                  }));
    } catch (DataAccessException ex) {
      throw diagnoseInsertFailure(t, run, refs, ex);
    } finally {
      if (bulk) {
        db.sqliteForeignKeys(true);
      }
    }
  }

  /**
   * What the foreign keys of a bulk insert would check, once per distinct value: the dataset type
   * and run rows, and every dimension value of the data IDs.
   */
  void checkReferences(TypeInfo t, CollectionInfo run, List<DatasetRef> refs) {
    if (!ctx.fetchExists(DATASET_TYPE, DT_ID.eq(t.id()))) {
      types.forget(t.type().name());
      throw new MissingDatasetTypeException(
          "Dataset type '" + t.type().name() + "' was removed (by another process?).");
    }
    if (!ctx.fetchExists(RUN, RUN_ID.eq(run.id()))) {
      owner.forgetCaches();
      throw new MissingCollectionException(
          "RUN '" + run.name() + "' was removed (by another process?); register it again.");
    }
    Optional<String> missing =
        records.firstMissing(t.type().dimensions(), refs.stream().map(DatasetRef::dataId).toList());
    if (missing.isPresent()) {
      throw new InvalidDataIdException(
          "Cannot insert '" + t.type().name() + "' datasets: " + missing.get());
    }
  }

  String insertTagSql(TypeInfo t) {
    return db.sql(
        "insert-tag:" + t.tagsTable().last(),
        () -> {
          List<Field<Object>> columns = new ArrayList<>();
          columns.add(field(name(TAG_TYPE.getName())));
          columns.add(field(name("dataset_id")));
          columns.add(field(name(TAG_COLLECTION.getName())));
          for (String d : t.type().dimensions().required()) {
            columns.add(field(name(d)));
          }
          return ctx.insertInto(table(t.tagsTable()), columns).values(new Object[columns.size()]);
        });
  }

  static void bindTag(
      PreparedStatement ps, TypeInfo t, Object id, long collection, DataCoordinate d, int n)
      throws java.sql.SQLException {
    ps.setLong(1, t.id());
    ps.setObject(2, id);
    ps.setLong(3, collection);
    List<Object> values = d.requiredValues();
    for (int i = 0; i < n; i++) {
      ps.setObject(4 + i, values.get(i));
    }
  }

  RuntimeException diagnoseInsertFailure(
      TypeInfo t, CollectionInfo run, List<DatasetRef> refs, RuntimeException cause) {
    if (collectionStorage.selectCollection(COLL_ID.eq(run.id())).isEmpty()) {
      owner.forgetCaches();
      return new MissingCollectionException(
          "RUN '" + run.name() + "' was removed (by another process?); register it again.");
    }
    // Two entries of this insert for one data ID (found only after a failure: no cost otherwise).
    Map<List<Object>, Integer> seen = new HashMap<>();
    for (int i = 0; i < refs.size(); i++) {
      Integer first = seen.putIfAbsent(refs.get(i).dataId().requiredValues(), i);
      if (first != null) {
        return new ConflictingDefinitionException(
            "Cannot insert '"
                + t.type().name()
                + "' datasets into '"
                + run.name()
                + "': entries "
                + (first + 1)
                + " and "
                + (i + 1)
                + " of this insert have the same data ID "
                + refs.get(i).dataId()
                + "; a RUN holds one dataset per type and data ID.",
            cause);
      }
    }
    for (DatasetRef ref : refs) {
      Optional<String> missing =
          records.missingValue(ref.dataId().dimensions().required(), ref.dataId().required());
      if (missing.isPresent()) {
        return new InvalidDataIdException(
            "Cannot insert '" + t.type().name() + "' for " + ref.dataId() + ": " + missing.get(),
            cause);
      }
      Optional<DatasetRef> existing = lookup.findIn(t, ref.dataId(), List.of(run), null);
      if (existing.isPresent() && !existing.get().id().equals(ref.id())) {
        return new ConflictingDefinitionException(
            "RUN '"
                + run.name()
                + "' already has a '"
                + t.type().name()
                + "' dataset for "
                + ref.dataId()
                + " (id "
                + existing.get().id()
                + ").",
            cause);
      }
      Optional<DatasetRef> sameId = lookup.findDatasetNoLock(ref.id());
      if (sameId.isPresent() && !sameId.get().equals(ref)) {
        return new ConflictingDefinitionException(
            "Dataset ID "
                + ref.id()
                + " already exists in another run, as "
                + sameId.get()
                + "; cannot also use it for '"
                + t.type().name()
                + "' "
                + ref.dataId()
                + " in '"
                + run.name()
                + "' (DATAID_TYPE IDs are the same in every run; use DATAID_TYPE_RUN or UNIQUE).",
            cause);
      }
    }
    return new ConflictingDefinitionException(
        "Cannot insert '"
            + t.type().name()
            + "' datasets into '"
            + run.name()
            + "': the database refused them ("
            + firstLine(cause.getMessage())
            + ").",
        cause);
  }

  static String firstLine(String s) {
    if (s == null) {
      return "no reason given";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Checks that each ref names an existing dataset of its type. */
  void requireStored(List<DatasetRef> refs) {
    for (DatasetRef ref : refs) {
      Optional<DatasetRef> stored = lookup.findDatasetNoLock(ref.id());
      if (stored.isEmpty()) {
        throw new DatasetNotFoundException(
            "Dataset " + ref + " is not in the registry; insert or import it first.");
      }
      if (!stored.get().datasetType().name().equals(ref.datasetType().parentName())) {
        throw new ConflictingDefinitionException(
            "Dataset " + ref.id() + " is stored as " + stored.get() + ", not " + ref + ".");
      }
    }
  }
}
