package org.jbutler.registry;

import static org.jbutler.registry.Tables.*;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;

import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.jbutler.registry.SqlRegistry.CollectionInfo;
import org.jbutler.registry.SqlRegistry.TypeInfo;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionElement;
import org.jbutler.schema.dimensions.DimensionGroup;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.CalibrationLookupException;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.impl.DSL;

/**
 * The registry's queries: data IDs, datasets (find-first reduced in Java, calibration lookups
 * matched per exposure or visit), dimension records, collections and dataset types, each as a lazy
 * {@link QueryResult} run under the registry's lock. The SQL itself comes from {@link
 * QueryBuilder}.
 */
final class QueryExecution {

  private final SqlRegistry owner;
  private final Db db;
  private final DSLContext ctx;
  private final SqlDialect dialect;
  private final DimensionUniverse universe;

  QueryExecution(SqlRegistry owner, Db db) {
    this.owner = owner;
    this.db = db;
    this.ctx = db.ctx();
    this.dialect = db.dialect();
    this.universe = owner.universe();
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SqlRegistry.class);

  /** Collections for a search: names, globs allowed unless find-first, flattened. */
  private List<CollectionInfo> searchPath(List<String> names, boolean ordered) {
    List<String> resolved = new ArrayList<>();
    for (String n : names) {
      if (Globs.isPattern(n)) {
        if (ordered) {
          throw new org.jbutler.schema.exceptions.InvalidQueryException(
              "A find-first search needs an ordered list of collection names, not the pattern '"
                  + n
                  + "'; list the collections, or search without find-first.");
        }
        resolved.addAll(queryCollectionsNoLock(n, Set.of(), false, true));
      } else {
        resolved.add(n);
      }
    }
    return owner.flattenInfos(resolved);
  }

  /** Applies a limit's sign convention: negative caps and warns when more exist. */
  private static int fetchLimit(DataQuery q) {
    return q.limit() == 0 ? 0 : Math.abs(q.limit()) + (q.limit() < 0 ? 1 : 0);
  }

  private static <T> List<T> capped(DataQuery q, List<T> rows, String what) {
    if (q.limit() < 0 && rows.size() > -q.limit()) {
      LOG.warn(
          "More {} exist than the limit of {}; showing the first {}.",
          what,
          -q.limit(),
          -q.limit());
      return rows.subList(0, -q.limit());
    }
    return rows;
  }

  private <T> QueryResult<T> result(
      Supplier<List<T>> rows,
      java.util.function.LongSupplier count,
      java.util.function.BooleanSupplier any,
      Supplier<List<String>> explain) {
    return result(rows, count, any, explain, null);
  }

  /**
   * A result whose parts run under the registry's lock; {@code stream}, when given, opens a
   * streamed read (or returns null where the rows must be read at once: inside a transaction, in
   * memory, with a capped limit).
   */
  private <T> QueryResult<T> result(
      Supplier<List<T>> rows,
      java.util.function.LongSupplier count,
      java.util.function.BooleanSupplier any,
      Supplier<List<String>> explain,
      Supplier<java.util.stream.Stream<T>> stream) {
    return new LazyQueryResult<>(
        () -> {
          synchronized (owner) {
            return rows.get();
          }
        },
        () -> {
          synchronized (owner) {
            return count.getAsLong();
          }
        },
        () -> {
          synchronized (owner) {
            return any.getAsBoolean();
          }
        },
        () -> {
          synchronized (owner) {
            return explain.get();
          }
        },
        stream == null
            ? null
            : () -> {
              synchronized (owner) {
                return stream.get();
              }
            });
  }

