package org.jbutler.registry;

import static org.jbutler.registry.Tables.column;
import static org.jbutler.registry.Tables.elementTable;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.ColumnSpec;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionElement;
import org.jbutler.schema.dimensions.DimensionGroup;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.dimensions.UnresolvedDataId;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.jbutler.schema.exceptions.InvalidDataIdException;
import org.jbutler.schema.region.Region;
import org.jooq.BatchBindStep;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;

/** Dimension records: insert, sync, fetch, and data ID expansion. Callers hold the lock. */
final class DimensionRecordStorage {

  private final Db db;
  private final DimensionUniverse universe;

  DimensionRecordStorage(Db db, DimensionUniverse universe) {
    this.db = db;
    this.universe = universe;
    db.overlapLevel(probeOverlaps());
  }

  /**
   * The level of the common pixelization (htm7: 7) whose overlaps are kept, or −1 when there are
   * none: a repository made before overlap tables existed, or a universe whose common skypix is not
   * HTM. Element-region queries then read every candidate and test its region.
   */
  private int probeOverlaps() {
    var common = universe.findElement(universe.commonSkyPix()).orElse(null);
    if (common == null || !"htm".equals(common.skyPixSystem().orElse(""))) {
      return -1;
    }
    for (DimensionElement e : universe.elements()) {
      if (e.hasOwnTable() && e.isSpatial()) {
        try {
          db.ctx().selectOne().from(Tables.overlapTable(e)).where(DSL.falseCondition()).fetch();
          return common.skyPixLevel();
        } catch (org.jooq.exception.DataAccessException absent) {
          return -1;
        }
      }
    }
    return -1;
  }

  /**
   * Recomputes every spatial element's common-skypix overlap rows from its records' regions,
   * creating the tables a repository made before them lacks, in the caller's transaction.
   *
   * @return the rows written, by element
   * @throws org.jbutler.schema.exceptions.InvalidConfigException if the universe's common skypix is
   *     not an HTM level
   */
  java.util.Map<String, Long> rebuildOverlaps() {
    var common = universe.findElement(universe.commonSkyPix()).orElse(null);
    if (common == null || !"htm".equals(common.skyPixSystem().orElse(""))) {
      throw new org.jbutler.schema.exceptions.InvalidConfigException(
          "This universe's common skypix ("
              + universe.commonSkyPix()
              + ") is not an HTM level; overlap rows are kept for htm only.");
    }
    int previous = db.overlapLevel();
    db.overlapLevel(common.skyPixLevel());
    java.util.Map<String, Long> written = new java.util.LinkedHashMap<>();
    try {
      DSLContext ctx = db.ctx();
      for (DimensionElement e : universe.elements()) {
        if (!e.hasOwnTable() || !e.isSpatial()) {
          continue;
        }
        if (ctx.meta().getTables(Tables.overlapTable(e).getName()).isEmpty()) {
          Tables.createOverlapTable(ctx, e);
        } else {
          ctx.deleteFrom(Tables.overlapTable(e)).execute();
        }
        List<DimensionRecord> all = fetchAll(e);
        writeOverlaps(e, all, false);
        written.put(e.name(), (long) ctx.fetchCount(Tables.overlapTable(e)));
      }
      return written;
    } catch (RuntimeException ex) {
      db.overlapLevel(previous);
      throw ex;
    }
  }

  /** Writes the common-skypix overlap rows of records with regions (after deleting old ones). */
  private void writeOverlaps(DimensionElement e, List<DimensionRecord> records, boolean replace) {
    int level = db.overlapLevel();
    if (level < 0 || !e.isSpatial()) {
      return;
    }
    DSLContext ctx = db.ctx();
    org.jbutler.schema.region.HtmPixelization htm =
        new org.jbutler.schema.region.HtmPixelization(level);
    List<Field<Object>> keys = new ArrayList<>();
    for (String r : e.required()) {
      keys.add(field(name(keyColumn(e, r))));
    }
    List<Field<?>> columns = new ArrayList<>(keys);
    columns.add(Tables.OVERLAP_SYSTEM);
    columns.add(Tables.OVERLAP_LEVEL);
    columns.add(Tables.OVERLAP_INDEX);
    BatchBindStep batch =
        ctx.batch(
            ctx.insertInto(Tables.overlapTable(e), columns)
                .values(Collections.nCopies(columns.size(), (Object) null)));
    int n = 0;
    for (DimensionRecord r : records) {
      Map<String, Object> values = r.dataId().required();
      if (replace) {
        ctx.deleteFrom(Tables.overlapTable(e)).where(keyCondition(e, values)).execute();
      }
      if (r.region().isEmpty()) {
        continue;
      }
      for (long[] range : htm.envelope(r.region().get(), 64)) {
        for (long i = range[0]; i < range[1]; i++) {
          Object[] row = new Object[columns.size()];
          int k = 0;
          for (String d : e.required()) {
            row[k++] = values.get(d);
          }
          row[k++] = "htm";
          row[k++] = level;
          row[k] = i;
          batch.bind(row);
          n++;
        }
      }
    }
    if (n > 0) {
      batch.execute();
    }
  }

