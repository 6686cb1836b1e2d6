package org.jbutler.schema;

import java.util.Objects;
import java.util.UUID;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.exceptions.DatasetTypeException;

/**
 * A resolved reference to one dataset: its type, data ID, RUN collection and UUID.
 *
 * @param datasetType the dataset's type (a component type for a component reference)
 * @param dataId the data ID, whose dimensions equal the type's
 * @param run the RUN collection the dataset was (or will be) inserted into
 * @param id the dataset's UUID
 */
public record DatasetRef(DatasetType datasetType, DataCoordinate dataId, String run, UUID id) {

  /** Validates the reference. */
  public DatasetRef {
    Objects.requireNonNull(datasetType, "datasetType");
    Objects.requireNonNull(dataId, "dataId");
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(id, "id");
    if (!dataId.dimensions().equals(datasetType.dimensions())) {
      throw new DatasetTypeException(
          "Data ID "
              + dataId
              + " has dimensions "
              + dataId.dimensions()
              + " but dataset type '"
              + datasetType.name()
              + "' has "
              + datasetType.dimensions()
              + ".");
    }
    CollectionNames.check(run);
  }

  /**
   * Returns a reference to a new dataset, with an ID chosen by {@code mode}.
   *
   * @throws DatasetTypeException if the data ID's dimensions differ from the type's
   */
  public static DatasetRef create(
      DatasetType datasetType, DataCoordinate dataId, String run, DatasetIdGenerationMode mode) {
    return new DatasetRef(
        datasetType, dataId, run, DatasetIds.generate(mode, datasetType, dataId, run));
  }

  /** Returns a reference to one component of this dataset (same ID and run). */
  public DatasetRef makeComponentRef(String component, String componentStorageClass) {
    return new DatasetRef(
        datasetType.makeComponent(component, componentStorageClass), dataId, run, id);
  }

  /** Returns {@code bias@{instrument: 'Cam1', detector: 1} [sc=ExposureF] (run=r id=...)}. */
  @Override
  public String toString() {
    return datasetType.name()
        + "@"
        + dataId
        + " [sc="
        + datasetType.storageClass()
        + "] (run="
        + run
        + " id="
        + id
        + ")";
  }
}
