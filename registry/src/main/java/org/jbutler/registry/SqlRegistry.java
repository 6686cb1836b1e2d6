package org.jbutler.registry;

import static org.jbutler.registry.Tables.*;
import static org.jooq.impl.DSL.name;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionElement;
import org.jbutler.schema.dimensions.DimensionGroup;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.DatasetTypeException;
import org.jooq.DSLContext;
import org.jooq.Name;

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
  private final DatasetLookup lookup;
  private final DatasetStorage datasets;
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
    this.lookup = new DatasetLookup(this, db, tables, types, collectionStorage);
    this.datasets = new DatasetStorage(this, db, tables, types, collectionStorage, records, lookup);
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

  void forgetCaches() {
    collectionStorage.forgetAll();
    types.forgetAll();
    records.forgetCached();
  }

  @Override
  public synchronized void refresh() {
    forgetCaches();
  }

  @Override
  public synchronized <T> T transaction(Supplier<T> work) {
    return db.transaction(work);
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
    db.bulkWritten(records.tablesOf(e), recs.size());
  }

  @Override
  public synchronized SyncOutcome syncDimensionRecord(
      String element, DimensionRecord record, boolean update) {
    checkWritable();
    DimensionElement e = records.writableElement(element, List.of(record));
    return db.transaction(() -> records.sync(e, record, update));
  }

  @Override
  public synchronized Map<String, Long> rebuildSkyPixOverlaps() {
    checkWritable();
    return db.transaction(records::rebuildOverlaps);
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
    return datasets.insertDatasets(datasetType, dataIds, run, mode);
  }

  @Override
  public synchronized List<DatasetRef> importDatasets(List<DatasetRef> refs) {
    checkWritable();
    return datasets.importDatasets(refs);
  }

  @Override
  public synchronized void removeDatasets(Collection<DatasetRef> refs) {
    checkWritable();
    datasets.removeDatasets(refs);
  }

  @Override
  public synchronized void associate(String tagged, List<DatasetRef> refs) {
    checkWritable();
    datasets.associate(tagged, refs);
  }

  @Override
  public synchronized void disassociate(String tagged, List<DatasetRef> refs) {
    checkWritable();
    datasets.disassociate(tagged, refs);
  }

  /** Checks that each ref names an existing dataset of its type. */
  void requireStored(List<DatasetRef> refs) {
    datasets.requireStored(refs);
  }

  Optional<DatasetRef> findDatasetNoLock(UUID id) {
    return lookup.findDatasetNoLock(id);
  }

  @Override
  public synchronized Optional<DatasetRef> findDataset(UUID id) {
    return findDatasetNoLock(id);
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
    return lookup.findIn(
        t,
        dataId.subset(t.type().dimensions()),
        collectionStorage.flattenInfos(collectionNames),
        timespan);
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
