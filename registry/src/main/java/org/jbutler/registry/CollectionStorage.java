package org.jbutler.registry;

import static org.jbutler.registry.Tables.*;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jbutler.registry.Registry.CollectionSummary;
import org.jbutler.registry.SqlRegistry.CollectionInfo;
import org.jbutler.registry.SqlRegistry.TypeInfo;
import org.jbutler.schema.CollectionNames;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionElement;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.CollectionCycleException;
import org.jbutler.schema.exceptions.CollectionTypeException;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.jbutler.schema.exceptions.MissingCollectionException;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The registry's collections: RUN, TAGGED, CHAINED and CALIBRATION rows, chains (edited under a row
 * lock, cycles refused), flattening, collection summaries, removal, and a per-process cache. Called
 * under the registry's lock.
 */
final class CollectionStorage {

  private final SqlRegistry owner;
  private final Db db;
  private final DSLContext ctx;
  private final SqlDialect dialect;
  private final DimensionUniverse universe;
  private final Map<String, CollectionInfo> byName = new HashMap<>();
  private final Map<Long, CollectionInfo> byId = new HashMap<>();

  /** Summary rows this process has written (or found), so that repeated puts skip them. */
  private final Set<List<Object>> summarized = new java.util.HashSet<>();

  CollectionStorage(SqlRegistry owner, Db db) {
    this.owner = owner;
    this.db = db;
    this.ctx = db.ctx();
    this.dialect = db.dialect();
    this.universe = owner.universe();
  }

  /** Forgets the cached collections and summary rows. */
  void forgetAll() {
    summarized.clear();
    byName.clear();
    byId.clear();
  }

  boolean registerCollection(String name, CollectionType type, String doc) {
    Objects.requireNonNull(type, "type");
    CollectionNames.checkNew(name);
    Optional<Boolean> known = compareCollection(name, type);
    if (known.isPresent()) {
      return known.get();
    }
    owner.checkWritable();
    try {
      db.transaction(
          () -> {
            Long id =
                ctx.insertInto(COLLECTION, COLL_NAME, COLL_TYPE, COLL_DOC)
                    .values(name, (short) type.code(), doc)
                    .returning(COLL_ID)
                    .fetchOne(COLL_ID);
            if (type == CollectionType.RUN) {
              ctx.insertInto(RUN, RUN_ID).values(id).execute();
            }
            return null;
          });
    } catch (DataAccessException e) {
      // Another process may have registered it meanwhile.
      byName.remove(name);
      return compareCollection(name, type).orElseThrow(() -> e);
    }
    return true;
  }

