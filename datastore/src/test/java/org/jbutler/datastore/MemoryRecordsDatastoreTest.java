package org.jbutler.datastore;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.DatastoreRecords;
import org.jbutler.schema.StoredFileInfo;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.exceptions.DatasetNotFoundException;

/**
 * The datastore contract with its records in memory: no database at all, data IDs expanded by hand.
 * The fake keeps the SQL registry's rules that the datastore relies on: records only for registered
 * datasets, all-or-nothing transactions (nested ones as savepoints) that run their rollback
 * actions, and a trash whose paths are released only when no record refers to them.
 */
class MemoryRecordsDatastoreTest extends DatastoreContractTest {

  /** Registered datasets, records and trash, with snapshots for transactions. */
  static final class MemoryRecords implements DatastoreRecords {
    record State(
        Map<UUID, DatasetRef> datasets,
        Map<UUID, List<StoredFileInfo>> records,
        List<StoredFileInfo> trash) {
      State copy() {
        Map<UUID, List<StoredFileInfo>> r = new LinkedHashMap<>();
        records.forEach((k, v) -> r.put(k, new ArrayList<>(v)));
        return new State(new LinkedHashMap<>(datasets), r, new ArrayList<>(trash));
      }
    }

    private State state =
        new State(new LinkedHashMap<>(), new LinkedHashMap<>(), new ArrayList<>());
    private final Deque<List<Runnable>> rollbackActions = new ArrayDeque<>();

    synchronized void addDataset(DatasetRef ref) {
      state.datasets().put(ref.id(), ref);
    }

    synchronized List<DatasetRef> datasets() {
      return new ArrayList<>(state.datasets().values());
    }

    @Override
    public synchronized void insertRecords(List<StoredFileInfo> records) {
      transaction(
          () -> {
            for (StoredFileInfo r : records) {
              if (!state.datasets().containsKey(r.datasetId())) {
                throw new DatasetNotFoundException(
                    "Cannot record an artifact for dataset "
                        + r.datasetId()
                        + ": it is not registered.");
              }
              state.records().computeIfAbsent(r.datasetId(), k -> new ArrayList<>()).add(r);
            }
            return null;
          });
    }

    @Override
    public synchronized List<StoredFileInfo> records(UUID datasetId) {
      return List.copyOf(state.records().getOrDefault(datasetId, List.of()));
    }

    @Override
    public synchronized List<StoredFileInfo> allRecords() {
      List<StoredFileInfo> all = new ArrayList<>();
      state.records().values().forEach(all::addAll);
      return all;
    }

    @Override
    public synchronized void trashRecords(Collection<UUID> datasetIds) {
      for (UUID id : datasetIds) {
        List<StoredFileInfo> r = state.records().remove(id);
        if (r != null) {
          state.trash().addAll(r);
        }
      }
    }

    @Override
    public synchronized List<String> emptyTrash(int limit) {
      Set<String> referenced = new HashSet<>();
      allRecords().forEach(r -> referenced.add(r.path()));
      List<String> free = new ArrayList<>();
      int n = Math.min(limit, state.trash().size());
      for (int i = 0; i < n; i++) {
        StoredFileInfo r = state.trash().remove(0);
        if (!referenced.contains(r.path()) && !free.contains(r.path())) {
          free.add(r.path());
        }
      }
      return free;
    }

    @Override
    public synchronized <T> T transaction(Supplier<T> work) {
      State before = state.copy();
      rollbackActions.push(new ArrayList<>());
      try {
        T out = work.get();
        List<Runnable> mine = rollbackActions.pop();
        if (!rollbackActions.isEmpty()) {
          rollbackActions.peek().addAll(mine); // the outer level may still roll back
        }
        return out;
      } catch (RuntimeException | Error e) {
        state = before;
        List<Runnable> mine = rollbackActions.pop();
        for (int i = mine.size() - 1; i >= 0; i--) {
          mine.get(i).run();
        }
        throw e;
      }
    }

    @Override
    public synchronized void onRollback(Runnable action) {
      if (!rollbackActions.isEmpty()) {
        rollbackActions.peek().add(action);
      }
    }
  }

  @Override
  Backend backend(Path dir) {
    MemoryRecords records = new MemoryRecords();
    DimensionRecord cam1 = DimensionRecord.of(U.element("instrument"), Map.of("name", "Cam1"));
    return new Backend() {
      @Override
      public DatastoreRecords records() {
        return records;
      }

      @Override
      public DatasetRef register(String type, int detector, String run) {
        DatasetType t = TYPES.stream().filter(x -> x.name().equals(type)).findFirst().orElseThrow();
        Map<String, DimensionRecord> elements = new LinkedHashMap<>();
        elements.put("instrument", cam1);
        DataCoordinate dataId;
        if (detector == 0) {
          dataId = DataCoordinate.standardize(Map.of("instrument", "Cam1"), t.dimensions());
        } else {
          elements.put(
              "detector",
              DimensionRecord.of(
                  U.element("detector"),
                  Map.of("instrument", "Cam1", "id", detector, "full_name", "D" + detector)));
          dataId =
              DataCoordinate.standardize(
                  Map.of("instrument", "Cam1", "detector", detector), t.dimensions());
        }
        DatasetRef ref = new DatasetRef(t, dataId.expanded(elements), run, UUID.randomUUID());
        records.transaction(
            () -> {
              records.addDataset(ref);
              return null;
            });
        return ref;
      }

      @Override
      public List<DatasetRef> registered(String type, String run) {
        return records.datasets().stream()
            .filter(r -> r.datasetType().name().equals(type) && r.run().equals(run))
            .toList();
      }

      @Override
      public void close() {}
    };
  }
}
