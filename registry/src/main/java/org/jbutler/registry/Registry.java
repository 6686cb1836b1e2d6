package org.jbutler.registry;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetAssociation;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionGroup;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;

/**
 * The SQL registry: dimension records, dataset types, collections and datasets of one repository.
 * Every method that writes runs in one transaction; on failure nothing is written.
 *
 * <p>Obtain one from {@link Registries}. Instances are safe to use from several threads; a
 * transaction holds the registry for its thread until it ends.
 *
 * <p>Collections and dataset types are cached per instance. Another process's removals become
 * visible after {@link #refresh()}.
 */
public interface Registry extends AutoCloseable {

  /** How {@link #syncDimensionRecord} found the stored record. */
  enum SyncOutcome {
    /** There was none; the record was inserted. */
    INSERTED,
    /** An identical record was stored. */
    UNCHANGED,
    /** A different record was stored and has been replaced. */
    UPDATED
  }

  /** The datasets and governor values a collection holds (for a chain, its children's union). */
  record CollectionSummary(List<String> datasetTypes, Map<String, List<Object>> governors) {}

  /** Returns the dimension universe the repository was created with. */
  DimensionUniverse universe();

  /**
   * The datastore's records ({@code file_datastore_records} and the trash), kept in this registry's
   * database and transactions: what a datastore is given to record its artifacts.
   */
  org.jbutler.schema.DatastoreRecords datastoreRecords();

  /**
   * Inserts dimension records of one element in one batch.
   *
   * @throws org.jbutler.schema.exceptions.ConflictingDefinitionException if a record with the same
   *     key exists
   * @throws org.jbutler.schema.exceptions.InvalidDataIdException if a record refers to a dimension
   *     value that does not exist
   */
  void insertDimensionRecords(String element, List<DimensionRecord> records);

  /**
   * Inserts dimension records, skipping those whose key is already stored if {@code skipExisting}.
   */
  void insertDimensionRecords(String element, List<DimensionRecord> records, boolean skipExisting);

  /**
   * Inserts a record if its key is new; otherwise compares it with the stored one.
   *
   * @param update replace a different stored record instead of failing
   * @throws org.jbutler.schema.exceptions.ConflictingDefinitionException if a different record is
   *     stored and {@code update} is false (the message lists the differing fields)
   */
  SyncOutcome syncDimensionRecord(String element, DimensionRecord record, boolean update);

  /**
   * Recomputes the common-skypix (htm7) overlap rows of every spatial element (visit,
   * visit_detector_region, tract, patch, ...) from the regions of its records, in one transaction,
   * creating the overlap tables a repository made before them lacks. Spatial queries then use the
   * rows instead of testing every candidate. Records written afterwards keep their rows up to date.
   *
   * @return the overlap rows now held, by element
   */
  default Map<String, Long> rebuildSkyPixOverlaps() {
    throw new UnsupportedOperationException("This registry keeps no overlap rows.");
  }

  /**
   * Expands a data ID as a user wrote it: record fields and alternate keys ({@code
   * detector.full_name}, {@code exposure.obs_id}) are resolved to keys, implied values are filled
   * in, and the records of the data ID's elements are attached.
   *
   * @param dimensions the dimensions wanted, or null for those the data ID identifies
   * @throws org.jbutler.schema.exceptions.InvalidDataIdException for an unknown key, a value with
   *     no record (naming the dimension and the value), or an ambiguous alternate key
   */
  DataCoordinate expandDataId(Map<String, ?> dataId, DimensionGroup dimensions);

  /** Expands many data IDs of one group, reading each record once. */
  List<DataCoordinate> expandDataIds(List<DataCoordinate> dataIds);

