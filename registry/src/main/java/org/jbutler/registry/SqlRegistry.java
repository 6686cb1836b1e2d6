package org.jbutler.registry;

import static org.jbutler.registry.Tables.*;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetAssociation;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.Times;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionElement;
import org.jbutler.schema.dimensions.DimensionGroup;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.CalibrationLookupException;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.jbutler.schema.exceptions.DatasetNotFoundException;
import org.jbutler.schema.exceptions.DatasetTypeException;
import org.jbutler.schema.exceptions.InvalidDataIdException;
import org.jbutler.schema.exceptions.MissingCollectionException;
import org.jbutler.schema.exceptions.MissingDatasetTypeException;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The registry over one JDBC connection. Public methods are synchronized: the connection is used by
 * one thread at a time, and every write is one transaction (a savepoint inside a caller's).
 *
 * <p>Hot paths (dataset insert and lookup) run prepared statements whose SQL jOOQ renders once;
 * values are always bound as parameters.
 */
final class SqlRegistry implements Registry {

  record CollectionInfo(long id, String name, CollectionType type) {}

  record TypeInfo(long id, DatasetType type, Name tagsTable, Name calibsTable) {}

  private final Db db;
  private final SqlDialect dialect;
  private final DSLContext ctx;
  private final DimensionUniverse universe;
  private final Tables tables;
  private final DimensionRecordStorage records;
  private final DatasetTypeStorage types;
  private final CalibrationStorage calibrations;
  private final QueryExecution queries;
  private final CollectionStorage collectionStorage;
  private final DatastoreRecordStorage fileRecords;
  private final boolean readOnly;

  SqlRegistry(Db db, DimensionUniverse universe, boolean readOnly) {
    this.db = db;
    this.dialect = db.dialect();
    this.ctx = db.ctx();
    this.universe = universe;
    this.tables = new Tables(dialect);
    this.records = new DimensionRecordStorage(db, universe);
    this.types = new DatasetTypeStorage(db, universe, tables);
    this.calibrations = new CalibrationStorage(this, db, tables);
    this.collectionStorage = new CollectionStorage(this, db);
    this.queries = new QueryExecution(this, db);
    this.fileRecords = new DatastoreRecordStorage(this, db);
    this.readOnly = readOnly;
    db.onRollback(this::forgetCaches);
  }

  @Override
  public org.jbutler.schema.DatastoreRecords datastoreRecords() {
    return fileRecords; // they share the registry's connection, lock and transactions
  }

  @Override
  public DimensionUniverse universe() {
    return universe;
  }

  void checkWritable() {
    if (readOnly) {
      // Not a conflicting definition: nothing the caller gave contradicts the repository.
      throw new org.jbutler.schema.exceptions.ButlerException(
          org.jbutler.schema.exceptions.ButlerException.Category.USER_ERROR,
          "This repository's schema is newer than this jbutler; it is open read-only. Upgrade"
              + " jbutler to write to it.");
    }
  }

  private void forgetCaches() {
    collectionStorage.forgetAll();
    types.forgetAll();
  }

  @Override
  public synchronized void refresh() {
    forgetCaches();
  }

  @Override
  public synchronized <T> T transaction(Supplier<T> work) {
    return db.transaction(work);
  }

  /** Renders SQL once per key. */
  private String sql(String key, Supplier<? extends org.jooq.Query> query) {
    return db.sql(key, query);
  }

  /** Locks a collection's row until the transaction ends, where the database has row locks. */
  void lockCollection(CollectionInfo c) {
    if (dialect.hasRowLocks()) { // else writers hold the whole database (SQLite)
      ctx.select(COLL_ID).from(COLLECTION).where(COLL_ID.eq(c.id())).forUpdate().fetch();
    }
  }

  // ---------------------------------------------------------------- dimension records

  @Override
  public void insertDimensionRecords(String element, List<DimensionRecord> recs) {
    insertDimensionRecords(element, recs, false);
  }

  @Override
  public synchronized void insertDimensionRecords(
      String element, List<DimensionRecord> recs, boolean skipExisting) {
    checkWritable();
    DimensionElement e = records.writableElement(element, recs);
    records.insert(e, recs, skipExisting);
  }

  @Override
  public synchronized SyncOutcome syncDimensionRecord(
      String element, DimensionRecord record, boolean update) {
    checkWritable();
    DimensionElement e = records.writableElement(element, List.of(record));
    return db.transaction(() -> records.sync(e, record, update));
  }

  @Override
  public synchronized List<DimensionRecord> fetchDimensionRecords(String element) {
    return records.fetchAll(universe.element(element));
  }

  @Override
  public synchronized Optional<DimensionRecord> fetchDimensionRecord(
      String element, DataCoordinate dataId) {
    DimensionElement e = universe.element(element);
    Map<String, Object> values = dataId.mapping();
    if (!e.hasOwnTable() || !values.keySet().containsAll(e.required())) {
      return Optional.empty();
    }
    return records.fetch(e, values);
  }

  @Override
  public synchronized DataCoordinate expandDataId(
      Map<String, ?> dataId, DimensionGroup dimensions) {
    return records.expand(dataId, dimensions, new HashMap<>());
  }

  @Override
  public synchronized List<DataCoordinate> expandDataIds(List<DataCoordinate> dataIds) {
    Map<String, Map<List<Object>, Optional<DimensionRecord>>> cache = new HashMap<>();
    List<DataCoordinate> out = new ArrayList<>(dataIds.size());
    for (DataCoordinate d : dataIds) {
      out.add(d.hasRecords() ? d : records.expand(d.mapping(), d.dimensions(), cache));
    }
    return out;
  }

  // ---------------------------------------------------------------- dataset types

  @Override
  public synchronized boolean registerDatasetType(DatasetType datasetType) {
    Objects.requireNonNull(datasetType, "datasetType");
    if (datasetType.isComponent()) {
      throw new DatasetTypeException(
          "Component dataset type '"
              + datasetType.name()
              + "' cannot be registered; register '"
              + datasetType.parentName()
              + "'.");
    }
    Optional<Boolean> known = types.compare(datasetType);
    if (known.isPresent()) {
      return known.get();
    }
    checkWritable();
    return types.register(datasetType);
  }

  TypeInfo requireType(String name) {
    return types.require(name);
  }

  @Override
  public synchronized DatasetType datasetType(String name) {
    return types.require(name).type();
  }

  @Override
  public synchronized Optional<DatasetType> findDatasetType(String name) {
    return types.find(name).map(TypeInfo::type);
  }

  @Override
  public synchronized List<DatasetType> datasetTypes() {
    return types.all().stream().map(TypeInfo::type).toList();
  }

  @Override
  public synchronized void removeDatasetType(String name) {
    checkWritable();
    types.remove(name);
  }

  // ---------------------------------------------------------------- collections

  // Collection helpers the other parts use, kept here so that they need only the registry.

  CollectionInfo collectionById(long id) {
    return collectionStorage.collectionById(id);
  }

  CollectionInfo requireCollection(String name, CollectionType wanted, String why) {
    return collectionStorage.requireCollection(name, wanted, why);
  }

  List<CollectionInfo> flattenInfos(List<String> search) {
    return collectionStorage.flattenInfos(search);
  }

  void summarize(CollectionInfo c, TypeInfo t, Collection<DataCoordinate> dataIds) {
    collectionStorage.summarize(c, t, dataIds);
  }

  @Override
  public synchronized boolean registerCollection(String name, CollectionType type, String doc) {
    return collectionStorage.registerCollection(name, type, doc);
  }

  @Override
  public synchronized CollectionType collectionType(String name) {
    return collectionStorage.collectionType(name);
  }

  @Override
  public synchronized Optional<CollectionType> findCollection(String name) {
    return collectionStorage.findCollection(name).map(CollectionInfo::type);
  }

  @Override
  public synchronized String collectionDocumentation(String name) {
    return collectionStorage.collectionDocumentation(name);
  }

  @Override
  public synchronized List<String> collections() {
    return collectionStorage.collections();
  }

  @Override
  public synchronized void setChain(String parent, List<String> children) {
    collectionStorage.setChain(parent, children);
  }

  @Override
  public synchronized void prependChain(String parent, List<String> children) {
    collectionStorage.prependChain(parent, children);
  }

  @Override
  public synchronized void extendChain(String parent, List<String> children) {
    collectionStorage.extendChain(parent, children);
  }

  @Override
  public synchronized void removeFromChain(String parent, List<String> children) {
    collectionStorage.removeFromChain(parent, children);
  }

  @Override
  public synchronized List<String> chain(String parent) {
    return collectionStorage.chain(parent);
  }

  @Override
  public synchronized List<String> parentChains(String name) {
    return collectionStorage.parentChains(name);
  }

  @Override
  public synchronized List<String> flatten(List<String> search) {
    return collectionStorage.flatten(search);
  }

  @Override
  public synchronized CollectionSummary collectionSummary(String name) {
    return collectionStorage.collectionSummary(name);
  }

  @Override
  public void removeCollection(String name) {
    collectionStorage.removeCollection(name);
  }

  @Override
  public synchronized void removeCollection(String name, boolean unlinkFromChains) {
    collectionStorage.removeCollection(name, unlinkFromChains);
  }

  // ---------------------------------------------------------------- datasets

  @Override
  public synchronized List<DatasetRef> insertDatasets(
      String datasetType, List<DataCoordinate> dataIds, String run, DatasetIdGenerationMode mode) {
    checkWritable();
    TypeInfo t = requireType(datasetType);
    CollectionInfo r = requireRun(run);
    List<DatasetRef> refs = new ArrayList<>(dataIds.size());
    for (DataCoordinate d : dataIds) {
      refs.add(DatasetRef.create(t.type(), d.subset(t.type().dimensions()), run, mode));
    }
    writeNew(t, r, refs);
    return refs;
  }

  private CollectionInfo requireRun(String run) {
    return collectionStorage.requireCollection(
        run, CollectionType.RUN, "datasets can only be inserted into a RUN.");
  }

  /** Inserts dataset rows and their RUN membership, batched, in one (nested) transaction. */
  private void writeNew(TypeInfo t, CollectionInfo run, List<DatasetRef> refs) {
    if (refs.isEmpty()) {
      return;
    }
    long now = Times.now();
    List<String> dims = t.type().dimensions().required();
    String insertDataset =
        sql(
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
  private void checkReferences(TypeInfo t, CollectionInfo run, List<DatasetRef> refs) {
    if (!ctx.fetchExists(DATASET_TYPE, DT_ID.eq(t.id()))) {
      types.forget(t.type().name());
      throw new MissingDatasetTypeException(
          "Dataset type '" + t.type().name() + "' was removed (by another process?).");
    }
    if (!ctx.fetchExists(RUN, RUN_ID.eq(run.id()))) {
      forgetCaches();
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

  private String insertTagSql(TypeInfo t) {
    return sql(
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

  private static void bindTag(
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

  private RuntimeException diagnoseInsertFailure(
      TypeInfo t, CollectionInfo run, List<DatasetRef> refs, RuntimeException cause) {
    if (collectionStorage.selectCollection(COLL_ID.eq(run.id())).isEmpty()) {
      forgetCaches();
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
      Optional<DatasetRef> existing = findIn(t, ref.dataId(), List.of(run), null);
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
      Optional<DatasetRef> sameId = findDatasetNoLock(ref.id());
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

  private static String firstLine(String s) {
    if (s == null) {
      return "no reason given";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  @Override
  public synchronized List<DatasetRef> importDatasets(List<DatasetRef> refs) {
    checkWritable();
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
            TypeInfo t = requireType(first.datasetType().name());
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
              Optional<DatasetRef> stored = findDatasetNoLock(ref.id());
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

  @Override
  public synchronized Optional<DatasetRef> findDataset(UUID id) {
    return findDatasetNoLock(id);
  }

  Optional<DatasetRef> findDatasetNoLock(UUID id) {
    String q =
        sql(
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
        sql(
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

  @Override
  public synchronized void removeDatasets(Collection<DatasetRef> refs) {
    checkWritable();
    String q =
        sql(
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

  /** Checks that each ref names an existing dataset of its type. */
  void requireStored(List<DatasetRef> refs) {
    for (DatasetRef ref : refs) {
      Optional<DatasetRef> stored = findDatasetNoLock(ref.id());
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

  @Override
  public synchronized void associate(String tagged, List<DatasetRef> refs) {
    checkWritable();
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
            TypeInfo t = requireType(ref.datasetType().parentName());
            Optional<DatasetRef> there = findIn(t, ref.dataId(), List.of(c), null);
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

  @Override
  public synchronized void disassociate(String tagged, List<DatasetRef> refs) {
    checkWritable();
    CollectionInfo c =
        collectionStorage.requireCollection(
            tagged,
            CollectionType.TAGGED,
            "disassociate removes datasets from TAGGED collections only.");
    db.transaction(
        () -> {
          for (DatasetRef ref : refs) {
            TypeInfo t = requireType(ref.datasetType().parentName());
            ctx.deleteFrom(table(t.tagsTable()))
                .where(field(name("dataset_id")).eq(DSL.val(dialect.toDb(ref.id()))))
                .and(TAG_COLLECTION.eq(c.id()))
                .execute();
          }
          return null;
        });
  }

  // ---------------------------------------------------------------- calibrations

  @Override
  public synchronized void certify(String collection, List<DatasetRef> refs, Timespan validity) {
    calibrations.certify(collection, refs, validity);
  }

  @Override
  public synchronized void decertify(
      String collection, String datasetType, Timespan range, List<DataCoordinate> dataIds) {
    calibrations.decertify(collection, datasetType, range, dataIds);
  }

  @Override
  public synchronized List<DatasetAssociation> datasetAssociations(
      String datasetType, List<String> collectionNames) {
    return calibrations.datasetAssociations(datasetType, collectionNames);
  }

  // ---------------------------------------------------------------- lookup

  @Override
  public Optional<DatasetRef> findDataset(
      String datasetType, DataCoordinate dataId, List<String> collectionNames) {
    return findDataset(datasetType, dataId, collectionNames, null);
  }

  @Override
  public synchronized Optional<DatasetRef> findDataset(
      String datasetType, DataCoordinate dataId, List<String> collectionNames, Timespan timespan) {
    TypeInfo t = requireType(datasetType);
    return findIn(
        t,
        dataId.subset(t.type().dimensions()),
        collectionStorage.flattenInfos(collectionNames),
        timespan);
  }

  /** Find-first over a flattened path; CALIBRATION collections only with a timespan. */
  private Optional<DatasetRef> findIn(
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
  private String runOf(UUID id) {
    String q =
        sql(
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
  private void lookup(
      TypeInfo t,
      Name table,
      DataCoordinate dataId,
      List<CollectionInfo> in,
      Timespan window,
      Map<Long, UUID[]> hits) {
    List<String> dims = t.type().dimensions().required();
    String q =
        sql(
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

  // ---------------------------------------------------------------- queries

  @Override
  public synchronized QueryResult<DataCoordinate> queryDataIds(
      DimensionGroup dims,
      List<String> datasetTypeNames,
      List<String> collectionNames,
      DataQuery q) {
    return queries.queryDataIds(dims, datasetTypeNames, collectionNames, q);
  }

  @Override
  public synchronized QueryResult<DatasetRef> queryDatasets(
      String typeExpr, List<String> collectionNames, DataQuery q) {
    return queries.queryDatasets(typeExpr, collectionNames, q, q.findFirst());
  }

  @Override
  public synchronized QueryResult<DimensionRecord> queryDimensionRecords(
      String elementName, DataQuery q) {
    return queries.queryDimensionRecords(elementName, q);
  }

  @Override
  public synchronized List<String> queryCollections(
      String glob, Set<CollectionType> types, boolean flattenChains, boolean includeChains) {
    return queries.queryCollections(glob, types, flattenChains, includeChains);
  }

  @Override
  public synchronized List<DatasetType> queryDatasetTypes(String glob) {
    return queries.queryDatasetTypes(glob);
  }

  @Override
  public synchronized void close() {
    db.close();
  }
}
