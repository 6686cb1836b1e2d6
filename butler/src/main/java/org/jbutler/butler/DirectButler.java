package org.jbutler.butler;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jbutler.butler.instrument.Instrument;
import org.jbutler.datastore.Datastore;
import org.jbutler.datastore.FileDatastore;
import org.jbutler.registry.Registries;
import org.jbutler.registry.Registry;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.Progress;
import org.jbutler.schema.StorageClassFactory;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionElement;
import org.jbutler.schema.dimensions.DimensionGroup;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.jbutler.schema.exceptions.DatasetNotFoundException;
import org.jbutler.schema.exceptions.InvalidConfigException;

/**
 * The direct {@link Butler} (daf_butler's {@code DirectButler}): it talks to the registry's
 * database and the datastore's files itself.
 *
 * <p>A repository is a directory with a {@code butler.yaml}: the registry URL (default: the SQLite
 * file {@code gen3.sqlite3} in the root), the datastore root and its templates. {@code
 * <butlerRoot>} in the config stands for the repository directory, so it can be moved. Database
 * passwords are never written there: they come from {@code JBUTLER_DB_PASSWORD}.
 */
final class DirectButler implements Butler {

  static final String ROOT_PLACEHOLDER = ButlerConfig.ROOT_PLACEHOLDER;
  static final String PASSWORD_ENV = "JBUTLER_DB_PASSWORD";

  private final Path root;
  private final Registry registry;
  private final Datastore datastore;
  private volatile Progress progress = Progress.NONE;
  private final StorageClassFactory storageClasses;
  private final Options options;

  private DirectButler(
      Path root, Registry registry, Datastore datastore, StorageClassFactory sc, Options options) {
    this.root = root;
    this.registry = registry;
    this.datastore = datastore;
    this.storageClasses = sc;
    this.options = options;
  }

  private static ObjectMapper yaml() {
    return org.jbutler.schema.Yaml.lenient();
  }

  /**
   * Creates a repository: writes {@code butler.yaml} (the defaults with {@code overrides} merged
   * in, section by section) and an empty registry.
   *
   * @param universe the dimension universe, or null for the default
   * @throws ConflictingDefinitionException if the directory already holds a repository
   * @throws InvalidConfigException for a registry URL with a password in it
   */
  static Butler create(Path root, Map<String, Object> overrides, DimensionUniverse universe) {
    Path dir = root.toAbsolutePath().normalize();
    Path file = dir.resolve(CONFIG_FILE);
    if (Files.exists(file)) {
      throw new ConflictingDefinitionException(
          "A repository already exists at " + dir + " (it has a " + CONFIG_FILE + ").");
    }
    requireEmptyDirectory(dir);
    Map<String, Object> config =
        ButlerConfig.merge(ButlerConfig.defaults(), overrides == null ? Map.of() : overrides);
    ButlerConfig parsed = ButlerConfig.of(config, dir);
    String db = parsed.registryUrl();
    if (Registries.redact(db).contains("***")) {
      throw new InvalidConfigException(
          "The registry URL contains a password; it would be written to "
              + CONFIG_FILE
              + ". Give the URL without it and set "
              + PASSWORD_ENV
              + " instead.");
    }
    parsed.check();
    try {
      Files.createDirectories(dir);
      Registry registry =
          Registries.create(
              withPassword(db), universe == null ? DimensionUniverse.defaultUniverse() : universe);
      registry.close();
      Files.writeString(
          file, "# jbutler repository configuration\n" + yaml().writeValueAsString(config));
    } catch (IOException e) {
      throw new InvalidConfigException(
          "Cannot create the repository at " + dir + ": " + e.getMessage(), e);
    }
    return open(dir, Options.none());
  }

