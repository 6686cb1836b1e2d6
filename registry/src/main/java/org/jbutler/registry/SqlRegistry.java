package org.jbutler.registry;

import static org.jbutler.registry.Tables.*;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jbutler.schema.CollectionCycleException;
import org.jbutler.schema.CollectionNames;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.CollectionTypeException;
import org.jbutler.schema.ConflictingDefinitionException;
import org.jbutler.schema.DataCoordinate;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.DimensionElement;
import org.jbutler.schema.DimensionGroup;
import org.jbutler.schema.DimensionRecord;
import org.jbutler.schema.DimensionUniverse;
import org.jbutler.schema.InvalidDataIdException;
import org.jbutler.schema.MissingCollectionException;
import org.jbutler.schema.MissingDatasetTypeException;
import org.jbutler.schema.Timespan;
import org.jooq.BatchBindStep;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Name;
import org.jooq.Record;
import org.jooq.Table;
import org.jooq.impl.DSL;

/**
 * The registry over one JDBC connection. Public methods are synchronized: the connection is used by
 * one thread at a time, and every write is one transaction.
 */
final class SqlRegistry implements Registry {

  private record CollectionInfo(long id, String name, CollectionType type) {}

  private record TypeInfo(long id, DatasetType type, Name tagsTable) {}

  private final Connection connection;
  private final Dialect dialect;
  private final DSLContext ctx;
  private final DimensionUniverse universe;
  private final Tables tables;
  private final boolean readOnly;
  private final Map<String, CollectionInfo> collections = new HashMap<>();
  private final Map<String, TypeInfo> datasetTypes = new HashMap<>();

  SqlRegistry(
      Connection connection, Dialect dialect, DimensionUniverse universe, boolean readOnly) {
    this.connection = connection;
    this.dialect = dialect;
    this.ctx = DSL.using(connection, dialect.sql());
    this.universe = universe;
    this.tables = new Tables(dialect);
    this.readOnly = readOnly;
  }

  @Override
  public DimensionUniverse universe() {
    return universe;
  }

  private void checkWritable() {
    if (readOnly) {
      throw new ConflictingDefinitionException(
          "This repository's schema is newer than this jbutler; it is open read-only. Upgrade"
              + " jbutler to write to it.");
    }
  }

  // ---------------------------------------------------------------- dimension records

  @Override
  public synchronized void insertDimensionRecords(String element, List<DimensionRecord> records) {
    checkWritable();
    DimensionElement e = universe.element(element);
    if (!e.hasOwnTable()) {
      throw new InvalidDataIdException(
          "Element '"
              + element
              + "' has no table of its own; insert records of "
              + e.impliedUnionTarget().orElse("the elements that imply it")
              + " instead.");
    }
    if (records.isEmpty()) {
      return;
    }
    for (DimensionRecord r : records) {
      if (r.element() != e) {
        throw new InvalidDataIdException(
            "Record " + r + " belongs to '" + r.element().name() + "', not '" + element + "'.");
      }
    }
    List<Field<Object>> columns = recordColumns(e);
    try {
      ctx.transaction(
          cfg -> {
            DSLContext tx = DSL.using(cfg);
            BatchBindStep batch =
                tx.batch(
                    tx.insertInto(elementTable(e), columns)
                        .values(java.util.Collections.nCopies(columns.size(), (Object) null)));
            for (DimensionRecord r : records) {
              batch.bind(recordValues(e, r));
            }
            batch.execute();
          });
    } catch (org.jooq.exception.DataAccessException ex) {
      throw diagnoseRecordFailure(e, records, ex);
    }
  }

  private static List<Field<Object>> recordColumns(DimensionElement e) {
    List<Field<Object>> columns = new ArrayList<>();
    e.fields().forEach((n, spec) -> columns.add(column(n, spec)));
    if (e.isTemporal()) {
      columns.add(field(name("timespan_begin")));
      columns.add(field(name("timespan_end")));
    }
    if (e.isSpatial()) {
      columns.add(field(name("region")));
    }
    return columns;
  }

