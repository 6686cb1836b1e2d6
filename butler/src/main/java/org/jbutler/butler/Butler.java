package org.jbutler.butler;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jbutler.butler.instrument.Instrument;
import org.jbutler.datastore.Datastore;
import org.jbutler.registry.Registry;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.Progress;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.jbutler.schema.exceptions.DatasetNotFoundException;
import org.jbutler.schema.exceptions.InvalidConfigException;

/**
 * A data repository: a registry of datasets and a datastore of their artifacts behind one facade
 * ({@code get}, {@code put}, {@code ingest}, queries through {@link #registry()}). {@link #open}
 * and {@link #create} give the direct implementation, which talks to the database and the files
 * itself; other implementations (a client of a butler server) follow the same contract.
 */
public interface Butler extends LimitedButler, AutoCloseable {

  /** The repository config file's name. */
  String CONFIG_FILE = "butler.yaml";

  /**
   * How a butler is opened.
   *
   * @param collections the default collections searched by {@code get} and queries
   * @param run the default RUN for {@code put} and {@code ingest} (registered when first used)
   * @param dataId default data ID values (e.g. {@code instrument})
   */
  record Options(List<String> collections, String run, Map<String, Object> dataId) {

    /** Copies. */
    public Options {
      collections = List.copyOf(collections == null ? List.of() : collections);
      dataId = Map.copyOf(dataId == null ? Map.of() : dataId);
    }

    /** No defaults. */
    public static Options none() {
      return new Options(List.of(), null, Map.of());
    }

    /** Defaults for writing to a run (also searched first). */
    public static Options run(String run) {
      return new Options(List.of(run), run, Map.of());
    }
  }

  /**
   * How far a dataset exists, as daf_butler's {@code DatasetExistence}: recorded in the registry,
   * its artifact recorded and present in the datastore, and (when checked) its size and checksum
   * verified.
   */
  record DatasetExistence(boolean recorded, boolean stored, boolean verified) {
    /** Recorded and stored (and verified, when that was asked). */
    public boolean known() {
      return recorded && stored;
    }
  }

  /**
   * What {@link #ingestRaws} did: the datasets registered; per file, why one failed; and per file,
   * the datasets already in the run that made ingesting it again unnecessary.
   */
  record RawIngestReport(
      List<DatasetRef> ingested, Map<Path, String> failures, Map<Path, String> alreadyIngested) {}

  /**
   * Creates a repository: writes {@code butler.yaml} (the defaults with {@code overrides} merged
   * in, section by section) and an empty registry.
   *
   * @param universe the dimension universe, or null for the default
   * @throws ConflictingDefinitionException if the directory already holds a repository
   * @throws InvalidConfigException for a registry URL with a password in it
   */
  static Butler create(Path root, Map<String, Object> overrides, DimensionUniverse universe) {
    return DirectButler.create(root, overrides, universe);
  }

  /**
   * Opens a repository by its directory or its {@code butler.yaml}.
   *
   * @throws InvalidConfigException if there is no repository there, or its config is unreadable
   */
  static Butler open(Path rootOrConfig, Options options) {
    return DirectButler.open(rootOrConfig, options);
  }

  /** The repository directory. */
  Path root();

  /** The registry. */
  Registry registry();

  /** The datastore. */
  Progress progress();

  /**
   * Where long operations (ingest, import, export, transfer, verify) report progress; the CLI
   * installs a terminal bar.
   */
  void setProgress(Progress progress);

  /** The datastore. */
  Datastore datastore();

  /** The options this butler was opened with. */
  Options options();

  /**
   * Stores an object as a new dataset in the default run (registered if new): expands the data ID,
   * inserts the dataset and writes its artifact in one transaction.
   */
  DatasetRef put(Object object, String datasetType, Map<String, ?> dataId);

  /** Stores an object as a new dataset in a run. */
  DatasetRef put(Object object, String datasetType, Map<String, ?> dataId, String run);

  /**
   * Stores an object as a dataset whose ID, run and data ID are already decided (a quantum's
   * predicted output): registers it with that ID and writes its artifact, in one transaction.
   *
   * @throws org.jbutler.schema.exceptions.ConflictingDefinitionException if the dataset already has
   *     an artifact or the ID names another dataset
   */
  DatasetRef put(Object object, DatasetRef ref);

  /**
   * Registers datasets whose artifacts were written with {@link #stage} (or {@code
   * datastore().write}), and records those artifacts, in one transaction: all or none (an
   * executor's outputs of one quantum). Their runs are registered if new.
   */
  @Override
  void registerWritten(List<Datastore.Written> written);

  /**
   * Finds a dataset by type and data ID in collections (the defaults if empty). Calibration
   * collections are searched at the time of the data ID's exposure or visit, when it has one.
   */
  Optional<DatasetRef> findDataset(
      String datasetType, Map<String, ?> dataId, List<String> collections);

  /**
   * Reads a dataset (or a component: {@code calexp.image}) by type and data ID from the default
   * collections.
   *
   * @throws DatasetNotFoundException naming the type, data ID and collections searched
   */
  Object get(String datasetType, Map<String, ?> dataId, Map<String, Object> parameters);

  /**
   * Runs work in one transaction: every put, ingest and removal inside commits together, or on an
   * exception none does (rows rolled back, files written inside removed). Nests as savepoints.
   */
  <T> T transaction(java.util.function.Supplier<T> work);

  /** {@link #transaction(java.util.function.Supplier)} for work without a result. */
  void transaction(Runnable work);

  /** Reads a dataset by ref. */
  Object get(DatasetRef ref, Map<String, Object> parameters);