  /** The tables an element's records are written to: its own and, if spatial, its overlaps. */
  List<String> tablesOf(DimensionElement e) {
    return e.isSpatial() && db.overlapLevel() >= 0
        ? List.of(e.name(), Tables.overlapTable(e).getName())
        : List.of(e.name());
  }

  /** Checks that records can be written to an element's table at all. */
  DimensionElement writableElement(String element, List<DimensionRecord> records) {
    DimensionElement e = universe.element(element);
    if (!e.hasOwnTable()) {
      throw new InvalidDataIdException(
          "Element '"
              + element
              + "' has no table of its own; insert records of "
              + e.impliedUnionTarget().orElse("the elements that imply it")
              + " instead.");
    }
    for (DimensionRecord r : records) {
      if (r.element() != e) {
        throw new InvalidDataIdException(
            "Record " + r + " belongs to '" + r.element().name() + "', not '" + element + "'.");
      }
    }
    return e;
  }

  /** Inserts records in one batch, in the caller's transaction; diagnoses failures. */
  void insert(DimensionElement e, List<DimensionRecord> records, boolean skipExisting) {
    List<DimensionRecord> todo = records;
    if (skipExisting) {
      todo = new ArrayList<>();
      for (DimensionRecord r : records) {
        if (fetch(e, r.dataId().required()).isEmpty()) {
          todo.add(r);
        }
      }
    }
    if (todo.isEmpty()) {
      return;
    }
    List<Field<Object>> columns = columns(e);
    DSLContext ctx = db.ctx();
    final List<DimensionRecord> rows = todo;
    try {
      db.transaction(
          () -> {
            BatchBindStep batch =
                ctx.batch(
                    ctx.insertInto(elementTable(e), columns)
                        .values(Collections.nCopies(columns.size(), (Object) null)));
            for (DimensionRecord r : rows) {
              batch.bind(values(e, r));
            }
            batch.execute();
            writeOverlaps(e, rows, false);
            return null;
          });
    } catch (org.jooq.exception.DataAccessException ex) {
      throw diagnose(e, rows, ex);
    }
  }

  /** Inserts a record, or compares it with the stored one (and updates it if asked). */
  Registry.SyncOutcome sync(DimensionElement e, DimensionRecord record, boolean update) {
    Registry.SyncOutcome outcome = syncRecord(e, record, update);
    if (outcome == Registry.SyncOutcome.UPDATED) {
      cached.remove(e.name()); // the stored record changed
    }
    return outcome;
  }