  private static Object[] recordValues(DimensionElement e, DimensionRecord r) {
    List<Object> values = new ArrayList<>();
    for (String f : e.fields().keySet()) {
      values.add(r.value(f).orElse(null));
    }
    if (e.isTemporal()) {
      Optional<Timespan> t = r.timespan();
      values.add(t.map(Timespan::begin).orElse(null));
      values.add(t.map(Timespan::end).orElse(null));
    }
    if (e.isSpatial()) {
      values.add(r.region().map(org.jbutler.schema.Region::encoded).orElse(null));
    }
    return values.toArray();
  }

  private RuntimeException diagnoseRecordFailure(
      DimensionElement e, List<DimensionRecord> records, RuntimeException cause) {
    List<String> referenced = new ArrayList<>(e.required());
    referenced.remove(e.name());
    referenced.addAll(e.implied());
    for (DimensionRecord r : records) {
      Map<String, Object> values = new HashMap<>();
      for (String dim : referenced) {
        r.value(dim).ifPresent(v -> values.put(dim, v));
      }
      Optional<String> missing = missingDimensionValue(referenced, values);
      if (missing.isPresent()) {
        return new InvalidDataIdException(
            "Cannot insert " + e.name() + " record " + r.dataId() + ": " + missing.get(), cause);
      }
      if (ctx.fetchExists(elementTable(e), keyCondition(e, r.dataId().required()))) {
        return new ConflictingDefinitionException(
            "A " + e.name() + " record for " + r.dataId() + " already exists.", cause);
      }
    }
    return new ConflictingDefinitionException(
        "Cannot insert " + e.name() + " records: " + cause.getMessage(), cause);
  }

  /** The condition selecting the row of {@code e} identified by dimension values. */
  private static Condition keyCondition(DimensionElement e, Map<String, Object> values) {
    Condition c = DSL.noCondition();
    for (String r : e.required()) {
      String col = r.equals(e.name()) ? e.primaryKey().name() : r;
      c = c.and(field(name(col)).eq(DSL.val(values.get(r))));
    }
    return c;
  }

  /**
   * Returns a message naming the first of {@code dimensions} whose value (with its own required
   * values, all taken from {@code values}) has no record, if any.
   */
  private Optional<String> missingDimensionValue(
      List<String> dimensions, Map<String, Object> values) {
    for (String dim : dimensions) {
      DimensionElement d = universe.element(dim);
      if (!d.hasOwnTable() || !values.keySet().containsAll(d.required())) {
        continue;
      }
      if (!ctx.fetchExists(elementTable(d), keyCondition(d, values))) {
        StringBuilder context = new StringBuilder();
        for (String r : d.required()) {
          if (!r.equals(dim)) {
            context
                .append(context.length() == 0 ? " for " : ", ")
                .append(r)
                .append('=')
                .append(quote(values.get(r)));
          }
        }
        return Optional.of(
            "no "
                + dim
                + " record with "
                + dim
                + "="
                + quote(values.get(dim))
                + context
                + "; insert the "
                + dim
                + " record first.");
      }
    }
    return Optional.empty();
  }

  private static String quote(Object v) {
    return v instanceof String ? "'" + v + "'" : String.valueOf(v);
  }

  @Override
  public synchronized List<DimensionRecord> fetchDimensionRecords(String element) {
    DimensionElement e = universe.element(element);
    List<Field<Object>> columns = recordColumns(e);
    List<Field<?>> order = new ArrayList<>();
    for (String r : e.required()) {
      order.add(field(name(r.equals(e.name()) ? e.primaryKey().name() : r)));
    }
    List<DimensionRecord> out = new ArrayList<>();
    for (Record row :
        ctx.select(columns).from(elementTable(e)).orderBy(order.toArray(Field<?>[]::new)).fetch()) {
      Map<String, Object> values = new LinkedHashMap<>();
      int i = 0;
      for (String f : e.fields().keySet()) {
        values.put(f, row.get(i++));
      }
      if (e.isTemporal()) {
        Object b = row.get(i++);
        Object end = row.get(i++);
        if (b != null && end != null) {
          values.put(
              DimensionElement.TIMESPAN_FIELD,
              Timespan.of(((Number) b).longValue(), ((Number) end).longValue()));
        }
      }
      if (e.isSpatial()) {
        Object region = row.get(i);
        if (region != null) {
          values.put(
              DimensionElement.REGION_FIELD, new org.jbutler.schema.Region(region.toString()));
        }
      }
      out.add(DimensionRecord.of(e, values));
    }
    return out;
  }

