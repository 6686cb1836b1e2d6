package org.jbutler.datastore;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jbutler.registry.DataQuery;
import org.jbutler.registry.Registries;
import org.jbutler.registry.Registry;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.DatastoreRecords;
import org.jbutler.schema.dimensions.DimensionRecord;

/** The datastore contract with its records in a SQLite registry, as a repository keeps them. */
class SqlRecordsDatastoreTest extends DatastoreContractTest {

  @Override
  Backend backend(Path dir) {
    Registry registry = Registries.create("jdbc:sqlite:" + dir.resolve("gen3.sqlite3"), U);
    registry.insertDimensionRecords(
        "instrument", List.of(DimensionRecord.of(U.element("instrument"), Map.of("name", "Cam1"))));
    for (int d = 1; d <= 3; d++) {
      registry.insertDimensionRecords(
          "detector",
          List.of(
              DimensionRecord.of(
                  U.element("detector"),
                  Map.of("instrument", "Cam1", "id", d, "full_name", "D" + d))));
    }
    for (DatasetType t : TYPES) {
      registry.registerDatasetType(t);
    }
    return new Backend() {
      @Override
      public DatastoreRecords records() {
        return registry.datastoreRecords();
      }

      @Override
      public DatasetRef register(String type, int detector, String run) {
        registry.registerCollection(run, CollectionType.RUN, null);
        var dataId =
            registry.expandDataId(
                detector == 0
                    ? Map.of("instrument", "Cam1")
                    : Map.of("instrument", "Cam1", "detector", detector),
                registry.datasetType(type).dimensions());
        return registry
            .insertDatasets(type, List.of(dataId), run, DatasetIdGenerationMode.UNIQUE)
            .get(0);
      }

      @Override
      public List<DatasetRef> registered(String type, String run) {
        return registry.queryDatasets(type, List.of(run), DataQuery.all()).toList();
      }

      @Override
      public void close() {
        registry.close();
      }
    };
  }
}
