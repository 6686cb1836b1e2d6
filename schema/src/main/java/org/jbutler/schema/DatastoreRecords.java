package org.jbutler.schema;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Where a file datastore keeps its records: implemented by the registry, so that a dataset's row
 * and its artifact records commit in one transaction.
 */
public interface DatastoreRecords {

  /** Inserts records, in the caller's transaction (or its own). */
  void insertRecords(List<StoredFileInfo> records);

  /** The records of a dataset (one per stored component). */
  List<StoredFileInfo> records(UUID datasetId);

  /** The records of many datasets, by dataset ID (datasets without records are absent). */
  default Map<UUID, List<StoredFileInfo>> records(Collection<UUID> datasetIds) {
    Map<UUID, List<StoredFileInfo>> out = new java.util.LinkedHashMap<>();
    for (UUID id : datasetIds) {
      List<StoredFileInfo> r = records(id);
      if (!r.isEmpty()) {
        out.put(id, r);
      }
    }
    return out;
  }

  /** Every record, for verification. */
  List<StoredFileInfo> allRecords();

  /**
   * Moves the records of datasets to the trash, in the caller's transaction. Their files stay until
   * {@link #emptyTrash} says they may go.
   */
  void trashRecords(Collection<UUID> datasetIds);

  /**
   * Empties up to {@code limit} trash entries: returns the paths of the entries removed that no
   * remaining record references (the caller deletes those files).
   */
  List<String> emptyTrash(int limit);

  /** Runs work in a transaction (nested: a savepoint). */
  <T> T transaction(Supplier<T> work);

  /**
   * Registers an action to run if the current transaction (or savepoint) rolls back, such as
   * deleting a file written for it. Outside a transaction it is never run.
   */
  void onRollback(Runnable action);
}