  /**
   * Reads a dataset as another storage class where a conversion is defined (daf_butler's {@code
   * storageClass} argument): a class it inherits from or that inherits from it, one with the same
   * Java type, or one that lists its Java type as a converter; images change pixel type ({@code
   * raw} as {@code ImageF}).
   *
   * @throws InvalidConfigException if the storage class is unknown or no conversion is defined
   */
  Object get(DatasetRef ref, Map<String, Object> parameters, String storageClass);

  /**
   * Checks a dataset's existence.
   *
   * @param full also read the artifact's size and checksum (else {@code verified} is false)
   */
  DatasetExistence existence(DatasetRef ref, boolean full);

  /**
   * The file (or, for a remote or object-store repository, the address) of a dataset's artifact.
   */
  Path uri(DatasetRef ref);

  /**
   * The file of a dataset's artifact.
   *
   * @deprecated use {@link #uri(DatasetRef)}; this name goes in the next release
   */
  @Deprecated
  default Path getURI(DatasetRef ref) {
    return uri(ref);
  }

  /** Whether a dataset is registered and its artifact exists. */
  boolean exists(DatasetRef ref);

  /**
   * Ingests existing files as new datasets of one type in a run, all or nothing.
   *
   * @param dataIds one data ID per file
   */
  List<DatasetRef> ingest(
      String datasetType,
      List<Map<String, ?>> dataIds,
      List<Path> files,
      String run,
      Datastore.Transfer transfer,
      DatasetIdGenerationMode mode);

  /**
   * Ingests files as {@link #ingest(String, List, List, String, Datastore.Transfer,
   * DatasetIdGenerationMode)} does, with a formatter name per dataset; a file may be given for
   * several datasets (one multi-extension raw, several detectors) and is transferred once.
   *
   * @param formatterNames null, or one formatter name (null for the configured one) per file
   */
  List<DatasetRef> ingest(
      String datasetType,
      List<Map<String, ?>> dataIds,
      List<Path> files,
      List<String> formatterNames,
      String run,
      Datastore.Transfer transfer,
      DatasetIdGenerationMode mode);

  /**
   * Removes RUN collections with their datasets: artifacts go to the trash and the registry rows in
   * one transaction, then the trash is emptied.
   *
   * @param unlinkFromChains remove them from chains that hold them (else that is an error)
   * @return how many datasets were removed
   */
  int removeRuns(List<String> runs, boolean unlinkFromChains);

  /**
   * Deletes datasets' artifacts and their datastore records, keeping the datasets in the registry
   * (daf_butler's {@code pruneDatasets(refs, unstore=True)}).
   */
  default void unstore(List<DatasetRef> refs) {
    pruneDatasets(refs, List.of(), true, false);
  }

  /** Removes datasets from a TAGGED collection; nothing else changes. */
  default void disassociate(String tagged, List<DatasetRef> refs) {
    pruneDatasets(refs, List.of(tagged), false, false);
  }

  /**
   * Prunes datasets, as daf_butler's {@code pruneDatasets} (kept under its name for daf_butler's
   * users; {@link #unstore}, {@link #purge} and {@link #disassociate} say the same by name).
   *
   * @param disassociateFrom TAGGED collections to remove them from
   * @param unstore delete their artifacts (keep the registry entries)
   * @param purge remove them from the registry entirely (implies unstore)
   */
  void pruneDatasets(
      List<DatasetRef> refs, List<String> disassociateFrom, boolean unstore, boolean purge);

  /**
   * Copies datasets' artifacts to a directory.
   *
   * @param preservePath keep the datastore's relative layout (else flat file names)
   * @param clobber overwrite existing files (else that is an error)
   * @return the files written
   */
  List<Path> retrieveArtifacts(
      List<DatasetRef> refs, Path destination, boolean preservePath, boolean clobber);

  /** The repository's config as written in {@code butler.yaml}. */
  String configText();

  /**
   * Checks the repository's configuration against what it holds: every dataset type's storage class
   * is known and has a formatter and a file template that can format its paths.
   *
   * @return one message per problem (empty when all is well)
   */
  List<String> validateConfig();

  /**
   * Copies datasets from another butler into this one: their dataset types (if asked), the
   * dimension records their data IDs need (if asked), their registry entries with the same IDs, and
   * their files (copied, or linked by the transfer mode). All or nothing.
   *
   * @return the datasets transferred
   */
  List<DatasetRef> transferFrom(
      Butler source,
      List<DatasetRef> refs,
      Datastore.Transfer transfer,
      boolean registerDatasetTypes,
      boolean transferDimensions);

  /**
   * Ingests raw files of an instrument: reads their headers in parallel, creates the day_obs, group
   * and exposure records, registers {@code raw} datasets ({instrument, exposure, detector}) in a
   * run (default {@code <instrument>/raw/all}). A file that cannot be read or described
   * (unreadable, a missing card, an unknown detector or filter) is reported and skipped, with
   * nothing of it registered; the rest go in one transaction.
   *
   * @param threads header-reading threads
   * @param failFast ingest nothing if any file fails
   */
  RawIngestReport ingestRaws(
      Instrument instrument,
      List<Path> inputs,
      String run,
      Datastore.Transfer transfer,
      int threads,
      boolean failFast);

  /**
   * Defines one visit per science exposure of an instrument (daf_butler's one-to-one visit system):
   * visit records with the exposure's filter, day_obs, time and target, visit_definition and
   * visit_system_membership rows. Re-running adds only what is new.
   *
   * @param where an optional expression restricting the exposures
   * @return how many visits were new
   */
  int defineVisits(String instrument, String where);

  /**
   * As {@link #defineVisits(String, String)}, with the detector regions from the instrument's
   * {@link Instrument#detectorRegion} (by default the raw's TAN WCS, padded as obs_base pads it).
   */
  default int defineVisits(Instrument instrument, String where) {
    return defineVisits(instrument.name(), where);
  }

  void close();
}