  private Registry.SyncOutcome syncRecord(
      DimensionElement e, DimensionRecord record, boolean update) {
    Optional<DimensionRecord> stored = fetch(e, record.dataId().required());
    if (stored.isEmpty()) {
      insert(e, List.of(record), false);
      return Registry.SyncOutcome.INSERTED;
    }
    Map<String, Object> old = stored.get().toMap();
    Map<String, Object> now = record.toMap();
    List<String> differing = new ArrayList<>();
    for (String f : unionKeys(old, now)) {
      if (!Objects.equals(old.get(f), now.get(f))) {
        differing.add(f + ": stored " + quote(old.get(f)) + ", given " + quote(now.get(f)));
      }
    }
    if (differing.isEmpty()) {
      return Registry.SyncOutcome.UNCHANGED;
    }
    if (!update) {
      throw new ConflictingDefinitionException(
          "The "
              + e.name()
              + " record for "
              + record.dataId()
              + " differs from the stored one ("
              + String.join("; ", differing)
              + "); pass update to replace it.");
    }
    List<Field<Object>> columns = columns(e);
    Object[] values = values(e, record);
    Map<Field<?>, Object> set = new LinkedHashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      set.put(columns.get(i), values[i]);
    }
    db.transaction(
        () -> {
          db.ctx()
              .update(elementTable(e))
              .set(set)
              .where(keyCondition(e, record.dataId().required()))
              .execute();
          writeOverlaps(e, List.of(record), true);
          return null;
        });
    return Registry.SyncOutcome.UPDATED;
  }

  private static List<String> unionKeys(Map<String, Object> a, Map<String, Object> b) {
    List<String> keys = new ArrayList<>(a.keySet());
    for (String k : b.keySet()) {
      if (!a.containsKey(k)) {
        keys.add(k);
      }
    }
    return keys;
  }

  static List<Field<Object>> columns(DimensionElement e) {
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

  private static Object[] values(DimensionElement e, DimensionRecord r) {
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
      values.add(r.region().map(Region::encodeBase64).orElse(null));
    }
    return values.toArray();
  }

  private RuntimeException diagnose(
      DimensionElement e, List<DimensionRecord> records, RuntimeException cause) {
    List<String> referenced = new ArrayList<>(e.required());
    referenced.remove(e.name());
    referenced.addAll(e.implied());
    for (DimensionRecord r : records) {
      Map<String, Object> values = new HashMap<>();
      for (String dim : referenced) {
        r.value(dim).ifPresent(v -> values.put(dim, v));
      }
      Optional<String> missing = missingValue(referenced, values);
      if (missing.isPresent()) {
        return new InvalidDataIdException(
            "Cannot insert " + e.name() + " record " + r.dataId() + ": " + missing.get(), cause);
      }
      if (db.ctx().fetchExists(elementTable(e), keyCondition(e, r.dataId().required()))) {
        return new ConflictingDefinitionException(
            "A " + e.name() + " record for " + r.dataId() + " already exists.", cause);
      }
    }
    return new ConflictingDefinitionException(
        "Cannot insert " + e.name() + " records: " + cause.getMessage(), cause);
  }

  /** The condition selecting the row of {@code e} identified by dimension values. */
  static Condition keyCondition(DimensionElement e, Map<String, Object> values) {
    Condition c = DSL.noCondition();
    for (String r : e.required()) {
      c = c.and(field(name(keyColumn(e, r))).eq(DSL.val(values.get(r))));
    }
    return c;
  }

  /** The column of {@code e}'s table that holds the value of required dimension {@code r}. */
  static String keyColumn(DimensionElement e, String r) {
    return r.equals(e.name()) ? e.primaryKey().name() : r;
  }

  /**
   * Returns a message naming the first of {@code dimensions} whose value (with its own required
   * values, all taken from {@code values}) has no record, if any.
   */
  Optional<String> missingValue(List<String> dimensions, Map<String, Object> values) {
    for (String dim : dimensions) {
      DimensionElement d = universe.element(dim);
      if (!d.hasOwnTable() || !values.keySet().containsAll(d.required())) {
        continue;
      }
      if (!db.ctx().fetchExists(elementTable(d), keyCondition(d, values))) {
        return Optional.of(noRecordMessage(d, values));
      }
    }
    return Optional.empty();
  }

  /** How many values one {@code IN (...)} list carries (SQLite allows 32,766 parameters). */
  private static final int IN_CHUNK = 500;

  /**
   * Checks that every dimension value used by data IDs of one group has its record, with one query
   * per {@value #IN_CHUNK} distinct values; returns a message for the first that does not.
   */
  Optional<String> firstMissing(DimensionGroup group, List<DataCoordinate> dataIds) {
    for (String dim : group.required()) {
      DimensionElement d = universe.element(dim);
      if (!d.hasOwnTable()) {
        continue;
      }
      // Distinct keys, grouped by the values of the dimensions d requires (e.g. its instrument).
      int n = d.required().size();
      Map<List<Object>, java.util.Set<Object>> byPrefix = new LinkedHashMap<>();
      for (DataCoordinate id : dataIds) {
        List<Object> prefix = new ArrayList<>(n - 1);
        for (int i = 0; i < n - 1; i++) {
          prefix.add(id.value(d.required().get(i)));
        }
        byPrefix
            .computeIfAbsent(prefix, k -> new java.util.LinkedHashSet<>())
            .add(id.value(d.name()));
      }
      for (Map.Entry<List<Object>, java.util.Set<Object>> e : byPrefix.entrySet()) {
        List<Object> wanted = new ArrayList<>(e.getValue());
        for (int from = 0; from < wanted.size(); from += IN_CHUNK) {
          List<Object> chunk = wanted.subList(from, Math.min(wanted.size(), from + IN_CHUNK));
          java.util.Set<Object> found = existingKeys(d, e.getKey(), chunk);
          for (Object v : chunk) {
            if (!found.contains(v)) {
              Map<String, Object> values = new HashMap<>();
              for (int i = 0; i < n - 1; i++) {
                values.put(d.required().get(i), e.getKey().get(i));
              }
              values.put(d.name(), v);
              return Optional.of(noRecordMessage(d, values));
            }
          }
        }
      }
    }
    return Optional.empty();
  }

  /** The values among {@code keys} of {@code d}'s primary key that have records. */
  private java.util.Set<Object> existingKeys(
      DimensionElement d, List<Object> prefix, List<Object> keys) {
    Field<Object> pk = field(name(d.primaryKey().name()));
    String sql =
        db.sql(
            "keys:" + d.name() + ":" + keys.size(),
            () -> {
              Condition c = DSL.noCondition();
              for (int i = 0; i < prefix.size(); i++) {
                c = c.and(field(name(d.required().get(i))).eq(DSL.param("p")));
              }
              c = c.and(pk.in(Collections.nCopies(keys.size(), DSL.param("k"))));
              return db.ctx().select(pk).from(elementTable(d)).where(c);
            });
    List<Object> params = new ArrayList<>(prefix);
    params.addAll(keys);
    java.util.Set<Object> found = new java.util.HashSet<>();
    for (Object v : db.query(sql, params, rs -> rs.getObject(1))) {
      found.add(v instanceof Number num ? (Object) num.longValue() : v);
    }
    return found;
  }

  private static String noRecordMessage(DimensionElement d, Map<String, Object> values) {
    StringBuilder context = new StringBuilder();
    for (String r : d.required()) {
      if (!r.equals(d.name())) {
        context
            .append(context.length() == 0 ? " for " : ", ")
            .append(r)
            .append('=')
            .append(quote(values.get(r)));
      }
    }
    return "no "
        + d.name()
        + " record with "
        + d.name()
        + "="
        + quote(values.get(d.name()))
        + context
        + "; insert the "
        + d.name()
        + " record first.";
  }

  static String quote(Object v) {
    return v instanceof String ? "'" + v + "'" : String.valueOf(v);
  }

  /** Returns every record of an element, ordered by key. */
  List<DimensionRecord> fetchAll(DimensionElement e) {
    return select(e, DSL.noCondition());
  }

  /** Returns the record of an element with the given required values, if stored. */
  Optional<DimensionRecord> fetch(DimensionElement e, Map<String, Object> requiredValues) {
    if (!e.isCached()) {
      return selectByKey(e, requiredValues);
    }
    List<Object> key = new ArrayList<>(e.required().size());
    for (String r : e.required()) {
      Object v = requiredValues.get(r);
      key.add(v instanceof Number n && !(v instanceof Double) ? (Object) n.longValue() : v);
    }
    Map<List<Object>, DimensionRecord> m =
        cached.computeIfAbsent(e.name(), k -> new java.util.concurrent.ConcurrentHashMap<>());
    DimensionRecord hit = m.get(key);
    if (hit != null) {
      return Optional.of(hit);
    }
    Optional<DimensionRecord> found =
        select(e, keyCondition(e, requiredValues)).stream().findFirst();
    found.ifPresent(r -> m.put(key, r));
    return found;
  }

  /**
   * Records of the elements the universe marks {@code is_cached} (instrument, detector,
   * physical_filter, skymap, visit_system, ...), kept once read, as daf_butler keeps them: those
   * change rarely, so expanding a data ID needs no query for them. Only records found are kept; an
   * update through {@link #sync}, a rollback or {@link Registry#refresh} forgets them. A change
   * made by another process is seen after {@code refresh()}.
   */
  private final Map<String, Map<List<Object>, DimensionRecord>> cached =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** Forgets the cached records (after a rollback, or on refresh). */
  void forgetCached() {
    cached.clear();
  }

  /** The SQL of each element's lookup by its required values, rendered once. */
  private final Map<String, String> byKeySql = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * One record by its required values, through a statement prepared once per connection (the lookup
   * data-ID expansion makes for every element: rendering it with jOOQ each time cost more than the
   * query).
   */
  private Optional<DimensionRecord> selectByKey(
      DimensionElement e, Map<String, Object> requiredValues) {
    String sql =
        byKeySql.computeIfAbsent(
            e.name(),
            k -> {
              Condition c = DSL.noCondition();
              for (String r : e.required()) {
                c = c.and(field(name(keyColumn(e, r))).eq(DSL.param(r, Object.class)));
              }
              return db.ctx().render(db.ctx().select(columns(e)).from(elementTable(e)).where(c));
            });
    List<Object> params = new ArrayList<>(e.required().size());
    for (String r : e.required()) {
      params.add(requiredValues.get(r));
    }
    List<DimensionRecord> found =
        db.query(sql, params, rs -> toRecord(e, i -> rs.getObject(i + 1)));
    return found.stream().findFirst();
  }

  private List<DimensionRecord> select(DimensionElement e, Condition where) {
    List<Field<Object>> columns = columns(e);
    List<Field<?>> order = new ArrayList<>();
    for (String r : e.required()) {
      order.add(field(name(keyColumn(e, r))));
    }
    List<DimensionRecord> out = new ArrayList<>();
    for (Record row :
        db.ctx()
            .select(columns)
            .from(elementTable(e))
            .where(where)
            .orderBy(order.toArray(Field<?>[]::new))
            .fetch()) {
      out.add(toRecord(e, row));
    }
    return out;
  }

  /** A record from a row holding {@link #columns} in order. */
  static DimensionRecord toRecord(DimensionElement e, Record row) {
    return toRecord(e, row::get);
  }

  /** A record from the {@link #columns} values of a row, by 0-based column index. */
  interface Column {
    Object get(int index) throws java.sql.SQLException;
  }

  static DimensionRecord toRecord(DimensionElement e, Column row) {
    try {
      return readRecord(e, row);
    } catch (java.sql.SQLException ex) {
      throw new org.jooq.exception.DataAccessException(ex.getMessage(), ex);
    }
  }

  private static DimensionRecord readRecord(DimensionElement e, Column row)
      throws java.sql.SQLException {
    Map<String, Object> values = new LinkedHashMap<>();
    int i = 0;
    for (Map.Entry<String, ColumnSpec> f : e.fields().entrySet()) {
      values.put(f.getKey(), fromDb(f.getValue(), row.get(i++)));
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
        values.put(DimensionElement.REGION_FIELD, Region.decodeBase64(region.toString()));
      }
    }
    return DimensionRecord.of(e, values);
  }

  /**
   * A column value as the record's field type, whatever the driver returned: SQLite (and
   * daf_butler's SQLite files) store booleans as 0/1 integers, and drivers return INTEGER columns
   * as Integer or Long.
   */
  static Object fromDb(ColumnSpec spec, Object value) {
    if (value == null) {
      return null;
    }
    return switch (spec.type()) {
      case BOOL -> value instanceof Number n ? (Object) (n.longValue() != 0) : value;
      case INT -> value instanceof Number n && !(value instanceof Long) ? n.longValue() : value;
      case FLOAT -> value instanceof Number n ? (Object) n.doubleValue() : value;
      default -> value;
    };
  }

  /**
   * Expands a user's data ID: resolves alternate keys and record fields through the registry, fills
   * implied values, and attaches the records of every element that has one.
   *
   * @param dimensions the dimensions wanted, or null for those the data ID identifies
   * @param cache records already read in this expansion batch, by element and key
   */
  DataCoordinate expand(
      Map<String, ?> input,
      DimensionGroup dimensions,
      Map<String, Map<List<Object>, Optional<DimensionRecord>>> cache) {
    UnresolvedDataId parsed = UnresolvedDataId.parse(universe, input);
    Map<String, Object> values = new LinkedHashMap<>(parsed.values());
    resolveConstraints(parsed.recordConstraints(), values);
    DimensionGroup group = dimensions != null ? dimensions : universe.group(values.keySet());
    Map<String, DimensionRecord> records = new LinkedHashMap<>();
    boolean progress = true;
    while (progress) {
      progress = false;
      for (String name : group.elements()) {
        DimensionElement e = universe.element(name);
        if (records.containsKey(name)
            || !e.hasOwnTable()
            || !values.keySet().containsAll(e.required())) {
          continue;
        }
        List<Object> key = new ArrayList<>(e.required().size());
        Map<String, Object> keyValues = new HashMap<>();
        for (String r : e.required()) {
          key.add(values.get(r));
          keyValues.put(r, values.get(r));
        }
        Optional<DimensionRecord> record =
            cache
                .computeIfAbsent(name, k -> new HashMap<>())
                .computeIfAbsent(key, k -> fetch(e, keyValues));
        if (record.isEmpty()) {
          if (e.isDimension()) {
            throw new InvalidDataIdException(
                "Data ID " + input + " is invalid: " + noRecordMessage(e, keyValues));
          }
          continue; // a combination element with no record (e.g. a visit without that detector)
        }
        records.put(name, record.get());
        for (String implied : e.implied()) {
          Object v = record.get().value(implied).orElse(null);
          Object previous = v == null ? null : values.putIfAbsent(implied, v);
          if (previous != null && !previous.equals(v)) {
            throw new InvalidDataIdException(
                "Data ID "
                    + input
                    + " gives "
                    + implied
                    + "="
                    + quote(previous)
                    + " but the "
                    + name
                    + " record says "
                    + quote(v)
                    + ".");
          }
        }
        progress = true;
      }
    }
    for (String r : group.required()) {
      if (!values.containsKey(r)) {
        throw new InvalidDataIdException(
            "Data ID " + input + " has no value for '" + r + "', needed for " + group + ".");
      }
    }
    Map<String, Object> mine = new LinkedHashMap<>();
    for (String k : group.dataIdKeys()) {
      if (values.containsKey(k)) {
        mine.put(k, values.get(k));
      }
    }
    return DataCoordinate.standardize(mine, group).expanded(records);
  }

  /** Turns {@code element.field = value} constraints into key values, one record per element. */
  private void resolveConstraints(Map<String, Object> constraints, Map<String, Object> values) {
    Map<String, Map<String, Object>> byElement = new LinkedHashMap<>();
    constraints.forEach(
        (k, v) -> {
          int dot = k.indexOf('.');
          byElement
              .computeIfAbsent(k.substring(0, dot), x -> new LinkedHashMap<>())
              .put(k.substring(dot + 1), v);
        });
    for (Map.Entry<String, Map<String, Object>> entry : byElement.entrySet()) {
      DimensionElement e = universe.element(entry.getKey());
      Condition where = DSL.noCondition();
      List<String> described = new ArrayList<>();
      for (Map.Entry<String, Object> f : entry.getValue().entrySet()) {
        where = where.and(field(name(f.getKey())).eq(DSL.val(f.getValue())));
        described.add(e.name() + "." + f.getKey() + "=" + quote(f.getValue()));
      }
      for (String r : e.required()) {
        if (values.containsKey(r)) {
          where = where.and(field(name(keyColumn(e, r))).eq(DSL.val(values.get(r))));
          described.add(r + "=" + quote(values.get(r)));
        }
      }
      List<DimensionRecord> found = select(e, where);
      if (found.isEmpty()) {
        throw new InvalidDataIdException(
            "No " + e.name() + " record with " + String.join(", ", described) + ".");
      }
      if (found.size() > 1) {
        List<String> which = found.stream().map(r -> r.dataId().toString()).limit(10).toList();
        throw new InvalidDataIdException(
            String.join(", ", described)
                + " matches "
                + found.size()
                + " "
                + e.name()
                + " records ("
                + String.join(", ", which)
                + "); add a key such as "
                + String.join(", ", e.required())
                + " to choose one.");
      }
      for (Map.Entry<String, Object> kv : found.get(0).dataId().mapping().entrySet()) {
        Object previous = values.putIfAbsent(kv.getKey(), kv.getValue());
        if (previous != null && !previous.equals(kv.getValue())) {
          throw new InvalidDataIdException(
              String.join(", ", described)
                  + " identifies "
                  + kv.getKey()
                  + "="
                  + quote(kv.getValue())
                  + ", but the data ID says "
                  + quote(previous)
                  + ".");
        }
      }
    }
  }
}
