package org.jbutler.registry;

import static org.jbutler.registry.Tables.*;
import static org.jooq.impl.DSL.name;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jbutler.registry.SqlRegistry.TypeInfo;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.dimensions.DimensionGroup;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.jbutler.schema.exceptions.MissingDatasetTypeException;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Name;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The registry's dataset types: the {@code dataset_type} rows, the tags and calibs tables each
 * dimension group gets, and a per-process cache (another process's removals are seen after {@link
 * #forgetAll()}). Called under the registry's lock.
 */
final class DatasetTypeStorage {

  private final Db db;
  private final DSLContext ctx;
  private final DimensionUniverse universe;
  private final Tables tables;
  private final Map<String, TypeInfo> cache = new HashMap<>();

  DatasetTypeStorage(Db db, DimensionUniverse universe, Tables tables) {
    this.db = db;
    this.ctx = db.ctx();
    this.universe = universe;
    this.tables = tables;
  }

  /**
   * Registers a new type (its tables too); true, or what {@link #compare} says if a concurrent
   * writer registered it first.
   */
  boolean register(DatasetType datasetType) {
    try {
      db.transaction(() -> insertType(datasetType));
    } catch (DataAccessException e) {
      // Another process may have registered it meanwhile.
      cache.remove(datasetType.name());
      return compare(datasetType).orElseThrow(() -> e);
    }
    return true;
  }

  /** All registered types, by name. */
  List<TypeInfo> all() {
    return select(DSL.noCondition());
  }

  /** Removes a type that has no datasets. */
  void remove(String name) {
    TypeInfo t = require(name);
    db.transaction(
        () -> {
          int n = ctx.fetchCount(DATASET, DS_TYPE.eq(t.id()));
          if (n > 0) {
            throw new ConflictingDefinitionException(
                "Dataset type '" + name + "' still has " + n + " dataset(s); remove them first.");
          }
          return ctx.deleteFrom(DATASET_TYPE).where(DT_ID.eq(t.id())).execute();
        });
    cache.remove(name);
  }

  /** Forgets one cached type (it was removed elsewhere). */
  void forget(String name) {
    cache.remove(name);
  }

  /** Forgets every cached type (after a rollback, or to see another process's changes). */
  void forgetAll() {
    cache.clear();
  }

  /** Empty if not registered; false if registered identically; throws if registered otherwise. */
  Optional<Boolean> compare(DatasetType datasetType) {
    Optional<TypeInfo> existing = find(datasetType.name());
    if (existing.isEmpty()) {
      return Optional.empty();
    }
    if (existing.get().type().equals(datasetType)) {
      return Optional.of(false);
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

  private Void insertType(DatasetType datasetType) {
    String names = String.join(",", datasetType.dimensions().required());
    Long key =
        ctx.select(GROUP_ID).from(DIMENSION_GROUP).where(GROUP_NAMES.eq(names)).fetchOne(GROUP_ID);
    if (key == null) {
      key =
          ctx.insertInto(DIMENSION_GROUP, GROUP_NAMES)
              .values(names)
              .returning(GROUP_ID)
              .fetchOne(GROUP_ID);
    }
    Name tags = tagsTableName(key);
    tables.createTagsTable(ctx, tags, datasetType.dimensions());
    Name calibs = null;
    if (datasetType.isCalibration()) {
      calibs = calibsTableName(key);
      tables.createCalibsTable(ctx, calibs, datasetType.dimensions());
    }
    ctx.insertInto(
            DATASET_TYPE,
            DT_NAME,
            DT_STORAGE_CLASS,
            DT_DIMENSIONS_KEY,
            DT_CALIBRATION,
            DT_TAGS,
            DT_CALIBS)
        .values(
            datasetType.name(),
            datasetType.storageClass(),
            key,
            datasetType.isCalibration(),
            tags.last(),
            calibs == null ? null : calibs.last())
        .execute();
    return null;
  }

  Optional<TypeInfo> find(String name) {
    TypeInfo cached = cache.get(name);
    if (cached != null) {
      return Optional.of(cached);
    }
    return select(DT_NAME.eq(name)).stream().findFirst();
  }

  /** Reads dataset type rows matching a condition, caching each, ordered by name. */
  List<TypeInfo> select(Condition where) {
    List<TypeInfo> out = new ArrayList<>();
    for (Record r :
        ctx.select(
                DT_ID, DT_NAME, DT_STORAGE_CLASS, DT_CALIBRATION, DT_TAGS, DT_CALIBS, GROUP_NAMES)
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
      String calibs = r.get(DT_CALIBS);
      TypeInfo info =
          new TypeInfo(
              r.get(DT_ID), type, name(r.get(DT_TAGS)), calibs == null ? null : name(calibs));
      cache.put(type.name(), info);
      out.add(info);
    }
    return out;
  }

  TypeInfo require(String name) {
    return find(name)
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

  TypeInfo byId(long id) {
    for (TypeInfo t : cache.values()) {
      if (t.id() == id) {
        return t;
      }
    }
    return select(DT_ID.eq(id)).get(0);
  }
}