  // ---------------------------------------------------------------- dataset types

  @Override
  public synchronized boolean registerDatasetType(DatasetType datasetType) {
    Objects.requireNonNull(datasetType, "datasetType");
    if (datasetType.isComponent()) {
      throw new org.jbutler.schema.DatasetTypeException(
          "Component dataset type '"
              + datasetType.name()
              + "' cannot be registered; register '"
              + datasetType.parentName()
              + "'.");
    }
    Optional<TypeInfo> existing = findType(datasetType.name());
    if (existing.isPresent()) {
      if (existing.get().type().equals(datasetType)) {
        return false;
      }
      throw new ConflictingDefinitionException(
          "Dataset type '"
              + datasetType.name()
              + "' is already registered as "
              + existing.get().type()
              + "; cannot register it as "
              + datasetType
              + ".");
    }
    checkWritable();
    ctx.transaction(
        cfg -> {
          DSLContext tx = DSL.using(cfg);
          String names = String.join(",", datasetType.dimensions().required());
          Long key =
              tx.select(GROUP_ID)
                  .from(DIMENSION_GROUP)
                  .where(GROUP_NAMES.eq(names))
                  .fetchOne(GROUP_ID);
          if (key == null) {
            key =
                tx.insertInto(DIMENSION_GROUP, GROUP_NAMES)
                    .values(names)
                    .returning(GROUP_ID)
                    .fetchOne(GROUP_ID);
          }
          Name tags = tagsTableName(key);
          tables.createTagsTable(tx, tags, datasetType.dimensions());
          tx.insertInto(
                  DATASET_TYPE,
                  DT_NAME,
                  DT_STORAGE_CLASS,
                  DT_DIMENSIONS_KEY,
                  DT_CALIBRATION,
                  DT_TAGS)
              .values(
                  datasetType.name(),
                  datasetType.storageClass(),
                  key,
                  datasetType.isCalibration(),
                  tags.last())
              .execute();
        });
    datasetTypes.remove(datasetType.name());
    return true;
  }

  private Optional<TypeInfo> findType(String name) {
    TypeInfo cached = datasetTypes.get(name);
    if (cached != null) {
      return Optional.of(cached);
    }
    return selectTypes(DT_NAME.eq(name)).stream().findFirst();
  }

  /** Reads dataset type rows matching a condition, caching each, ordered by name. */
  private List<TypeInfo> selectTypes(Condition where) {
    List<TypeInfo> out = new ArrayList<>();
    for (Record r :
        ctx.select(DT_ID, DT_NAME, DT_STORAGE_CLASS, DT_CALIBRATION, DT_TAGS, GROUP_NAMES)
            .from(DATASET_TYPE)
            .join(DIMENSION_GROUP)
            .on(DT_DIMENSIONS_KEY.eq(GROUP_ID))
            .where(where)
            .orderBy(DT_NAME)
            .fetch()) {
      String names = r.get(GROUP_NAMES);
      DimensionGroup group =
          universe.group(names.isEmpty() ? List.of() : List.of(names.split(",")));
      DatasetType type =
          DatasetType.of(
              r.get(DT_NAME),
              group,
              r.get(DT_STORAGE_CLASS),
              Boolean.TRUE.equals(r.get(DT_CALIBRATION)));
      TypeInfo info = new TypeInfo(r.get(DT_ID), type, name(r.get(DT_TAGS)));
      datasetTypes.put(type.name(), info);
      out.add(info);
    }
    return out;
  }

  private TypeInfo requireType(String name) {
    return findType(name)
        .orElseThrow(
            () ->
                new MissingDatasetTypeException(
                    "Dataset type '"
                        + name
                        + "' is not registered; registered types: "
                        + String.join(
                            ", ",
                            ctx.select(DT_NAME).from(DATASET_TYPE).orderBy(DT_NAME).fetch(DT_NAME))
                        + "."));
  }