  /** A repository is made in a new directory or an empty one, never among other files. */
  private static void requireEmptyDirectory(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new InvalidConfigException(
          "Cannot create a repository at " + dir + ": it is a file, not a directory.");
    }
    List<String> names;
    try (var list = Files.list(dir)) {
      names = list.map(p -> p.getFileName().toString()).sorted().limit(6).toList();
    } catch (IOException e) {
      throw new InvalidConfigException("Cannot read " + dir + ": " + e.getMessage(), e);
    }
    if (!names.isEmpty()) {
      throw new ConflictingDefinitionException(
          "Cannot create a repository in "
              + dir
              + ": the directory is not empty (it holds "
              + String.join(", ", names.subList(0, Math.min(5, names.size())))
              + (names.size() > 5 ? ", ..." : "")
              + "); give a new or empty directory.");
    }
  }

  /**
   * Opens a repository by its directory or its {@code butler.yaml}.
   *
   * @throws InvalidConfigException if there is no repository there, or its config is unreadable
   */
  @SuppressWarnings("unchecked")
  static Butler open(Path rootOrConfig, Options options) {
    Path p = rootOrConfig.toAbsolutePath().normalize();
    Path file = Files.isDirectory(p) ? p.resolve(CONFIG_FILE) : p;
    Path dir = file.getParent();
    if (!Files.isRegularFile(file)) {
      throw new org.jbutler.schema.exceptions.ButlerException(
          org.jbutler.schema.exceptions.ButlerException.Category.MISSING,
          "No repository at "
              + rootOrConfig
              + " (no "
              + CONFIG_FILE
              + "); create one with `butler create`.");
    }
    ButlerConfig config = ButlerConfig.read(file);
    Registry registry = Registries.open(withPassword(config.registryUrl()));
    try {
      StorageClassFactory sc = config.storageClassFactory();
      FileDatastore datastore =
          new FileDatastore(
              config.datastoreRoot(),
              registry.datastoreRecords(),
              config.fileTemplates(),
              config.formatterSet(),
              sc,
              config.checksum(),
              config.checkOnGet());
      return new DirectButler(
          dir, registry, datastore, sc, Objects.requireNonNull(options, "options"));
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
  }

  /** Adds the password from the environment to a PostgreSQL URL, never to a file. */
  static String withPassword(String url) {
    String password = System.getenv(PASSWORD_ENV);
    if (password == null || !url.startsWith("jdbc:postgresql:") || url.contains("password=")) {
      return url;
    }
    return url
        + (url.contains("?") ? "&" : "?")
        + "password="
        + java.net.URLEncoder.encode(password, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The repository directory. */
  @Override
  public Path root() {
    return root;
  }

  /** The registry. */
  @Override
  public Registry registry() {
    return registry;
  }

  /** The datastore. */
  @Override
  public Progress progress() {
    return progress;
  }

  /**
   * Where long operations (ingest, import, export, transfer, verify) report progress; the CLI
   * installs a terminal bar.
   */
  @Override
  public void setProgress(Progress progress) {
    this.progress = progress == null ? Progress.NONE : progress;
    datastore.setProgress(this.progress);
  }

  /** The datastore. */
  @Override
  public Datastore datastore() {
    return datastore;
  }

  /** The options this butler was opened with. */
  @Override
  public Options options() {
    return options;
  }

  private Map<String, Object> withDefaults(Map<String, ?> dataId) {
    Map<String, Object> m = new LinkedHashMap<>(options.dataId());
    m.putAll(dataId);
    return m;
  }

  /**
   * Stores an object as a new dataset in the default run (registered if new): expands the data ID,
   * inserts the dataset and writes its artifact in one transaction.
   */
  @Override
  public DatasetRef put(Object object, String datasetType, Map<String, ?> dataId) {
    if (options.run() == null) {
      throw new InvalidConfigException("put needs a run: open the butler with a default run.");
    }
    return put(object, datasetType, dataId, options.run());
  }

  /** Stores an object as a new dataset in a run. */
  @Override
  public DatasetRef put(Object object, String datasetType, Map<String, ?> dataId, String run) {
    DatasetType type = registry.datasetType(datasetType);
    DataCoordinate expanded = registry.expandDataId(withDefaults(dataId), type.dimensions());
    registry.registerCollection(run, CollectionType.RUN, null);
    return registry.transaction(
        () -> {
          DatasetRef ref =
              registry
                  .insertDatasets(
                      datasetType, List.of(expanded), run, DatasetIdGenerationMode.UNIQUE)
                  .get(0);
          datastore.put(object, ref);
          return ref;
        });
  }

  /**
   * Stores an object as a dataset whose ID, run and data ID are already decided (a quantum's
   * predicted output): registers it with that ID and writes its artifact, in one transaction.
   *
   * @throws org.jbutler.schema.exceptions.ConflictingDefinitionException if the dataset already has
   *     an artifact or the ID names another dataset
   */
  @Override
  public DatasetRef put(Object object, DatasetRef ref) {
    DataCoordinate expanded =
        ref.dataId().hasRecords()
            ? ref.dataId()
            : registry.expandDataId(ref.dataId().required(), ref.datasetType().dimensions());
    DatasetRef full = new DatasetRef(ref.datasetType(), expanded, ref.run(), ref.id());
    registry.registerCollection(ref.run(), CollectionType.RUN, null);
    return registry.transaction(
        () -> {
          registry.importDatasets(List.of(full));
          datastore.put(object, full);
          return full;
        });
  }

  @Override
  public Datastore.Written stage(Object object, DatasetRef ref) {
    return datastore.write(object, ref, true);
  }

  @Override
  public void purge(List<DatasetRef> refs) {
    pruneDatasets(refs, List.of(), true, true);
  }

  /**
   * Registers datasets whose artifacts were written with {@code datastore().write}, and records
   * those artifacts, in one transaction: all or none (an executor's outputs of one quantum). Their
   * runs are registered if new.
   */
  @Override
  public void registerWritten(List<Datastore.Written> written) {
    if (written.isEmpty()) {
      return;
    }
    java.util.Set<String> runs = new java.util.LinkedHashSet<>();
    written.forEach(w -> runs.add(w.ref().run()));
    for (String run : runs) {
      registry.registerCollection(run, CollectionType.RUN, null);
    }
    registry.transaction(
        () -> {
          registry.importDatasets(written.stream().map(Datastore.Written::ref).toList());
          datastore.record(written);
          return null;
        });
  }

  /**
   * Finds a dataset by type and data ID in collections (the defaults if empty). Calibration
   * collections are searched at the time of the data ID's exposure or visit, when it has one.
   */
  @Override
  public Optional<DatasetRef> findDataset(
      String datasetType, Map<String, ?> dataId, List<String> collections) {
    String parentName =
        datasetType.contains(".")
            ? datasetType.substring(0, datasetType.indexOf('.'))
            : datasetType;
    DatasetType parent = registry.datasetType(parentName);
    List<String> search =
        collections == null || collections.isEmpty() ? options.collections() : collections;
    if (search.isEmpty()) {
      throw new InvalidConfigException(
          "No collections to search: pass some, or open the butler with default collections.");
    }
    Map<String, Object> given = withDefaults(dataId);
    DimensionGroup wanted = registry.universe().group(given.keySet()).union(parent.dimensions());
    DataCoordinate full = registry.expandDataId(given, wanted);
    Timespan when = null;
    for (DimensionRecord r : full.records().values()) {
      DimensionElement e = r.element();
      if (e.isTemporal()
          && e.isDimension()
          && r.timespan().isPresent()
          && !e.name().equals("day_obs")) {
        when = r.timespan().get();
      }
    }
    Optional<DatasetRef> found =
        registry.findDataset(parentName, full.subset(parent.dimensions()), search, when);
    if (found.isEmpty() || !datasetType.contains(".")) {
      return found;
    }
    String component = datasetType.substring(datasetType.indexOf('.') + 1);
    DatasetRef p = found.get();
    String componentClass =
        storageClasses
            .storageClass(parent.storageClass())
            .componentStorageClass(component)
            .orElseThrow(
                () ->
                    new InvalidConfigException(
                        "Storage class "
                            + parent.storageClass()
                            + " has no component '"
                            + component
                            + "'."));
    return Optional.of(
        new DatasetRef(
            parent.makeComponent(component, componentClass), p.dataId(), p.run(), p.id()));
  }

  /**
   * Reads a dataset (or a component: {@code calexp.image}) by type and data ID from the default
   * collections.
   *
   * @throws DatasetNotFoundException naming the type, data ID and collections searched
   */
  @Override
  public Object get(String datasetType, Map<String, ?> dataId, Map<String, Object> parameters) {
    DatasetRef ref =
        findDataset(datasetType, dataId, List.of())
            .orElseThrow(
                () ->
                    new DatasetNotFoundException(
                        "No '"
                            + datasetType
                            + "' dataset for "
                            + withDefaults(dataId)
                            + " in collections "
                            + options.collections()
                            + "."));
    return get(ref, parameters);
  }

  /**
   * Runs work in one transaction: every put, ingest and removal inside commits together, or on an
   * exception none does (rows rolled back, files written inside removed). Nests as savepoints.
   */
  @Override
  public <T> T transaction(java.util.function.Supplier<T> work) {
    return registry.transaction(work);
  }

  /** {@link #transaction(java.util.function.Supplier)} for work without a result. */
  @Override
  public void transaction(Runnable work) {
    registry.transaction(
        () -> {
          work.run();
          return null;
        });
  }

  /** Reads a dataset by ref. */
  @Override
  public Object get(DatasetRef ref, Map<String, Object> parameters) {
    return datastore.get(ref, parameters == null ? Map.of() : parameters);
  }

  /**
   * Reads a dataset as another storage class where a conversion is defined (daf_butler's {@code
   * storageClass} argument): a class it inherits from or that inherits from it, one with the same
   * Java type, or one that lists its Java type as a converter; images change pixel type ({@code
   * raw} as {@code ImageF}).
   *
   * @throws InvalidConfigException if the storage class is unknown or no conversion is defined
   */
  @Override
  public Object get(DatasetRef ref, Map<String, Object> parameters, String storageClass) {
    Object object = get(ref, parameters);
    String stored = ref.datasetType().storageClass();
    if (storageClass == null || storageClass.equals(stored)) {
      return object;
    }
    if (!storageClasses.contains(storageClass)) {
      throw new InvalidConfigException("Unknown storage class '" + storageClass + "'.");
    }
    var target = storageClasses.storageClass(storageClass);
    if (!storageClasses.storageClass(stored).canConvertTo(target, storageClasses)) {
      throw new InvalidConfigException(
          "A "
              + stored
              + " dataset ("
              + ref.datasetType().name()
              + ") cannot be read as "
              + storageClass
              + ": no conversion is defined between them.");
    }
    Class<?> type;
    try {
      type = Class.forName(target.javaType());
    } catch (ClassNotFoundException e) {
      return object; // a type only another runtime knows: nothing to convert to
    }
    if (type.isInstance(object)) {
      return object;
    }
    if (object instanceof org.jbutler.datastore.Image image
        && org.jbutler.datastore.Image.class.isAssignableFrom(type)) {
      return image.as(type.asSubclass(org.jbutler.datastore.Image.class));
    }
    throw new InvalidConfigException(
        "Cannot convert a " + object.getClass().getSimpleName() + " to " + storageClass + ".");
  }

  /**
   * Checks a dataset's existence.
   *
   * @param full also read the artifact's size and checksum (else {@code verified} is false)
   */
  @Override
  public DatasetExistence existence(DatasetRef ref, boolean full) {
    boolean recorded = registry.findDataset(ref.id()).isPresent();
    boolean stored = datastore.exists(ref);
    return new DatasetExistence(recorded, stored, full && stored && datastore.verify(ref));
  }

  /** The file of a dataset's artifact. */
  @Override
  public Path uri(DatasetRef ref) {
    return datastore.path(ref);
  }

  /** Whether a dataset is registered and its artifact exists. */
  @Override
  public boolean exists(DatasetRef ref) {
    return registry.findDataset(ref.id()).isPresent() && datastore.exists(ref);
  }

  /**
   * Ingests existing files as new datasets of one type in a run, all or nothing.
   *
   * @param dataIds one data ID per file
   */
  @Override
  public List<DatasetRef> ingest(
      String datasetType,
      List<Map<String, ?>> dataIds,
      List<Path> files,
      String run,
      Datastore.Transfer transfer,
      DatasetIdGenerationMode mode) {
    return ingest(datasetType, dataIds, files, null, run, transfer, mode);
  }

  /**
   * Ingests files as {@link #ingest(String, List, List, String, Datastore.Transfer,
   * DatasetIdGenerationMode)} does, with a formatter name per dataset; a file may be given for
   * several datasets (one multi-extension raw, several detectors) and is transferred once.
   *
   * @param formatterNames null, or one formatter name (null for the configured one) per file
   */
  @Override
  public List<DatasetRef> ingest(
      String datasetType,
      List<Map<String, ?>> dataIds,
      List<Path> files,
      List<String> formatterNames,
      String run,
      Datastore.Transfer transfer,
      DatasetIdGenerationMode mode) {
    DatasetType type = registry.datasetType(datasetType);
    List<Map<String, ?>> given = new ArrayList<>();
    for (Map<String, ?> d : dataIds) {
      given.add(withDefaults(d));
    }
    List<DataCoordinate> expanded = registry.expandDataIds(given, type.dimensions());
    return registry.transaction(
        () -> {
          // Inside the transaction: a failed ingest leaves no empty RUN behind.
          registry.registerCollection(run, CollectionType.RUN, null);
          List<DatasetRef> refs = registry.insertDatasets(datasetType, expanded, run, mode);
          datastore.ingest(refs, files, formatterNames, transfer);
          return refs;
        });
  }

  /**
   * Removes RUN collections with their datasets: artifacts go to the trash and the registry rows in
   * one transaction, then the trash is emptied.
   *
   * @param unlinkFromChains remove them from chains that hold them (else that is an error)
   * @return how many datasets were removed
   */
  @Override
  public int removeRuns(List<String> runs, boolean unlinkFromChains) {
    int[] count = {0};
    registry.transaction(
        () -> {
          for (String run : runs) {
            if (registry.collectionType(run) != CollectionType.RUN) {
              throw new org.jbutler.schema.exceptions.CollectionTypeException(
                  "'"
                      + run
                      + "' is "
                      + registry.collectionType(run)
                      + ", not a RUN; use remove-collections.");
            }
            List<DatasetRef> refs = datasetsIn(run);
            datastore.trash(refs);
            registry.removeCollection(run, unlinkFromChains);
            count[0] += refs.size();
          }
        });
    datastore.emptyTrash();
    return count[0];
  }

  private List<DatasetRef> datasetsIn(String collection) {
    List<DatasetRef> refs = new ArrayList<>();
    for (DatasetType t : registry.datasetTypes()) {
      refs.addAll(
          registry
              .queryDatasets(t.name(), List.of(collection), org.jbutler.registry.DataQuery.all())
              .toList());
    }
    return refs;
  }

  /**
   * Prunes datasets, as daf_butler's {@code pruneDatasets}.
   *
   * @param disassociateFrom TAGGED collections to remove them from
   * @param unstore delete their artifacts (keep the registry entries)
   * @param purge remove them from the registry entirely (implies unstore)
   */
  @Override
  public void pruneDatasets(
      List<DatasetRef> refs, List<String> disassociateFrom, boolean unstore, boolean purge) {
    registry.transaction(
        () -> {
          for (String tagged : disassociateFrom) {
            registry.disassociate(tagged, refs);
          }
          if (unstore || purge) {
            datastore.trash(refs);
          }
          if (purge) {
            registry.removeDatasets(refs);
          }
        });
    if (unstore || purge) {
      datastore.emptyTrash();
    }
  }

  /**
   * Copies datasets' artifacts to a directory.
   *
   * @param preservePath keep the datastore's relative layout (else flat file names)
   * @param clobber overwrite existing files (else that is an error)
   * @return the files written
   */
  @Override
  public List<Path> retrieveArtifacts(
      List<DatasetRef> refs, Path destination, boolean preservePath, boolean clobber) {
    List<Path> out = new ArrayList<>();
    try {
      Files.createDirectories(destination);
      for (DatasetRef ref : refs) {
        Path source = datastore.path(ref);
        Path relative =
            source.startsWith(datastore.root())
                ? datastore.root().relativize(source)
                : source.getFileName();
        Path target =
            destination.resolve(preservePath ? relative : relative.getFileName()).normalize();
        if (!target.startsWith(destination.toAbsolutePath().normalize())
            && !target.startsWith(destination)) {
          throw new InvalidConfigException(
              "Refusing to write outside " + destination + ": " + target);
        }
        if (Files.exists(target) && !clobber) {
          throw new ConflictingDefinitionException(
              target + " already exists; pass clobber to overwrite it.");
        }
        Files.createDirectories(target.getParent());
        Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        out.add(target);
      }
    } catch (IOException e) {
      throw new InvalidConfigException(
          "Cannot retrieve artifacts into " + destination + ": " + e.getMessage(), e);
    }
    return out;
  }

  /** The repository's config as written in {@code butler.yaml}. */
  @Override
  public String configText() {
    try {
      return Files.readString(root.resolve(CONFIG_FILE));
    } catch (IOException e) {
      throw new InvalidConfigException("Cannot read " + root.resolve(CONFIG_FILE) + ": " + e, e);
    }
  }

  /**
   * Checks the repository's configuration against what it holds: every dataset type's storage class
   * is known and has a formatter and a file template that can format its paths.
   *
   * @return one message per problem (empty when all is well)
   */
  @Override
  public List<String> validateConfig() {
    List<String> problems = new ArrayList<>();
    for (DatasetType t : registry.datasetTypes()) {
      if (!storageClasses.contains(t.storageClass())) {
        problems.add(
            "Dataset type '" + t.name() + "': unknown storage class " + t.storageClass() + ".");
        continue;
      }
      try {
        DataCoordinate example = exampleDataId(t);
        DatasetRef ref = new DatasetRef(t, example, "validate/run", java.util.UUID.randomUUID());
        datastore.pathFor(ref);
      } catch (RuntimeException e) {
        problems.add("Dataset type '" + t.name() + "': " + e.getMessage());
      }
    }
    return problems;
  }

  /** A data ID with placeholder values, to try templates without real records. */
  private DataCoordinate exampleDataId(DatasetType t) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (String d : t.dimensions().required()) {
      DimensionElement e = registry.universe().element(d);
      values.put(
          d,
          e.primaryKey().type() == org.jbutler.schema.dimensions.ColumnType.INT
              ? (Object) 1L
              : "x");
    }
    return DataCoordinate.standardize(values, t.dimensions());
  }

  /**
   * Copies datasets from another butler into this one: their dataset types (if asked), the
   * dimension records their data IDs need (if asked), their registry entries with the same IDs, and
   * their files (copied, or linked by the transfer mode). All or nothing.
   *
   * @return the datasets transferred
   */
  @Override
  public List<DatasetRef> transferFrom(
      Butler source,
      List<DatasetRef> refs,
      Datastore.Transfer transfer,
      boolean registerDatasetTypes,
      boolean transferDimensions) {
    return registry.transaction(
        () -> {
          if (registerDatasetTypes) {
            refs.stream()
                .map(DatasetRef::datasetType)
                .distinct()
                .forEach(registry::registerDatasetType);
          }
          if (transferDimensions) {
            Map<String, List<DimensionRecord>> byElement = new LinkedHashMap<>();
            for (DataCoordinate d :
                source.registry().expandDataIds(refs.stream().map(DatasetRef::dataId).toList())) {
              for (DimensionRecord rec : d.records().values()) {
                byElement.computeIfAbsent(rec.element().name(), k -> new ArrayList<>()).add(rec);
              }
            }
            for (DimensionElement e : registry.universe().elements()) {
              List<DimensionRecord> recs = byElement.get(e.name());
              if (recs != null && e.hasOwnTable()) {
                registry.insertDimensionRecords(e.name(), recs.stream().distinct().toList(), true);
              }
            }
          }
          List<DatasetRef> mine = new ArrayList<>();
          List<java.nio.file.Path> files = new ArrayList<>();
          List<String> formatterNames = new ArrayList<>();
          for (DatasetRef ref : refs) { // the datastore's ingest reports progress
            registry.registerCollection(ref.run(), CollectionType.RUN, null);
            DataCoordinate d =
                registry.expandDataId(ref.dataId().required(), ref.datasetType().dimensions());
            mine.add(new DatasetRef(ref.datasetType(), d, ref.run(), ref.id()));
            files.add(source.datastore().path(ref));
            formatterNames.add(source.datastore().formatterName(ref));
          }
          registry.importDatasets(mine);
          datastore.ingest(
              mine,
              files,
              formatterNames,
              transfer == Datastore.Transfer.AUTO ? Datastore.Transfer.COPY : transfer);
          return mine;
        });
  }

  @Override
  public RawIngestReport ingestRaws(
      Instrument instrument,
      List<Path> inputs,
      String run,
      Datastore.Transfer transfer,
      int threads,
      boolean failFast) {
    return new RawIngester(this, registry, progress)
        .ingest(instrument, inputs, run, transfer, threads, failFast);
  }

  @Override
  public int defineVisits(String instrument, String where) {
    return VisitDefiner.define(this, instrument, null, where);
  }

  @Override
  public int defineVisits(Instrument instrument, String where) {
    return VisitDefiner.define(this, instrument.name(), instrument, where);
  }

  @Override
  public void close() {
    registry.close();
  }
}
