package org.jbutler.registry;

import java.util.List;
import java.util.Optional;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DataCoordinate;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.DimensionRecord;
import org.jbutler.schema.DimensionUniverse;

/**
 * The SQL registry: dimension records, dataset types, collections and datasets of one repository.
 * Every method that writes runs in one transaction; on failure nothing is written.
 *
 * <p>Obtain one from {@link Registries}. Instances are safe to use from several threads.
 */
public interface Registry extends AutoCloseable {

  /** Returns the dimension universe the repository was created with. */
  DimensionUniverse universe();

  /**
   * Inserts dimension records of one element in one batch.
   *
   * @throws org.jbutler.schema.ConflictingDefinitionException if a record with the same key exists
   * @throws org.jbutler.schema.InvalidDataIdException if a record refers to a dimension value that
   *     does not exist
   */
  void insertDimensionRecords(String element, List<DimensionRecord> records);

  /** Returns every record of an element, ordered by key. */
  List<DimensionRecord> fetchDimensionRecords(String element);

  /**
   * Registers a dataset type.
   *
   * @return true if it was new, false if the identical definition already existed
   * @throws org.jbutler.schema.ConflictingDefinitionException if the name has another definition
   */
  boolean registerDatasetType(DatasetType datasetType);

  /**
   * Returns a registered dataset type.
   *
   * @throws org.jbutler.schema.MissingDatasetTypeException if it is not registered
   */
  DatasetType datasetType(String name);

  /** Returns every registered dataset type, by name. */
  List<DatasetType> datasetTypes();

  /**
   * Removes a dataset type that has no datasets.
   *
   * @throws org.jbutler.schema.MissingDatasetTypeException if it is not registered
   * @throws org.jbutler.schema.ConflictingDefinitionException if datasets of that type exist
   */
  void removeDatasetType(String name);

  /**
   * Registers a collection.
   *
   * @return true if it was new, false if a collection of that name and type existed
   * @throws org.jbutler.schema.InvalidNameException if the name is blank or over 64 characters
   * @throws org.jbutler.schema.ConflictingDefinitionException if it exists with another type
   */
  boolean registerCollection(String name, CollectionType type, String doc);

  /**
   * Returns a collection's type.
   *
   * @throws org.jbutler.schema.MissingCollectionException if it does not exist
   */
  CollectionType collectionType(String name);

  /**
   * Sets the children of a CHAINED collection, replacing the old ones.
   *
   * @throws org.jbutler.schema.CollectionTypeException if {@code parent} is not CHAINED
   * @throws org.jbutler.schema.MissingCollectionException if a child does not exist
   * @throws org.jbutler.schema.CollectionCycleException if the chain would contain itself
   */
  void setChain(String parent, List<String> children);

  /** Returns the direct children of a CHAINED collection, in search order. */
  List<String> chain(String parent);

  /**
   * Expands a search path: chains are replaced depth-first by their children, duplicates after the
   * first occurrence are dropped.
   *
   * @throws org.jbutler.schema.MissingCollectionException if a collection does not exist
   */
  List<String> flatten(List<String> collections);

  /**
   * Removes a collection (and, for a RUN, its datasets).
   *
   * @throws org.jbutler.schema.ConflictingDefinitionException if a chain still contains it
   */
  void removeCollection(String name);

  /**
   * Inserts new datasets into a RUN collection in one transaction.
   *
   * @throws org.jbutler.schema.MissingDatasetTypeException if the type is not registered
   * @throws org.jbutler.schema.CollectionTypeException if {@code run} is not a RUN
   * @throws org.jbutler.schema.ConflictingDefinitionException if the run already has a dataset of
   *     that type and data ID
   * @throws org.jbutler.schema.InvalidDataIdException if a data ID names a value that has no
   *     dimension record
   */
  List<DatasetRef> insertDatasets(
      String datasetType, List<DataCoordinate> dataIds, String run, DatasetIdGenerationMode mode);

  /**
   * Finds the dataset of a type and data ID in the first collection of a search path that has one
   * (chains are flattened).
   */
  Optional<DatasetRef> findDataset(
      String datasetType, DataCoordinate dataId, List<String> collections);

  /** Releases the database connection. */
  @Override
  void close();
}
