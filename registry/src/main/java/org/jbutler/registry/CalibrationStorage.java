package org.jbutler.registry;

import static org.jbutler.registry.Tables.*;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.jbutler.registry.SqlRegistry.CollectionInfo;
import org.jbutler.registry.SqlRegistry.TypeInfo;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetAssociation;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.jbutler.schema.exceptions.DatasetTypeException;
import org.jbutler.schema.exceptions.InvalidTimeException;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The registry's CALIBRATION collections: certifying datasets for validity ranges (no two of one
 * data ID overlapping), decertifying (cutting and splitting ranges) and listing associations.
 * Called under the registry's lock, inside its transactions.
 */
final class CalibrationStorage {

  private final SqlRegistry owner;
  private final Db db;
  private final DSLContext ctx;
  private final SqlDialect dialect;
  private final Tables tables;

  /** One certification row of a calibs table. */
  private record CalibRow(long rowId, UUID datasetId, long runId, List<Object> dims, Timespan ts) {}

  CalibrationStorage(SqlRegistry owner, Db db, Tables tables) {
    this.owner = owner;
    this.db = db;
    this.ctx = db.ctx();
    this.dialect = db.dialect();
    this.tables = tables;
  }

  void certify(String collection, List<DatasetRef> refs, Timespan validity) {
    owner.checkWritable();
    Objects.requireNonNull(validity, "validity");
    if (validity.isEmpty()) {
      throw new InvalidTimeException("Cannot certify for an empty validity range.");
    }
    CollectionInfo c =
        owner.requireCollection(
            collection,
            CollectionType.CALIBRATION,
            "datasets are certified into CALIBRATION collections only.");
    for (DatasetRef ref : refs) {
      if (!ref.datasetType().isCalibration()) {
        throw new DatasetTypeException(
            "Dataset type '"
                + ref.datasetType().name()
                + "' is not a calibration type; only calibration datasets can be certified.");
      }
    }
    try {
      db.transaction(
          () -> {
            owner.lockCollection(c);
            owner.requireStored(refs);
            Map<TypeInfo, List<DataCoordinate>> added = new LinkedHashMap<>();
            for (DatasetRef ref : refs) {
              TypeInfo t = owner.requireType(ref.datasetType().parentName());
              List<CalibRow> overlapping = calibRows(t, c, ref.dataId(), validity);
              if (overlapping.size() == 1
                  && overlapping.get(0).datasetId().equals(ref.id())
                  && overlapping.get(0).ts().equals(validity)) {
                continue; // the identical certification exists: certifying again is a no-op
              }
              if (!overlapping.isEmpty()) {
                CalibRow o = overlapping.get(0);
                throw new ConflictingDefinitionException(
                    "Cannot certify "
                        + ref.id()
                        + " in '"
                        + collection
                        + "' for "
                        + validity
                        + ": '"
                        + t.type().name()
                        + "' "
                        + ref.dataId()
                        + " is already certified there for "
                        + o.ts()
                        + " (dataset "
                        + o.datasetId()
                        + "). Validity ranges of one data ID may not overlap; decertify first.");
              }
              insertCalib(t, c, ref.id(), ref.dataId().requiredValues(), validity);
              added.computeIfAbsent(t, k -> new ArrayList<>()).add(ref.dataId());
            }
            added.forEach((t, ids) -> owner.summarize(c, t, ids));
            return null;
          });
    } catch (DataAccessException e) {
      if (!"23P01".equals(e.sqlState())) { // PostgreSQL's exclusion-constraint violation
        throw e;
      }
      throw new ConflictingDefinitionException(
          "Cannot certify in '"
              + collection
              + "' for "
              + validity
              + " (a concurrent certification may overlap): "
              + e.getMessage(),
          e);
    }
  }

  void decertify(
      String collection, String datasetType, Timespan range, List<DataCoordinate> dataIds) {
    owner.checkWritable();
    Objects.requireNonNull(range, "range");
    CollectionInfo c =
        owner.requireCollection(
            collection,
            CollectionType.CALIBRATION,
            "only CALIBRATION collections have validity ranges.");
    TypeInfo t = owner.requireType(datasetType);
    if (t.calibsTable() == null) {
      throw new DatasetTypeException(
          "Dataset type '" + datasetType + "' is not a calibration type.");
    }
    db.transaction(
        () -> {
          owner.lockCollection(c);
          List<CalibRow> rows = new ArrayList<>();
          if (dataIds == null) {
            rows.addAll(calibRows(t, c, null, range));
          } else {
            for (DataCoordinate d : dataIds) {
              rows.addAll(calibRows(t, c, d.subset(t.type().dimensions()), range));
            }
          }
          for (CalibRow row : rows) {
            ctx.deleteFrom(table(t.calibsTable()))
                .where(field(name("id")).eq(row.rowId()))
                .execute();
            for (Timespan piece : row.ts().difference(range)) {
              insertCalib(t, c, row.datasetId(), row.dims(), piece);
            }
          }
          return null;
        });
  }

