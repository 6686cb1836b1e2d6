package org.jbutler.registry;

import static org.jbutler.registry.Tables.FILE_RECORDS;
import static org.jbutler.registry.Tables.FILE_TRASH;
import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.jbutler.schema.exceptions.DatasetNotFoundException;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The file datastore's records ({@code file_datastore_records}) and trash in the registry's
 * database: the {@link org.jbutler.schema.DatastoreRecords} a datastore is given. It shares the
 * registry's connection, lock and transactions, so that records commit with the datasets they
 * describe.
 */
final class DatastoreRecordStorage implements org.jbutler.schema.DatastoreRecords {

  private final SqlRegistry owner;
  private final Db db;
  private final DSLContext ctx;
  private final SqlDialect dialect;

  DatastoreRecordStorage(SqlRegistry owner, Db db) {
    this.owner = owner;
    this.db = db;
    this.ctx = db.ctx();
    this.dialect = db.dialect();
  }

  @Override
  public <T> T transaction(Supplier<T> work) {
    return owner.transaction(work);
  }

  private static final List<String> RECORD_COLUMNS =
      List.of(
          "dataset_id", "component", "path", "formatter", "storage_class", "checksum", "file_size");

  private static List<Field<Object>> recordFields() {
    return RECORD_COLUMNS.stream().map(c -> field(name(c))).toList();
  }

  @Override
  public void insertRecords(List<org.jbutler.schema.StoredFileInfo> infos) {
    synchronized (owner) {
      owner.checkWritable();
      if (infos.isEmpty()) {
        return;
      }
      String sql =
          db.sql(
              "insert-records",
              () -> ctx.insertInto(FILE_RECORDS, recordFields()).values(new Object[7]));
      try {
        db.transaction(
            () ->
                db.run(
                    () -> {
                      PreparedStatement ps = db.prepare(sql);
                      for (org.jbutler.schema.StoredFileInfo r : infos) {
                        db.bind(
                            ps,
                            r.datasetId(),
                            r.component(),
                            r.path(),
                            r.formatter(),
                            r.storageClass(),
                            r.checksum(),
                            r.fileSize());
                        ps.addBatch();
                      }
                      return ps.executeBatch();
                    }));
      } catch (DataAccessException e) {
        for (org.jbutler.schema.StoredFileInfo r : infos) {
          if (owner.findDatasetNoLock(r.datasetId()).isEmpty()) {
            throw new DatasetNotFoundException(
                "Cannot record an artifact for dataset "
                    + r.datasetId()
                    + ": it is not registered.",
                e);
          }
        }
        throw new ConflictingDefinitionException(
            "Cannot record artifacts (already recorded?): " + e.getMessage(), e);
      }
    }
  }

  /** A record from a row of {@link #recordFields()}. */
  private org.jbutler.schema.StoredFileInfo info(Record r) {
    Object size = r.get(6);
    return new org.jbutler.schema.StoredFileInfo(
        dialect.fromDb(r.get(0)),
        (String) r.get(1),
        (String) r.get(2),
        (String) r.get(3),
        (String) r.get(4),
        (String) r.get(5),
        size == null ? -1 : ((Number) size).longValue());
  }

  private List<org.jbutler.schema.StoredFileInfo> selectRecords(
      org.jooq.Table<Record> t, Condition where) {
    List<org.jbutler.schema.StoredFileInfo> out = new ArrayList<>();
    for (Record r : ctx.select(recordFields()).from(t).where(where).fetch()) {
      out.add(info(r));
    }
    return out;
  }

  @Override
  public List<org.jbutler.schema.StoredFileInfo> records(UUID datasetId) {
    synchronized (owner) {
      return selectRecords(
          FILE_RECORDS, field(name("dataset_id")).eq(DSL.val(dialect.toDb(datasetId))));
    }
  }

  @Override
  public Map<UUID, List<org.jbutler.schema.StoredFileInfo>> records(Collection<UUID> datasetIds) {
    synchronized (owner) {
      Map<UUID, List<org.jbutler.schema.StoredFileInfo>> out = new LinkedHashMap<>();
      List<UUID> ids = List.copyOf(datasetIds);
      for (int from = 0; from < ids.size(); from += 500) {
        List<Object> chunk = new ArrayList<>();
        for (UUID id : ids.subList(from, Math.min(ids.size(), from + 500))) {
          chunk.add(dialect.toDb(id));
        }
        for (org.jbutler.schema.StoredFileInfo r :
            selectRecords(FILE_RECORDS, field(name("dataset_id")).in(chunk))) {
          out.computeIfAbsent(r.datasetId(), k -> new ArrayList<>()).add(r);
        }
      }
      return out;
    }
  }

  @Override
  public List<org.jbutler.schema.StoredFileInfo> allRecords() {
    synchronized (owner) {
      return selectRecords(FILE_RECORDS, DSL.noCondition());
    }
  }

  @Override
  public void trashRecords(Collection<UUID> datasetIds) {
    synchronized (owner) {
      owner.checkWritable();
      db.transaction(
          () -> {
            for (UUID id : datasetIds) {
              Condition mine = field(name("dataset_id")).eq(DSL.val(dialect.toDb(id)));
              ctx.insertInto(FILE_TRASH)
                  .columns(recordFields())
                  .select(ctx.select(recordFields()).from(FILE_RECORDS).where(mine))
                  .execute();
              ctx.deleteFrom(FILE_RECORDS).where(mine).execute();
            }
            return null;
          });
    }
  }

  @Override
  public List<String> emptyTrash(int limit) {
    synchronized (owner) {
      owner.checkWritable();
      return db.transaction(
          () -> {
            List<org.jbutler.schema.StoredFileInfo> batch = new ArrayList<>();
            for (Record r : ctx.select(recordFields()).from(FILE_TRASH).limit(limit).fetch()) {
              batch.add(info(r));
            }
            Set<String> deletable = new LinkedHashSet<>();
            for (org.jbutler.schema.StoredFileInfo t : batch) {
              if (!ctx.fetchExists(FILE_RECORDS, field(name("path")).eq(DSL.val(t.path())))) {
                deletable.add(t.path());
              }
              ctx.deleteFrom(FILE_TRASH)
                  .where(field(name("dataset_id")).eq(DSL.val(dialect.toDb(t.datasetId()))))
                  .and(field(name("component")).eq(DSL.val(t.component())))
                  .execute();
            }
            return List.copyOf(deletable);
          });
    }
  }

  @Override
  public void onRollback(Runnable action) {
    synchronized (owner) {
      db.onRollbackOfCurrent(action);
    }
  }
}