  QueryResult<DataCoordinate> queryDataIds(
      DimensionGroup dims,
      List<String> datasetTypeNames,
      List<String> collectionNames,
      DataQuery q) {
    List<QueryBuilder.Search> searches = new ArrayList<>();
    if (!datasetTypeNames.isEmpty()) {
      List<CollectionInfo> path = searchPath(collectionNames, false);
      for (String n : datasetTypeNames) {
        searches.add(new QueryBuilder.Search(owner.requireType(n), path));
      }
    }
    QueryBuilder b = new QueryBuilder(db, universe, dims, searches, q, Set.of(), dims.dataIdKeys());
    List<Field<?>> keys = new ArrayList<>();
    for (String k : dims.dataIdKeys()) {
      keys.add(b.key(k));
    }
    List<org.jooq.SortField<?>> order = b.orderBy();
    boolean spatial = b.hasRegionChecks();
    int regionAt = keys.size() + order.size();
    List<ColumnKind> rowKinds = new ArrayList<>();
    dims.dataIdKeys().forEach(k -> rowKinds.add(keyKind(k)));
    order.forEach(o -> rowKinds.add(ColumnKind.OBJECT));
    b.regionColumns().forEach(c -> rowKinds.add(ColumnKind.STRING));
    Supplier<org.jooq.SelectConditionStep<Record>> base =
        () -> {
          List<Field<?>> cols = new ArrayList<>(keys);
          for (org.jooq.SortField<?> o : order) {
            cols.add(DSL.field(o.$field()));
          }
          cols.addAll(b.regionColumns());
          return ctx.selectDistinct(cols).from(b.from()).where(b.where());
        };
    return result(
        () -> {
          var select = base.get().orderBy(order);
          int n = fetchLimit(q);
          List<DataCoordinate> out = new ArrayList<>();
          List<Object[]> rows =
              spatial
                  ? filtered(b, select, rowKinds, regionAt, n)
                  : rows(n > 0 ? select.limit(n) : select, rowKinds);
          Set<DataCoordinate> seen = new java.util.HashSet<>();
          for (Object[] r : rows) {
            DataCoordinate id =
                DataCoordinate.ofFull(dims, java.util.Arrays.copyOf(r, keys.size()));
            // The regions read with each row make DISTINCT see one row per region.
            if (!spatial || seen.add(id)) {
              out.add(id);
            }
          }
          out = capped(q, out, "data IDs");
          return q.attachRecords() ? owner.expandDataIds(out) : out;
        },
        () ->
            spatial
                ? filtered(b, base.get(), rowKinds, regionAt, 0).size()
                : ctx.fetchCount(base.get()),
        () ->
            spatial
                ? !filtered(b, base.get(), rowKinds, regionAt, 1).isEmpty()
                : ctx.fetchExists(base.get()),
        () -> explainEmpty(b, searches, q),
        () -> {
          if (!db.canStream() || q.limit() < 0 || spatial) {
            return null;
          }
          var select = base.get().orderBy(order);
          List<ColumnKind> kinds = dims.dataIdKeys().stream().map(this::keyKind).toList();
          var ids =
              streamRows(q.limit() > 0 ? select.limit(q.limit()) : select, kinds)
                  .map(r -> DataCoordinate.ofFull(dims, java.util.Arrays.copyOf(r, keys.size())));
          if (!q.attachRecords()) {
            return ids;
          }
          // Records attached a chunk at a time, through the registry's caches.
          return chunks(ids, STREAM_FETCH).flatMap(chunk -> owner.expandDataIds(chunk).stream());
        });
  }

  /** Reasons a query is empty, from cheapest to most specific. */
  private List<String> explainEmpty(
      QueryBuilder b, List<QueryBuilder.Search> searches, DataQuery q) {
    List<String> why = new ArrayList<>();
    for (QueryBuilder.Search s : searches) {
      why.addAll(explainSearch(s));
    }
    for (String d : b.dimensions().names()) {
      DimensionElement e = universe.element(d);
      if (e.hasOwnTable() && !ctx.fetchExists(Tables.elementTable(e))) {
        why.add("No " + d + " records exist; insert them (or ingest data) first.");
      }
    }
    if (why.isEmpty()) {
      why.add(
          "The constraints"
              + (q.where().isBlank() ? "" : " \"" + q.where() + "\"")
              + (q.dataId().isEmpty() ? "" : " and data ID " + q.dataId())
              + " match no rows.");
    }
    return why;
  }