  private void insertCalib(
      TypeInfo t, CollectionInfo c, UUID id, List<Object> dims, Timespan validity) {
    List<Field<?>> columns = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    columns.add(TAG_TYPE);
    values.add(t.id());
    columns.add(field(name("dataset_id")));
    values.add(dialect.toDb(id));
    columns.add(TAG_COLLECTION);
    values.add(c.id());
    List<String> names = t.type().dimensions().required();
    for (int i = 0; i < names.size(); i++) {
      columns.add(field(name(names.get(i))));
      values.add(dims.get(i));
    }
    columns.add(field(name("timespan_begin")));
    values.add(validity.begin());
    columns.add(field(name("timespan_end")));
    values.add(validity.end());
    ctx.insertInto(table(t.calibsTable()), columns).values(values).execute();
  }

  /** Certifications of a type in one collection overlapping a window (data ID null = all). */
  private List<CalibRow> calibRows(
      TypeInfo t, CollectionInfo c, DataCoordinate dataId, Timespan window) {
    List<String> dims = t.type().dimensions().required();
    String tn = t.calibsTable().last();
    Field<Long> begin = field(name(tn, "timespan_begin"), Long.class);
    Field<Long> end = field(name(tn, "timespan_end"), Long.class);
    List<Field<?>> cols = new ArrayList<>();
    cols.add(field(name(tn, "id"), Long.class));
    cols.add(field(name(tn, "dataset_id")));
    cols.add(DS_RUN);
    dims.forEach(d -> cols.add(field(name(tn, d))));
    cols.add(begin);
    cols.add(end);
    Condition where =
        field(name(tn, TAG_TYPE.getName()), Long.class)
            .eq(t.id())
            .and(field(name(tn, TAG_COLLECTION.getName()), Long.class).eq(c.id()))
            .and(begin.lt(window.end()))
            .and(end.gt(window.begin()));
    if (dataId != null) {
      for (Map.Entry<String, Object> e : dataId.required().entrySet()) {
        where = where.and(field(name(tn, e.getKey())).eq(DSL.val(e.getValue())));
      }
    }
    List<CalibRow> out = new ArrayList<>();
    for (Record r :
        ctx.select(cols)
            .from(table(t.calibsTable()))
            .join(DATASET)
            .on(tables.datasetId().eq(field(name(t.calibsTable().last(), "dataset_id"))))
            .where(where)
            .orderBy(begin)
            .fetch()) {
      List<Object> dimValues = new ArrayList<>();
      for (int i = 0; i < dims.size(); i++) {
        dimValues.add(r.get(3 + i));
      }
      out.add(
          new CalibRow(
              ((Number) r.get(0)).longValue(),
              dialect.fromDb(r.get(1)),
              ((Number) r.get(2)).longValue(),
              dimValues,
              Timespan.of(
                  ((Number) r.get(3 + dims.size())).longValue(),
                  ((Number) r.get(4 + dims.size())).longValue())));
    }
    return out;
  }

  List<DatasetAssociation> datasetAssociations(String datasetType, List<String> collectionNames) {
    TypeInfo t = owner.requireType(datasetType);
    List<DatasetAssociation> out = new ArrayList<>();
    List<String> dims = t.type().dimensions().required();
    for (CollectionInfo c : owner.flattenInfos(collectionNames)) {
      if (c.type() == CollectionType.CALIBRATION) {
        if (t.calibsTable() != null) {
          for (CalibRow row : calibRows(t, c, null, Timespan.unbounded())) {
            DataCoordinate d =
                DataCoordinate.ofRequired(t.type().dimensions(), row.dims().toArray());
            out.add(
                new DatasetAssociation(
                    new DatasetRef(
                        t.type(), d, owner.collectionById(row.runId()).name(), row.datasetId()),
                    c.name(),
                    row.ts()));
          }
        }
        continue;
      }
      List<Field<?>> cols = new ArrayList<>();
      cols.add(field(name(t.tagsTable().last(), "dataset_id")));
      cols.add(DS_RUN);
      dims.forEach(d -> cols.add(field(name(t.tagsTable().last(), d))));
      for (Record r :
          ctx.select(cols)
              .from(table(t.tagsTable()))
              .join(DATASET)
              .on(tables.datasetId().eq(field(name(t.tagsTable().last(), "dataset_id"))))
              .where(field(name(t.tagsTable().last(), TAG_TYPE.getName())).eq(DSL.val(t.id())))
              .and(field(name(t.tagsTable().last(), TAG_COLLECTION.getName())).eq(DSL.val(c.id())))
              .fetch()) {
        Object[] v = new Object[dims.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = r.get(2 + i);
        }
        DataCoordinate d = DataCoordinate.ofRequired(t.type().dimensions(), v);
        out.add(
            new DatasetAssociation(
                new DatasetRef(
                    t.type(),
                    d,
                    owner.collectionById(((Number) r.get(1)).longValue()).name(),
                    dialect.fromDb(r.get(0))),
                c.name(),
                null));
      }
    }
    return out;
  }
}