  /**
   * Expands many data IDs given as maps: when every one gives exactly the required keys, in one
   * batch that reads each record once; otherwise (alternate keys, implied values) one by one.
   */
  default List<DataCoordinate> expandDataIds(
      List<? extends Map<String, ?>> given, DimensionGroup dimensions) {
    java.util.Set<String> required = new java.util.HashSet<>(dimensions.required());
    if (given.stream().allMatch(d -> d.keySet().equals(required))) {
      List<DataCoordinate> minimal = new java.util.ArrayList<>(given.size());
      for (Map<String, ?> d : given) {
        minimal.add(DataCoordinate.standardize(d, dimensions));
      }
      return expandDataIds(minimal);
    }
    List<DataCoordinate> expanded = new java.util.ArrayList<>(given.size());
    for (Map<String, ?> d : given) {
      expanded.add(expandDataId(d, dimensions));
    }
    return expanded;
  }

  /** Returns the record of an element for a data ID, if stored. */
  Optional<DimensionRecord> fetchDimensionRecord(String element, DataCoordinate dataId);

  /** Returns every record of an element, ordered by key. */
  List<DimensionRecord> fetchDimensionRecords(String element);

  /**
   * Registers a dataset type.
   *
   * @return true if it was new, false if the identical definition already existed
   * @throws org.jbutler.schema.exceptions.ConflictingDefinitionException if the name has another
   *     definition
   */
  boolean registerDatasetType(DatasetType datasetType);

  /**
   * Returns a registered dataset type.
   *
   * @throws org.jbutler.schema.exceptions.MissingDatasetTypeException if it is not registered
   */
  DatasetType datasetType(String name);

  /** A registered dataset type, if there is one of that name. */
  Optional<DatasetType> findDatasetType(String name);

  /** Returns every registered dataset type, by name. */
  List<DatasetType> datasetTypes();

  /**
   * Removes a dataset type that has no datasets.
   *
   * @throws org.jbutler.schema.exceptions.MissingDatasetTypeException if it is not registered
   * @throws org.jbutler.schema.exceptions.ConflictingDefinitionException if datasets of that type
   *     exist
   */
  void removeDatasetType(String name);

  /**
   * Registers a collection.
   *
   * @return true if it was new, false if a collection of that name and type existed
   * @throws org.jbutler.schema.exceptions.InvalidNameException if the name is blank or over 64
   *     characters
   * @throws org.jbutler.schema.exceptions.ConflictingDefinitionException if it exists with another
   *     type
   */
  boolean registerCollection(String name, CollectionType type, String doc);

  /**
   * Returns a collection's type.
   *
   * @throws org.jbutler.schema.exceptions.MissingCollectionException if it does not exist
   */
  CollectionType collectionType(String name);

  /** A collection's type, if a collection of that name exists. */
  Optional<CollectionType> findCollection(String name);

  /**
   * Sets the children of a CHAINED collection, replacing the old ones.
   *
   * @throws org.jbutler.schema.exceptions.CollectionTypeException if {@code parent} is not CHAINED
   * @throws org.jbutler.schema.exceptions.MissingCollectionException if a child does not exist
   * @throws org.jbutler.schema.exceptions.CollectionCycleException if the chain would contain
   *     itself
   */
  void setChain(String parent, List<String> children);

  /** Returns the direct children of a CHAINED collection, in search order. */
  List<String> chain(String parent);

  /** Puts collections at the front of a chain (moving them if already present). */
  void prependChain(String parent, List<String> children);

  /** Puts collections at the end of a chain (moving them if already present). */
  void extendChain(String parent, List<String> children);

  /** Removes collections from a chain; those not in it are ignored. */
  void removeFromChain(String parent, List<String> children);

  /** Returns the CHAINED collections that directly contain a collection, by name. */
  List<String> parentChains(String name);

  /** Returns a collection's documentation, or null. */
  String collectionDocumentation(String name);

  /** Returns the names of every collection, by name. */
  List<String> collections();

  /**
   * Returns which dataset types and governor values (e.g. instruments) a collection holds.
   * Summaries grow as datasets arrive and are not shrunk by removals, so they may over-report.
   */
  CollectionSummary collectionSummary(String name);