  private List<String> explainSearch(QueryBuilder.Search s) {
    String type = s.type().type().name();
    List<String> names = s.collections().stream().map(CollectionInfo::name).toList();
    if (names.isEmpty()) {
      return List.of("No collections to search for '" + type + "'.");
    }
    List<String> why = new ArrayList<>();
    boolean anywhere = false;
    for (CollectionInfo c : s.collections()) {
      if (owner.collectionSummary(c.name()).datasetTypes().contains(type)) {
        anywhere = true;
      } else {
        why.add(
            "No datasets of type '"
                + type
                + "' in collection '"
                + c.name()
                + "' (its summary does not list the type).");
      }
    }
    if (anywhere) {
      return List.of();
    }
    return why;
  }

  QueryResult<DatasetRef> queryDatasets(
      String typeExpr, List<String> collectionNames, DataQuery q, boolean findFirst) {
    List<TypeInfo> types = new ArrayList<>();
    if (Globs.isPattern(typeExpr)) {
      for (DatasetType t : queryDatasetTypes(typeExpr)) {
        types.add(owner.requireType(t.name()));
      }
    } else {
      types.add(owner.requireType(typeExpr));
    }
    List<CollectionInfo> path = searchPath(collectionNames, findFirst);
    List<QueryResult<DatasetRef>> parts = new ArrayList<>();
    for (TypeInfo t : types) {
      parts.add(queryDatasetsOfType(t, path, q, findFirst));
    }
    if (parts.size() == 1) {
      return parts.get(0);
    }
    return result(
        () -> {
          List<DatasetRef> all = new ArrayList<>();
          parts.forEach(p -> all.addAll(p.toList()));
          return all;
        },
        () -> parts.stream().mapToLong(QueryResult::count).sum(),
        () -> parts.stream().anyMatch(QueryResult::any),
        () -> {
          List<String> why = new ArrayList<>();
          parts.forEach(p -> why.addAll(p.explainNoResults()));
          if (parts.isEmpty()) {
            why.add("No dataset types match '" + typeExpr + "'.");
          }
          return why;
        });
  }

  /**
   * Runs a jOOQ-built query through a cached prepared statement and returns plain rows: jOOQ
   * renders the SQL (values stay bind parameters), JDBC reads the columns by position, which is
   * several times cheaper than materialising jOOQ records for thousands of rows.
   */

  /** How to read a column: by its declared type, which avoids a type probe per value. */
  enum ColumnKind {
    LONG,
    STRING,
    OBJECT,
    /** A dimension key: values repeat across rows and are shared (one object per value). */
    KEY_LONG,
    /** A dimension key: values repeat across rows and are shared (one object per value). */
    KEY_STRING
  }

  /** The reading kind of a dimension's key column. */
  private ColumnKind keyKind(String dimension) {
    return switch (universe.element(dimension).primaryKey().type()) {
      case INT -> ColumnKind.KEY_LONG;
      case STRING, HASH -> ColumnKind.KEY_STRING;
      default -> ColumnKind.OBJECT;
    };
  }

  private static Object share(Map<Object, Object> shared, Object v) {
    Object had = shared.putIfAbsent(v, v);
    return had == null ? v : had;
  }