  @Override
  public synchronized DatasetType datasetType(String name) {
    return requireType(name).type();
  }

  @Override
  public synchronized List<DatasetType> datasetTypes() {
    return selectTypes(DSL.noCondition()).stream().map(TypeInfo::type).toList();
  }

  @Override
  public synchronized void removeDatasetType(String name) {
    checkWritable();
    TypeInfo t = requireType(name);
    int n = ctx.fetchCount(DATASET, DS_TYPE.eq(t.id()));
    if (n > 0) {
      throw new ConflictingDefinitionException(
          "Dataset type '" + name + "' still has " + n + " dataset(s); remove them first.");
    }
    ctx.deleteFrom(DATASET_TYPE).where(DT_ID.eq(t.id())).execute();
    datasetTypes.remove(name);
  }

  // ---------------------------------------------------------------- collections

  @Override
  public synchronized boolean registerCollection(String name, CollectionType type, String doc) {
    Objects.requireNonNull(type, "type");
    CollectionNames.check(name);
    Optional<CollectionInfo> existing = findCollection(name);
    if (existing.isPresent()) {
      if (existing.get().type() == type) {
        return false;
      }
      throw new ConflictingDefinitionException(
          "Collection '"
              + name
              + "' already exists as "
              + existing.get().type()
              + "; cannot register it as "
              + type
              + ".");
    }
    checkWritable();
    ctx.transaction(
        cfg -> {
          DSLContext tx = DSL.using(cfg);
          Long id =
              tx.insertInto(COLLECTION, COLL_NAME, COLL_TYPE, COLL_DOC)
                  .values(name, (short) type.code(), doc)
                  .returning(COLL_ID)
                  .fetchOne(COLL_ID);
          if (type == CollectionType.RUN) {
            tx.insertInto(RUN, RUN_ID).values(id).execute();
          }
        });
    return true;
  }

  private Optional<CollectionInfo> findCollection(String name) {
    CollectionInfo cached = collections.get(name);
    if (cached != null) {
      return Optional.of(cached);
    }
    Record r = ctx.select(COLL_ID, COLL_TYPE).from(COLLECTION).where(COLL_NAME.eq(name)).fetchOne();
    if (r == null) {
      return Optional.empty();
    }
    CollectionInfo info =
        new CollectionInfo(r.get(COLL_ID), name, CollectionType.fromCode(r.get(COLL_TYPE)));
    collections.put(name, info);
    return Optional.of(info);
  }

  private CollectionInfo requireCollection(String name) {
    return findCollection(name)
        .orElseThrow(
            () -> new MissingCollectionException("Collection '" + name + "' does not exist."));
  }

  @Override
  public synchronized CollectionType collectionType(String name) {
    return requireCollection(name).type();
  }

  @Override
  public synchronized void setChain(String parent, List<String> children) {
    checkWritable();
    CollectionInfo p = requireCollection(parent);
    if (p.type() != CollectionType.CHAINED) {
      throw new CollectionTypeException(
          "Collection '" + parent + "' is " + p.type() + ", not CHAINED; it cannot have children.");
    }
    List<CollectionInfo> kids = new ArrayList<>();
    for (String c : new LinkedHashSet<>(children)) {
      kids.add(requireCollection(c));
    }
    for (CollectionInfo k : kids) {
      List<String> path = new ArrayList<>(List.of(parent));
      if (reaches(k.name(), parent, path)) {
        throw new CollectionCycleException(
            "Adding '"
                + k.name()
                + "' to chain '"
                + parent
                + "' would make a cycle: "
                + String.join(" -> ", path)
                + ".");
      }
    }
    ctx.transaction(
        cfg -> {
          DSLContext tx = DSL.using(cfg);
          tx.deleteFrom(CHAIN).where(CHAIN_PARENT.eq(p.id())).execute();
          short pos = 0;
          for (CollectionInfo k : kids) {
            tx.insertInto(CHAIN, CHAIN_PARENT, CHAIN_POSITION, CHAIN_CHILD)
                .values(p.id(), pos++, k.id())
                .execute();
          }
        });
  }