  /**
   * Expands a search path: chains are replaced depth-first by their children, duplicates after the
   * first occurrence are dropped.
   *
   * @throws org.jbutler.schema.exceptions.MissingCollectionException if a collection does not exist
   */
  List<String> flatten(List<String> collections);

  /**
   * Removes a collection (and, for a RUN, its datasets).
   *
   * @throws org.jbutler.schema.exceptions.ConflictingDefinitionException if a chain still contains
   *     it
   */
  void removeCollection(String name);

  /** Removes a collection, first removing it from every chain that contains it if asked. */
  void removeCollection(String name, boolean unlinkFromChains);

  /**
   * Inserts new datasets into a RUN collection in one transaction.
   *
   * @throws org.jbutler.schema.exceptions.MissingDatasetTypeException if the type is not registered
   * @throws org.jbutler.schema.exceptions.CollectionTypeException if {@code run} is not a RUN
   * @throws org.jbutler.schema.exceptions.ConflictingDefinitionException if the run already has a
   *     dataset of that type and data ID
   * @throws org.jbutler.schema.exceptions.InvalidDataIdException if a data ID names a value that
   *     has no dimension record
   */
  List<DatasetRef> insertDatasets(
      String datasetType, List<DataCoordinate> dataIds, String run, DatasetIdGenerationMode mode);

  /**
   * Inserts datasets with the IDs, types, runs and data IDs they already have (an import). A
   * dataset already stored with the same definition is skipped.
   *
   * @throws org.jbutler.schema.exceptions.ConflictingDefinitionException if an ID is stored with
   *     another type, run or data ID, or a run already has another dataset of that type and data ID
   */
  List<DatasetRef> importDatasets(List<DatasetRef> refs);

  /** A dataset by ID, if it exists. */
  Optional<DatasetRef> findDataset(UUID id);

  /**
   * A dataset by ID, if it exists.
   *
   * @deprecated use {@link #findDataset(UUID)}; this name goes in the next release
   */
  @Deprecated
  default Optional<DatasetRef> getDataset(UUID id) {
    return findDataset(id);
  }

  /** Removes datasets from the registry (from every collection). Unknown IDs are ignored. */
  void removeDatasets(Collection<DatasetRef> refs);

  /**
   * Adds datasets to a TAGGED collection. Adding a dataset already there does nothing.
   *
   * @throws org.jbutler.schema.exceptions.CollectionTypeException if the collection is not TAGGED
   * @throws org.jbutler.schema.exceptions.ConflictingDefinitionException if it holds another
   *     dataset of the same type and data ID
   * @throws org.jbutler.schema.exceptions.DatasetNotFoundException if a dataset does not exist
   */
  void associate(String tagged, List<DatasetRef> refs);

  /** Removes datasets from a TAGGED collection; those not in it are ignored. */
  void disassociate(String tagged, List<DatasetRef> refs);

  /**
   * Certifies calibration datasets in a CALIBRATION collection for a validity range. Certifying a
   * dataset again for exactly the same range does nothing.
   *
   * @throws org.jbutler.schema.exceptions.CollectionTypeException if the collection is not
   *     CALIBRATION
   * @throws org.jbutler.schema.exceptions.DatasetTypeException if a dataset type is not a
   *     calibration type
   * @throws org.jbutler.schema.exceptions.ConflictingDefinitionException if the range overlaps a
   *     range already certified for the same dataset type and data ID
   */
  void certify(String collection, List<DatasetRef> refs, Timespan validity);

  /**
   * Removes a time range from the certifications of a dataset type in a CALIBRATION collection;
   * certifications that straddle it are cut (one may become two).
   *
   * @param dataIds only these data IDs, or null for all
   */
  void decertify(
      String collection, String datasetType, Timespan range, List<DataCoordinate> dataIds);

  /**
   * Returns the memberships of a dataset type's datasets in collections (chains flattened), with
   * validity ranges for CALIBRATION collections.
   */
  List<DatasetAssociation> datasetAssociations(String datasetType, List<String> collections);