  Optional<Boolean> compareCollection(String name, CollectionType type) {
    Optional<CollectionInfo> existing = findCollection(name);
    if (existing.isEmpty()) {
      return Optional.empty();
    }
    if (existing.get().type() == type) {
      return Optional.of(false);
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

  Optional<CollectionInfo> findCollection(String name) {
    CollectionInfo cached = byName.get(name);
    if (cached != null) {
      return Optional.of(cached);
    }
    return selectCollection(COLL_NAME.eq(name));
  }

  Optional<CollectionInfo> selectCollection(Condition where) {
    Record r = ctx.select(COLL_ID, COLL_NAME, COLL_TYPE).from(COLLECTION).where(where).fetchOne();
    if (r == null) {
      return Optional.empty();
    }
    CollectionInfo info =
        new CollectionInfo(
            r.get(COLL_ID), r.get(COLL_NAME), CollectionType.fromCode(r.get(COLL_TYPE)));
    byName.put(info.name(), info);
    byId.put(info.id(), info);
    return Optional.of(info);
  }

  CollectionInfo collectionById(long id) {
    CollectionInfo cached = byId.get(id);
    if (cached != null) {
      return cached;
    }
    return selectCollection(COLL_ID.eq(id))
        .orElseThrow(
            () -> new MissingCollectionException("Collection #" + id + " no longer exists."));
  }

  CollectionInfo requireCollection(String name) {
    return findCollection(name)
        .orElseThrow(
            () -> new MissingCollectionException("Collection '" + name + "' does not exist."));
  }

  CollectionInfo requireCollection(String name, CollectionType wanted, String why) {
    CollectionInfo c = requireCollection(name);
    if (c.type() != wanted) {
      throw new CollectionTypeException(
          "Collection '" + name + "' is " + c.type() + ", not " + wanted + "; " + why);
    }
    return c;
  }

  CollectionType collectionType(String name) {
    return requireCollection(name).type();
  }

  String collectionDocumentation(String name) {
    CollectionInfo c = requireCollection(name);
    return ctx.select(COLL_DOC).from(COLLECTION).where(COLL_ID.eq(c.id())).fetchOne(COLL_DOC);
  }

  List<String> collections() {
    return ctx.select(COLL_NAME).from(COLLECTION).orderBy(COLL_NAME).fetch(COLL_NAME);
  }

  void setChain(String parent, List<String> children) {
    editChain(parent, old -> new ArrayList<>(children));
  }

  void prependChain(String parent, List<String> children) {
    editChain(
        parent,
        old -> {
          List<String> now = new ArrayList<>(children);
          old.stream().filter(c -> !children.contains(c)).forEach(now::add);
          return now;
        });
  }

  void extendChain(String parent, List<String> children) {
    editChain(
        parent,
        old -> {
          List<String> now = new ArrayList<>(old);
          now.removeAll(children);
          now.addAll(children);
          return now;
        });
  }

  void removeFromChain(String parent, List<String> children) {
    editChain(
        parent,
        old -> {
          List<String> now = new ArrayList<>(old);
          now.removeAll(children);
          return now;
        });
  }

  /** Rewrites a chain from its current children, under a lock on the parent. */
  void editChain(String parent, java.util.function.UnaryOperator<List<String>> edit) {
    owner.checkWritable();
    CollectionInfo p =
        requireCollection(
            parent, CollectionType.CHAINED, "only a CHAINED collection has children.");
    db.transaction(
        () -> {
          owner.lockCollection(p);
          List<CollectionInfo> kids = new ArrayList<>();
          for (String c : new LinkedHashSet<>(edit.apply(chain(parent)))) {
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
          ctx.deleteFrom(CHAIN).where(CHAIN_PARENT.eq(p.id())).execute();
          short pos = 0;
          for (CollectionInfo k : kids) {
            ctx.insertInto(CHAIN, CHAIN_PARENT, CHAIN_POSITION, CHAIN_CHILD)
                .values(p.id(), pos++, k.id())
                .execute();
          }
          return null;
        });
  }

  /** Whether {@code from} is, or contains through chains, {@code target}; fills the path. */
  boolean reaches(String from, String target, List<String> path) {
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

  List<String> chain(String parent) {
    return childIds(requireCollection(parent)).stream()
        .map(id -> collectionById(id).name())
        .toList();
  }

  List<Long> childIds(CollectionInfo parent) {
    String q =
        db.sql(
            "children",
            () ->
                ctx.select(CHAIN_CHILD)
                    .from(CHAIN)
                    .where(CHAIN_PARENT.eq(DSL.param("p", Long.class)))
                    .orderBy(CHAIN_POSITION));
    return db.query(q, List.of(parent.id()), rs -> rs.getLong(1));
  }

  List<String> parentChains(String name) {
    CollectionInfo c = requireCollection(name);
    return ctx.select(COLL_NAME)
        .from(CHAIN)
        .join(COLLECTION)
        .on(CHAIN_PARENT.eq(COLL_ID))
        .where(CHAIN_CHILD.eq(c.id()))
        .orderBy(COLL_NAME)
        .fetch(COLL_NAME);
  }

  List<String> flatten(List<String> search) {
    return flattenInfos(search).stream().map(CollectionInfo::name).toList();
  }

  List<CollectionInfo> flattenInfos(List<String> search) {
    Set<CollectionInfo> out = new LinkedHashSet<>();
    for (String c : search) {
      flattenInto(requireCollection(c), out);
    }
    return List.copyOf(out);
  }

  void flattenInto(CollectionInfo c, Set<CollectionInfo> out) {
    if (c.type() == CollectionType.CHAINED) {
      for (long child : childIds(c)) {
        flattenInto(collectionById(child), out);
      }
    } else {
      out.add(c);
    }
  }

  CollectionSummary collectionSummary(String name) {
    List<Long> ids = flattenInfos(List.of(name)).stream().map(CollectionInfo::id).toList();
    List<String> types =
        ctx.selectDistinct(DT_NAME)
            .from(SUMMARY_TYPE)
            .join(DATASET_TYPE)
            .on(DT_ID.eq(field(name(SUMMARY_TYPE.getName(), TAG_TYPE.getName()), Long.class)))
            .where(field(name(SUMMARY_TYPE.getName(), TAG_COLLECTION.getName())).in(ids))
            .orderBy(DT_NAME)
            .fetch(DT_NAME);
    Map<String, List<Object>> governors = new TreeMap<>();
    for (DimensionElement g : universe.governors()) {
      List<Object> values =
          ctx.selectDistinct(field(name(g.name())))
              .from(summaryTable(g))
              .where(TAG_COLLECTION.in(ids))
              .orderBy(field(name(g.name())))
              .fetch(0, Object.class);
      if (!values.isEmpty()) {
        governors.put(g.name(), List.copyOf(values));
      }
    }
    return new CollectionSummary(List.copyOf(types), governors);
  }

  /** Records that a collection holds datasets of a type and these governor values. */
  void summarize(CollectionInfo c, TypeInfo t, Collection<DataCoordinate> dataIds) {
    if (summarized.add(List.of("type", c.id(), t.id()))) {
      insertIfAbsent(SUMMARY_TYPE, List.of(TAG_COLLECTION, TAG_TYPE), List.of(c.id(), t.id()));
    }
    for (String g : t.type().dimensions().governors()) {
      Set<Object> values = new LinkedHashSet<>();
      for (DataCoordinate d : dataIds) {
        values.add(d.value(g));
      }
      for (Object v : values) {
        if (!summarized.add(List.of(g, c.id(), v))) {
          continue; // already recorded by this process (the cache is dropped on rollback)
        }
        insertIfAbsent(
            summaryTable(universe.element(g)),
            List.of(TAG_COLLECTION, field(name(g))),
            List.of(c.id(), v));
      }
    }
  }

  /**
   * Inserts a row unless its key exists. PostgreSQL and SQLite use {@code ON CONFLICT DO NOTHING},
   * which is safe when several writers add the same row at once; H2 uses an {@code INSERT ...
   * SELECT ... WHERE NOT EXISTS} in a savepoint, and a concurrent duplicate is ignored.
   */
  void insertIfAbsent(org.jooq.Table<Record> table, List<Field<?>> columns, List<Object> values) {
    if (dialect.insertIgnoresConflicts()) {
      ctx.insertInto(table).columns(columns).values(values).onConflictDoNothing().execute();
      return;
    }
    Condition same = DSL.noCondition();
    List<Field<?>> selected = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      @SuppressWarnings("unchecked")
      Field<Object> col = (Field<Object>) columns.get(i);
      same = same.and(col.eq(DSL.val(values.get(i))));
      selected.add(DSL.val(values.get(i)));
    }
    Condition absent = same;
    try {
      db.transaction(
          () ->
              ctx.insertInto(table)
                  .columns(columns)
                  .select(
                      DSL.select(selected)
                          .whereNotExists(DSL.selectOne().from(table).where(absent)))
                  .execute());
    } catch (org.jooq.exception.IntegrityConstraintViolationException e) {
      // Another writer added the same row between our check and our insert: that is the goal.
    }
  }

  void removeCollection(String name) {
    removeCollection(name, false);
  }

  void removeCollection(String name, boolean unlinkFromChains) {
    owner.checkWritable();
    CollectionInfo c = requireCollection(name);
    List<String> parents = parentChains(name);
    if (!parents.isEmpty() && !unlinkFromChains) {
      throw new ConflictingDefinitionException(
          "Collection '"
              + name
              + "' is a child of chain(s) "
              + String.join(", ", parents)
              + "; remove it from them first (or ask to unlink it).");
    }
    db.transaction(
        () -> {
          for (String p : parents) {
            removeFromChain(p, List.of(name));
          }
          if (c.type() == CollectionType.RUN) {
            ctx.deleteFrom(DATASET).where(DS_RUN.eq(c.id())).execute();
          }
          return ctx.deleteFrom(COLLECTION).where(COLL_ID.eq(c.id())).execute();
        });
    byName.remove(name);
    byId.remove(c.id());
  }
}