  /** Whether {@code from} is, or contains through chains, {@code target}; fills the path. */
  private boolean reaches(String from, String target, List<String> path) {
    path.add(from);
    if (from.equals(target)) {
      return true;
    }
    if (requireCollection(from).type() == CollectionType.CHAINED) {
      for (String c : chain(from)) {
        if (reaches(c, target, path)) {
          return true;
        }
      }
    }
    path.remove(path.size() - 1);
    return false;
  }

  @Override
  public synchronized List<String> chain(String parent) {
    CollectionInfo p = requireCollection(parent);
    return ctx.select(COLL_NAME)
        .from(CHAIN)
        .join(COLLECTION)
        .on(CHAIN_CHILD.eq(COLL_ID))
        .where(CHAIN_PARENT.eq(p.id()))
        .orderBy(CHAIN_POSITION)
        .fetch(COLL_NAME);
  }

  @Override
  public synchronized List<String> flatten(List<String> search) {
    Set<String> out = new LinkedHashSet<>();
    for (String c : search) {
      flattenInto(c, out);
    }
    return List.copyOf(out);
  }

  private void flattenInto(String name, Set<String> out) {
    if (requireCollection(name).type() == CollectionType.CHAINED) {
      for (String c : chain(name)) {
        flattenInto(c, out);
      }
    } else {
      out.add(name);
    }
  }

  @Override
  public synchronized void removeCollection(String name) {
    checkWritable();
    CollectionInfo c = requireCollection(name);
    List<String> parents =
        ctx.select(COLL_NAME)
            .from(CHAIN)
            .join(COLLECTION)
            .on(CHAIN_PARENT.eq(COLL_ID))
            .where(CHAIN_CHILD.eq(c.id()))
            .fetch(COLL_NAME);
    if (!parents.isEmpty()) {
      throw new ConflictingDefinitionException(
          "Collection '"
              + name
              + "' is a child of chain(s) "
              + String.join(", ", parents)
              + "; remove it from them first.");
    }
    ctx.transaction(
        cfg -> {
          DSLContext tx = DSL.using(cfg);
          if (c.type() == CollectionType.RUN) {
            tx.deleteFrom(DATASET).where(DS_RUN.eq(c.id())).execute();
          }
          tx.deleteFrom(COLLECTION).where(COLL_ID.eq(c.id())).execute();
        });
    collections.remove(name);
  }

  // ---------------------------------------------------------------- datasets

  @Override
  public synchronized List<DatasetRef> insertDatasets(
      String datasetType, List<DataCoordinate> dataIds, String run, DatasetIdGenerationMode mode) {
    checkWritable();
    TypeInfo t = requireType(datasetType);
    CollectionInfo r = requireCollection(run);
    if (r.type() != CollectionType.RUN) {
      throw new CollectionTypeException(
          "Collection '"
              + run
              + "' is "
              + r.type()
              + "; datasets can only be inserted into a RUN.");
    }
    List<DatasetRef> refs = new ArrayList<>(dataIds.size());
    for (DataCoordinate d : dataIds) {
      refs.add(DatasetRef.create(t.type(), d.subset(t.type().dimensions()), run, mode));
    }
    List<String> dims = t.type().dimensions().required();
    List<Field<Object>> tagColumns = new ArrayList<>();
    tagColumns.add(field(name("dataset_type_id")));
    tagColumns.add(field(name("dataset_id")));
    tagColumns.add(field(name("collection_id")));
    for (String d : dims) {
      tagColumns.add(field(name(d)));
    }
    long now = org.jbutler.schema.Times.now();
    try {
      ctx.transaction(
          cfg -> {
            DSLContext tx = DSL.using(cfg);
            BatchBindStep datasets =
                tx.batch(
                    tx.insertInto(DATASET, tables.datasetId(), DS_TYPE, DS_RUN, DS_INGEST)
                        .values((Object) null, null, null, null));
            Object[] nulls = new Object[tagColumns.size()];
            BatchBindStep tags =
                tx.batch(tx.insertInto(table(t.tagsTable()), tagColumns).values(nulls));
            for (DatasetRef ref : refs) {
              Object id = dialect.toDb(ref.id());
              datasets.bind(id, t.id(), r.id(), now);
              Object[] row = new Object[tagColumns.size()];
              row[0] = t.id();
              row[1] = id;
              row[2] = r.id();
              List<Object> values = ref.dataId().requiredValues();
              for (int i = 0; i < values.size(); i++) {
                row[3 + i] = values.get(i);
              }
              tags.bind(row);
            }
            datasets.execute();
            tags.execute();
          });
    } catch (org.jooq.exception.DataAccessException ex) {
      throw diagnoseInsertFailure(t, r, refs, ex);
    }
    return refs;
  }