  private List<Object[]> rows(org.jooq.Query select, List<ColumnKind> kinds) {
    String sql = ctx.render(select);
    List<Object> params = select.getBindValues();
    return db.run(
        () -> {
          java.sql.PreparedStatement ps = db.prepare(sql);
          db.bind(ps, params.toArray());
          List<Object[]> out = new ArrayList<>();
          // Key values repeat (instrument, detector, band, ...): one object per distinct value
          // keeps large results (100,000s of data IDs) small.
          Map<Object, Object> shared = new HashMap<>();
          try (ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
              out.add(readRow(rs, n, kinds, shared));
            }
          }
          return out;
        });
  }

  /**
   * The rows of a query with element-region constraints: read, kept when their regions (the columns
   * from {@code regionAt}) pass, then limited ({@code limit} 0: all) — the limit applies after the
   * filter, as in daf_butler.
   */
  private List<Object[]> filtered(
      QueryBuilder b, org.jooq.Query select, List<ColumnKind> kinds, int regionAt, int limit) {
    List<Object[]> out = new ArrayList<>();
    // A row per region read: the same row again with another region of the same element.
    Set<List<Object>> seen = new java.util.HashSet<>();
    for (Object[] r : rows(select, kinds)) {
      if (b.keep(r, regionAt) && seen.add(java.util.Arrays.asList(r).subList(0, regionAt))) {
        out.add(r);
        if (limit > 0 && out.size() == limit) {
          break;
        }
      }
    }
    return out;
  }

  /** Rows read in a single batch this size at most when streamed. */
  static final int STREAM_FETCH = 10_000;

  /**
   * The rows of a query as a stream read from a connection of its own (see {@link Db#openCursor}):
   * memory stays bounded however many rows there are. The cursor closes when the stream is read to
   * its end or closed.
   */
  private java.util.stream.Stream<Object[]> streamRows(
      org.jooq.Query select, List<ColumnKind> kinds) {
    String sql = ctx.render(select);
    List<Object> params = select.getBindValues();
    Db.Cursor cursor = db.openCursor(sql, params, STREAM_FETCH);
    java.util.Spliterator<Object[]> rows =
        new java.util.Spliterators.AbstractSpliterator<>(
            Long.MAX_VALUE, java.util.Spliterator.ORDERED | java.util.Spliterator.NONNULL) {
          private final Map<Object, Object> shared = new HashMap<>();
          private int n = -1;
          private boolean done;

          @Override
          public boolean tryAdvance(java.util.function.Consumer<? super Object[]> action) {
            if (done) {
              return false;
            }
            Object[] row;
            try {
              row =
                  db.run(
                      () -> {
                        ResultSet rs = cursor.resultSet();
                        if (!rs.next()) {
                          return null;
                        }
                        if (n < 0) {
                          n = rs.getMetaData().getColumnCount();
                        }
                        if (shared.size() > 100_000) {
                          shared.clear(); // sharing is for repeated keys, not a cache of everything
                        }
                        return readRow(rs, n, kinds, shared);
                      });
            } catch (org.jooq.exception.DataAccessException e) {
              done = true;
              cursor.close();
              throw SqlErrors.translate(e); // iteration happens after the registry call returned
            }
            if (row == null) {
              done = true;
              cursor.close();
              return false;
            }
            action.accept(row);
            return true;
          }
        };
    return java.util.stream.StreamSupport.stream(rows, false).onClose(cursor::close);
  }

  private static Object[] readRow(
      ResultSet rs, int n, List<ColumnKind> kinds, Map<Object, Object> shared)
      throws java.sql.SQLException {
    Object[] row = new Object[n];
    for (int i = 0; i < n; i++) {
      ColumnKind k = kinds == null || i >= kinds.size() ? ColumnKind.OBJECT : kinds.get(i);
      switch (k) {
        case LONG -> {
          long v = rs.getLong(i + 1);
          row[i] = rs.wasNull() ? null : v;
        }
        case STRING -> row[i] = rs.getString(i + 1);
        case KEY_LONG -> {
          long v = rs.getLong(i + 1);
          row[i] = rs.wasNull() ? null : share(shared, v);
        }
        case KEY_STRING -> {
          String v = rs.getString(i + 1);
          row[i] = v == null ? null : share(shared, v);
        }
        default -> row[i] = rs.getObject(i + 1);
      }
    }
    return row;
  }

  /** Groups a stream into lists of {@code size} (the last shorter), read lazily. */
  static <T> java.util.stream.Stream<List<T>> chunks(java.util.stream.Stream<T> in, int size) {
    java.util.Iterator<T> it = in.iterator();
    java.util.Spliterator<List<T>> s =
        new java.util.Spliterators.AbstractSpliterator<>(
            Long.MAX_VALUE, java.util.Spliterator.ORDERED) {
          @Override
          public boolean tryAdvance(java.util.function.Consumer<? super List<T>> action) {
            List<T> chunk = new ArrayList<>(size);
            while (chunk.size() < size && it.hasNext()) {
              chunk.add(it.next());
            }
            if (chunk.isEmpty()) {
              return false;
            }
            action.accept(chunk);
            return true;
          }
        };
    return java.util.stream.StreamSupport.stream(s, false).onClose(in::close);
  }

  private QueryResult<DatasetRef> queryDatasetsOfType(
      TypeInfo t, List<CollectionInfo> path, DataQuery q, boolean findFirst) {
    QueryBuilder.Search search = new QueryBuilder.Search(t, path);
    QueryBuilder b =
        new QueryBuilder(
            db,
            universe,
            t.type().dimensions(),
            List.of(search),
            q,
            Set.of(),
            t.type().dimensions().required());
    String ds = b.searchAlias(0);
    DimensionGroup dims = t.type().dimensions();
    // Columns: dataset_id, collection_id, run_id (or NULL), keys..., order fields...
    List<Field<?>> cols = new ArrayList<>();
    cols.add(field(name(ds, "dataset_id")));
    cols.add(field(name(ds, "collection_id")));
    // A dataset found in a RUN belongs to it; only TAGGED and CALIBRATION hits need their run.
    boolean allRuns = path.stream().allMatch(c -> c.type() == CollectionType.RUN);
    cols.add(allRuns ? DSL.inline((Long) null) : field(name(b.datasetTable(ds), "run_id")));
    List<String> partition = new ArrayList<>(dims.required());
    int nKeys = partition.size();
    // Find-first picks one dataset per data ID; joined with a temporal dimension for calibration
    // lookups, one per data ID and exposure (or visit).
    b.temporalElement()
        .ifPresent(
            e -> {
              for (String r : universe.element(e).required()) {
                if (!partition.contains(r)) {
                  partition.add(r);
                }
              }
            });
    List<ColumnKind> kinds =
        new ArrayList<>(
            List.of(
                dialect.uuidsAsText() ? ColumnKind.STRING : ColumnKind.OBJECT,
                ColumnKind.LONG,
                ColumnKind.LONG));
    for (String k : partition) {
      cols.add(b.key(k));
      kinds.add(keyKind(k));
    }
    int firstOrder = cols.size();
    List<org.jooq.SortField<?>> order = b.orderBy();
    for (org.jooq.SortField<?> o : order) {
      cols.add(DSL.field(o.$field()));
      kinds.add(ColumnKind.OBJECT);
    }
    // Element-region constraints: their regions follow, tested as each row is read.
    boolean spatial = b.hasRegionChecks();
    int regionAt = cols.size();
    cols.addAll(b.regionColumns());
    b.regionColumns().forEach(c -> kinds.add(ColumnKind.STRING));
    Supplier<org.jooq.SelectConditionStep<Record>> base =
        () -> ctx.select(cols).from(b.from()).where(b.where());
    Supplier<List<Object[]>> candidates =
        () -> spatial ? filtered(b, base.get(), kinds, regionAt, 0) : rows(base.get(), kinds);
    Map<Long, Integer> rank = new HashMap<>();
    for (int i = 0; i < path.size(); i++) {
      rank.putIfAbsent(path.get(i).id(), i);
    }
    Supplier<List<DatasetRef>> list =
        () -> {
          List<Object[]> rows;
          if (findFirst) {
            rows = firstPerDataId(candidates.get(), rank, partition.size(), t);
            if (partition.size() > nKeys) {
              requireOnePerDataId(rows, nKeys, t, b.temporalElement().orElseThrow());
            }
            rows = sortAndLimit(rows, order, firstOrder, q);
          } else {
            int n = fetchLimit(q);
            var ordered = base.get().orderBy(order);
            rows =
                spatial
                    ? filtered(b, ordered, kinds, regionAt, n)
                    : rows(n > 0 ? ordered.limit(n) : ordered, kinds);
          }
          List<DatasetRef> out = new ArrayList<>();
          Set<UUID> seen = new java.util.HashSet<>();
          for (Object[] r : rows) {
            UUID id = dialect.fromDb(r[0]);
            if (!seen.add(id)) {
              continue;
            }
            Object[] v = java.util.Arrays.copyOfRange(r, 3, 3 + nKeys);
            CollectionInfo where = owner.collectionById(((Number) r[1]).longValue());
            String run =
                where.type() == CollectionType.RUN
                    ? where.name()
                    : owner.collectionById(((Number) r[2]).longValue()).name();
            out.add(new DatasetRef(t.type(), DataCoordinate.ofRequired(dims, v), run, id));
          }
          out = capped(q, out, "datasets");
          if (q.attachRecords()) {
            List<DataCoordinate> expanded =
                owner.expandDataIds(out.stream().map(DatasetRef::dataId).toList());
            List<DatasetRef> withRecords = new ArrayList<>(out.size());
            for (int i = 0; i < out.size(); i++) {
              DatasetRef ref = out.get(i);
              withRecords.add(
                  new DatasetRef(ref.datasetType(), expanded.get(i), ref.run(), ref.id()));
            }
            out = withRecords;
          }
          return out;
        };
    return result(
        list,
        () -> {
          if (spatial) {
            List<Object[]> c = candidates.get();
            return findFirst
                ? firstPerDataId(c, rank, partition.size(), t).size()
                : c.stream().map(r -> r[0]).distinct().count();
          }
          if (!findFirst) {
            return ctx.fetchCount(base.get());
          }
          if (partition.size() > nKeys) {
            // Calibrations per exposure collapse to one per data ID only after find-first.
            return list.get().size();
          }
          // One result per distinct data ID (and temporal key) among the candidates.
          List<Field<?>> keysOnly = new ArrayList<>();
          for (String p : partition) {
            keysOnly.add(b.key(p));
          }
          return ctx.fetchCount(ctx.selectDistinct(keysOnly).from(b.from()).where(b.where()));
        },
        () ->
            spatial
                ? !filtered(b, base.get(), kinds, regionAt, 1).isEmpty()
                : ctx.fetchExists(base.get()),
        () -> explainEmpty(b, List.of(search), q),
        () -> {
          // Find-all in RUN collections only: every dataset appears once, in its own run.
          if (findFirst || !allRuns || q.limit() < 0 || !db.canStream() || spatial) {
            return null;
          }
          var ordered = base.get().orderBy(order);
          var refs =
              streamRows(q.limit() > 0 ? ordered.limit(q.limit()) : ordered, kinds)
                  .map(
                      r ->
                          new DatasetRef(
                              t.type(),
                              DataCoordinate.ofRequired(
                                  dims, java.util.Arrays.copyOfRange(r, 3, 3 + nKeys)),
                              owner.collectionById(((Number) r[1]).longValue()).name(),
                              dialect.fromDb(r[0])));
          if (!q.attachRecords()) {
            return refs;
          }
          return chunks(refs, STREAM_FETCH)
              .flatMap(
                  chunk -> {
                    List<DataCoordinate> expanded =
                        owner.expandDataIds(chunk.stream().map(DatasetRef::dataId).toList());
                    List<DatasetRef> out = new ArrayList<>(chunk.size());
                    for (int i = 0; i < chunk.size(); i++) {
                      DatasetRef ref = chunk.get(i);
                      out.add(
                          new DatasetRef(ref.datasetType(), expanded.get(i), ref.run(), ref.id()));
                    }
                    return out.stream();
                  });
        });
  }

  /**
   * Find-first over candidate rows (dataset_id, collection_id, run_id, keys...): per data ID, the
   * row from the earliest collection of the search path. Two different datasets in that collection
   * (only possible for certifications overlapping the query's time) make the lookup ambiguous. Done
   * here rather than with a window function: several times faster on SQLite, and the same on every
   * database.
   */
  private List<Object[]> firstPerDataId(
      List<Object[]> candidates, Map<Long, Integer> rank, int nKeys, TypeInfo t) {
    Map<List<Object>, Object[]> best = new LinkedHashMap<>();
    for (Object[] r : candidates) {
      List<Object> key = dataIdKey(r, nKeys);
      Object[] current = best.putIfAbsent(key, r);
      if (current == null) {
        continue;
      }
      int mine = rank.get(((Number) r[1]).longValue());
      int theirs = rank.get(((Number) current[1]).longValue());
      if (mine < theirs) {
        best.put(key, r);
      } else if (mine == theirs && !r[0].equals(current[0])) {
        throw new CalibrationLookupException(
            "Ambiguous calibration lookup: '"
                + t.type().name()
                + "' datasets "
                + dialect.fromDb(current[0])
                + " and "
                + dialect.fromDb(r[0])
                + " are both certified for "
                + key
                + " in '"
                + owner.collectionById(((Number) r[1]).longValue()).name()
                + "' at the query's time; narrow the query.");
      }
    }
    return new ArrayList<>(best.values());
  }

  /**
   * A calibration find-first matched against a temporal dimension picks one dataset per data ID and
   * exposure (or visit); when the query spans exposures certified with different datasets, the data
   * ID has no single answer and daf_butler's rule applies: the lookup is ambiguous.
   */
  private void requireOnePerDataId(List<Object[]> rows, int nKeys, TypeInfo t, String temporal) {
    Map<List<Object>, Object> chosen = new HashMap<>();
    for (Object[] r : rows) {
      List<Object> key = dataIdKey(r, nKeys);
      Object previous = chosen.putIfAbsent(key, r[0]);
      if (previous != null && !previous.equals(r[0])) {
        List<String> names = t.type().dimensions().required();
        StringBuilder dataId = new StringBuilder("{");
        for (int i = 0; i < nKeys; i++) {
          dataId.append(i == 0 ? "" : ", ").append(names.get(i)).append(": ").append(key.get(i));
        }
        dataId.append('}');
        throw new CalibrationLookupException(
            "Ambiguous calibration lookup: '"
                + t.type().name()
                + "' for "
                + dataId
                + " is "
                + dialect.fromDb(previous)
                + " for some "
                + temporal
                + "s and "
                + dialect.fromDb(r[0])
                + " for others in the query; a find-first search returns one dataset per data"
                + " ID. Narrow the query to "
                + temporal
                + "s with one certified '"
                + t.type().name()
                + "' (e.g. one night), or search without find-first.");
      }
    }
  }

  /** The data ID values of a candidate row (dataset_id, collection_id, run_id, keys...). */
  private static List<Object> dataIdKey(Object[] row, int nKeys) {
    List<Object> key = new ArrayList<>(nKeys);
    for (int i = 0; i < nKeys; i++) {
      Object v = row[3 + i];
      key.add(v instanceof Number n ? (Object) n.longValue() : v);
    }
    return key;
  }

  /** ORDER BY and LIMIT applied to rows already in memory (after find-first). */
  private static List<Object[]> sortAndLimit(
      List<Object[]> rows, List<org.jooq.SortField<?>> order, int firstOrder, DataQuery q) {
    if (!order.isEmpty()) {
      java.util.Comparator<Object[]> c = null;
      for (int i = 0; i < order.size(); i++) {
        int col = firstOrder + i;
        java.util.Comparator<Object[]> one = (x, y) -> compareValues(x[col], y[col]);
        if (order.get(i).getOrder() == org.jooq.SortOrder.DESC) {
          one = one.reversed();
        }
        c = c == null ? one : c.thenComparing(one);
      }
      rows.sort(c);
    }
    int n = fetchLimit(q);
    return n > 0 && rows.size() > n ? new ArrayList<>(rows.subList(0, n)) : rows;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compareValues(Object a, Object b) {
    if (a == null || b == null) {
      return a == null ? (b == null ? 0 : 1) : -1; // nulls last
    }
    if (a instanceof Number x && b instanceof Number y) {
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    if (a instanceof Comparable ca && a.getClass() == b.getClass()) {
      return ca.compareTo(b);
    }
    return a.toString().compareTo(b.toString());
  }

  QueryResult<DimensionRecord> queryDimensionRecords(String elementName, DataQuery q) {
    DimensionElement e = universe.element(elementName);
    if (!e.hasOwnTable()) {
      if (!e.isDimension() || e.isSkyPix()) {
        throw new org.jbutler.schema.exceptions.InvalidQueryException(
            "Element '"
                + elementName
                + "' has no records of its own"
                + (e.isSkyPix() ? " (it is a sky pixelization)." : "."));
      }
      return keyOnlyRecords(e, q);
    }
    QueryBuilder b =
        new QueryBuilder(
            db, universe, e.minimalGroup(), List.of(), q, Set.of(e.name()), e.required());
    List<Field<Object>> columns = new ArrayList<>();
    for (Field<Object> c : DimensionRecordStorage.columns(e)) {
      columns.add(field(name(e.name(), c.getName())));
    }
    List<org.jooq.SortField<?>> order = new ArrayList<>(b.orderBy());
    if (order.isEmpty()) {
      for (String r : e.required()) {
        order.add(field(name(e.name(), DimensionRecordStorage.keyColumn(e, r))).asc());
      }
    }
    // DISTINCT needs the ORDER BY fields in the select list; they follow the record's columns.
    List<Field<?>> selected = new ArrayList<>(columns);
    for (org.jooq.SortField<?> o : order) {
      if (!columns.contains(o.$field())) {
        selected.add(o.$field());
      }
    }
    List<Field<String>> regions = b.regionColumns();
    selected.addAll(regions);
    boolean spatial = b.hasRegionChecks();
    Supplier<org.jooq.SelectConditionStep<Record>> base =
        () -> ctx.selectDistinct(selected).from(b.from()).where(b.where());
    // With region constraints, each row's regions are tested here and the limit comes after.
    java.util.function.IntFunction<List<DimensionRecord>> read =
        n -> {
          List<DimensionRecord> out = new ArrayList<>();
          Set<DataCoordinate> seen = new java.util.HashSet<>();
          var ordered = base.get().orderBy(order);
          for (Record r : n > 0 && !spatial ? ordered.limit(n).fetch() : ordered.fetch()) {
            if (spatial && !b.keep(regions.stream().map(r::get).toArray(), 0)) {
              continue;
            }
            DimensionRecord record = DimensionRecordStorage.toRecord(e, r);
            // The regions read with each row make DISTINCT see one row per region.
            if (spatial && !seen.add(record.dataId())) {
              continue;
            }
            out.add(record);
            if (spatial && n > 0 && out.size() == n) {
              break;
            }
          }
          return out;
        };
    return result(
        () -> capped(q, read.apply(fetchLimit(q)), e.name() + " records"),
        () -> spatial ? read.apply(0).size() : ctx.fetchCount(base.get()),
        () -> spatial ? !read.apply(1).isEmpty() : ctx.fetchExists(base.get()),
        () -> explainEmpty(b, List.of(), q));
  }

  /**
   * Records of a dimension with no table of its own (band): its key is all it has, and its values
   * are those the data IDs that carry it hold (band through physical_filter), as daf_butler lists.
   */
  private QueryResult<DimensionRecord> keyOnlyRecords(DimensionElement e, DataQuery q) {
    DataQuery ordered = q.orderBy().isEmpty() ? q.withOrderBy(e.name()) : q;
    QueryResult<DataCoordinate> ids = queryDataIds(e.minimalGroup(), List.of(), List.of(), ordered);
    String key = e.primaryKey().name();
    return QueryResult.of(
        () -> {
          List<DimensionRecord> out = new ArrayList<>();
          for (DataCoordinate d : ids.toList()) {
            out.add(DimensionRecord.of(e, Map.of(key, d.value(e.name()))));
          }
          return out;
        },
        ids::count,
        ids::any,
        ids::explainNoResults);
  }

  List<String> queryCollections(
      String glob, Set<CollectionType> types, boolean flattenChains, boolean includeChains) {
    return queryCollectionsNoLock(glob, types, flattenChains, includeChains);
  }

  private List<String> queryCollectionsNoLock(
      String glob, Set<CollectionType> types, boolean flattenChains, boolean includeChains) {
    java.util.regex.Pattern p = Globs.toRegex(glob);
    Set<String> out = new LinkedHashSet<>();
    for (Record r : ctx.select(COLL_NAME, COLL_TYPE).from(COLLECTION).orderBy(COLL_NAME).fetch()) {
      String n = r.get(COLL_NAME);
      if (!p.matcher(n).matches()) {
        continue;
      }
      CollectionType type = CollectionType.fromCode(r.get(COLL_TYPE));
      if (type == CollectionType.CHAINED && flattenChains) {
        if (includeChains && (types.isEmpty() || types.contains(type))) {
          out.add(n);
        }
        for (CollectionInfo c : owner.flattenInfos(List.of(n))) {
          if (types.isEmpty() || types.contains(c.type())) {
            out.add(c.name());
          }
        }
        continue;
      }
      if ((types.isEmpty() || types.contains(type))
          && (type != CollectionType.CHAINED || includeChains || !flattenChains)) {
        out.add(n);
      }
    }
    return List.copyOf(out);
  }

  List<DatasetType> queryDatasetTypes(String glob) {
    java.util.regex.Pattern p = Globs.toRegex(glob);
    return owner.datasetTypes().stream().filter(t -> p.matcher(t.name()).matches()).toList();
  }
}