  /**
   * Finds the dataset of a type and data ID in the first collection of a search path that has one
   * (chains are flattened). CALIBRATION collections are skipped.
   */
  Optional<DatasetRef> findDataset(
      String datasetType, DataCoordinate dataId, List<String> collections);

  /**
   * Finds the dataset of a type and data ID in the first collection of a search path that has one.
   * CALIBRATION collections are searched for a certification overlapping {@code timespan} (when it
   * is not null); RUN and TAGGED collections count as valid at all times.
   *
   * @throws org.jbutler.schema.exceptions.CalibrationLookupException if a CALIBRATION collection
   *     has more than one dataset certified within the timespan
   */
  Optional<DatasetRef> findDataset(
      String datasetType, DataCoordinate dataId, List<String> collections, Timespan timespan);

  // ---------------------------------------------------------------- queries

  /**
   * Data IDs of some dimensions that satisfy a query: joined across the dimension tables (implied
   * and {@code always_join} relationships included), optionally constrained by the existence of
   * datasets of some types in some collections.
   *
   * @param datasetTypes dataset types that must exist for each data ID (may be empty)
   * @param collections where to look for them (chains are flattened)
   * @throws org.jbutler.schema.exceptions.InvalidQueryException for a malformed or unbindable
   *     expression
   */
  QueryResult<DataCoordinate> queryDataIds(
      DimensionGroup dimensions,
      List<String> datasetTypes,
      List<String> collections,
      DataQuery query);

  /**
   * Datasets of the types matching {@code datasetTypes} (a name or a glob such as {@code "*"}) in
   * collections. With {@link DataQuery#withFindFirst()}, one dataset per data ID: the first in the
   * collection order, which must then be an ordered list of names; CALIBRATION collections are
   * matched against the query's temporal dimension (exposure, visit) when it has one. Without it,
   * every match, and collections may be globs.
   *
   * @throws org.jbutler.schema.exceptions.InvalidQueryException for a malformed expression, or
   *     globs with find-first
   * @throws org.jbutler.schema.exceptions.CalibrationLookupException if find-first meets two
   *     certifications of one data ID in one CALIBRATION collection
   */
  QueryResult<DatasetRef> queryDatasets(
      String datasetTypes, List<String> collections, DataQuery query);

  /**
   * As {@link #queryDatasets(String, List, DataQuery)}, find-first when {@code findFirst}.
   *
   * @deprecated use {@link DataQuery#withFindFirst()}; this form goes in the next release
   */
  @Deprecated
  default QueryResult<DatasetRef> queryDatasets(
      String datasetTypes, List<String> collections, DataQuery query, boolean findFirst) {
    return queryDatasets(datasetTypes, collections, findFirst ? query.withFindFirst() : query);
  }

  /** Records of an element that satisfy a query. */
  QueryResult<DimensionRecord> queryDimensionRecords(String element, DataQuery query);

  /**
   * Collection names matching a glob ({@code *}, {@code ?}, {@code [...]}; null or "*" for all), of
   * the given types (empty for all). With {@code flattenChains}, matching chains are replaced by
   * their children (recursively), and kept too if {@code includeChains}.
   */
  List<String> queryCollections(
      String glob, Set<CollectionType> types, boolean flattenChains, boolean includeChains);

  /** Dataset types whose names match a glob, by name. */
  List<DatasetType> queryDatasetTypes(String glob);

  /**
   * Runs work in one transaction; nested calls are savepoints. Everything written inside commits
   * together or not at all. (On H2 only: registering a dataset type with new dimensions creates a
   * table, and H2 commits the open transaction on DDL; register types before the transaction.)
   */
  <T> T transaction(Supplier<T> work);

  /** {@link #transaction(Supplier)} for work without a result. */
  default void transaction(Runnable work) {
    transaction(
        () -> {
          work.run();
          return null;
        });
  }

  /** Forgets cached collections and dataset types, so other processes' changes are seen. */
  void refresh();

  /** Releases the database connection. */
  @Override
  void close();
}