  private RuntimeException diagnoseInsertFailure(
      TypeInfo t, CollectionInfo run, List<DatasetRef> refs, RuntimeException cause) {
    for (DatasetRef ref : refs) {
      Optional<String> missing =
          missingDimensionValue(ref.dataId().dimensions().required(), ref.dataId().required());
      if (missing.isPresent()) {
        return new InvalidDataIdException(
            "Cannot insert '" + t.type().name() + "' for " + ref.dataId() + ": " + missing.get(),
            cause);
      }
      Optional<DatasetRef> existing = findIn(t, ref.dataId(), List.of(run));
      if (existing.isPresent()) {
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
      if (ctx.fetchExists(DATASET, tables.datasetId().eq(dialect.toDb(ref.id())))) {
        return new ConflictingDefinitionException(
            "Dataset ID "
                + ref.id()
                + " for '"
                + t.type().name()
                + "' "
                + ref.dataId()
                + " already exists in another run; use DATAID_TYPE_RUN or UNIQUE IDs to insert it into '"
                + run.name()
                + "'.",
            cause);
      }
    }
    return new ConflictingDefinitionException(
        "Cannot insert datasets: " + cause.getMessage(), cause);
  }

  @Override
  public synchronized Optional<DatasetRef> findDataset(
      String datasetType, DataCoordinate dataId, List<String> collections) {
    TypeInfo t = requireType(datasetType);
    List<CollectionInfo> path = new ArrayList<>();
    for (String c : flatten(collections)) {
      CollectionInfo info = requireCollection(c);
      if (info.type() != CollectionType.CALIBRATION) {
        path.add(info);
      }
    }
    return findIn(t, dataId.subset(t.type().dimensions()), path);
  }

  private Optional<DatasetRef> findIn(
      TypeInfo t, DataCoordinate dataId, List<CollectionInfo> path) {
    if (path.isEmpty()) {
      return Optional.empty();
    }
    Table<Record> tags = table(t.tagsTable());
    Field<Long> tagCollection = field(name(t.tagsTable().last(), "collection_id"), Long.class);
    Field<Object> tagDataset = field(name(t.tagsTable().last(), "dataset_id"));
    Condition where = field(name(t.tagsTable().last(), "dataset_type_id"), Long.class).eq(t.id());
    List<Long> ids = path.stream().map(CollectionInfo::id).toList();
    where = where.and(tagCollection.in(ids));
    for (Map.Entry<String, Object> e : dataId.required().entrySet()) {
      where = where.and(field(name(t.tagsTable().last(), e.getKey())).eq(DSL.val(e.getValue())));
    }
    Map<Long, Object[]> found = new HashMap<>();
    for (Record row :
        ctx.select(tagCollection, tagDataset, COLL_NAME)
            .from(tags)
            .join(DATASET)
            .on(tables.datasetId().eq(tagDataset))
            .join(COLLECTION)
            .on(COLL_ID.eq(DS_RUN))
            .where(where)
            .fetch()) {
      found.put(row.get(0, Long.class), new Object[] {row.get(1), row.get(2, String.class)});
    }
    for (CollectionInfo c : path) {
      Object[] hit = found.get(c.id());
      if (hit != null) {
        UUID id = dialect.fromDb(hit[0]);
        return Optional.of(new DatasetRef(t.type(), dataId, (String) hit[1], id));
      }
    }
    return Optional.empty();
  }

  @Override
  public synchronized void close() {
    try {
      connection.close();
    } catch (java.sql.SQLException e) {
      throw new org.jbutler.schema.ButlerException(
          org.jbutler.schema.ButlerException.Category.INTERNAL,
          "Cannot close the registry connection",
          e);
    }
  }
}
