package org.jbutler.datastore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatastoreRecords;
import org.jbutler.schema.Progress;
import org.jbutler.schema.StorageClass;
import org.jbutler.schema.StorageClassFactory;
import org.jbutler.schema.StoredFileInfo;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.jbutler.schema.exceptions.DatasetNotFoundException;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Datasets as files under a root directory, laid out by {@link FileTemplates}, written and read by
 * {@link Formatters}, with their records kept by the registry ({@link DatastoreRecords}) in the
 * same transaction as the dataset rows.
 *
 * <p>{@link #put} never leaves a half-written state: it writes a temporary file beside the target,
 * forces it to disk, records it in the caller's transaction, renames it into place, and arranges
 * for the file to be deleted if that transaction rolls back. A crash can leave at most a stray
 * temporary or unreferenced file, which {@link #verify()} reports.
 */
public final class FileDatastore implements Datastore {

  static final Logger LOG = LoggerFactory.getLogger(FileDatastore.class);
  static final String TEMP_PREFIX = ".jbutler-tmp-";

  final Path root;
  final DatastoreRecords records;
  final FileTemplates templates;
  final Formatters formatters;
  private final StorageClassFactory storageClasses;
  private final String checksum;
  final boolean checkOnGet;
  volatile Progress progress = Progress.NONE;

  private static final ThreadLocal<java.nio.ByteBuffer> CRC_BUFFER =
      ThreadLocal.withInitial(() -> java.nio.ByteBuffer.allocateDirect(1 << 18));

  /** The checksum recorded by default: CRC-32C, which the processor computes at memory speed. */
  public static final String DEFAULT_CHECKSUM = "CRC32C";

  /**
   * Makes a datastore.
   *
   * @param root the directory holding the artifacts (created if missing)
   * @param checksum a {@link MessageDigest} algorithm (e.g. {@code SHA-256}) or {@code CRC32C},
   *     recorded at put and checked at get, or null for none (daf_butler's default)
   */
  public FileDatastore(
      Path root,
      DatastoreRecords records,
      FileTemplates templates,
      Formatters formatters,
      StorageClassFactory storageClasses,
      String checksum) {
    this(root, records, templates, formatters, storageClasses, checksum, checksum != null);
  }

  /**
   * Makes a datastore.
   *
   * @param checksum the algorithm recorded for files written by {@link #put} and {@link #write}
   *     ({@code CRC32C} or a {@link MessageDigest} name), or null for none
   * @param checkOnGet also check it at every get (else {@link #verify(boolean)} with checksums)
   */
  public FileDatastore(
      Path root,
      DatastoreRecords records,
      FileTemplates templates,
      Formatters formatters,
      StorageClassFactory storageClasses,
      String checksum,
      boolean checkOnGet) {
    this.root = root.toAbsolutePath().normalize();
    this.records = records;
    this.templates = templates;
    this.formatters = formatters;
    this.storageClasses = storageClasses;
    this.checksum = checksum;
    this.checkOnGet = checkOnGet && checksum != null;
    if (checksum != null && !checksum.equalsIgnoreCase(DEFAULT_CHECKSUM)) {
      try {
        MessageDigest.getInstance(checksum);
      } catch (NoSuchAlgorithmException e) {
        throw new InvalidConfigException("Unknown checksum algorithm '" + checksum + "'.", e);
      }
    }
    try {
      Files.createDirectories(this.root);
    } catch (IOException e) {
      throw org.jbutler.schema.exceptions.IoFailureException.of(
          "Cannot create the datastore root " + root, e);
    }
  }

  /** The root directory. */
  @Override
  public Path root() {
    return root;
  }

  StorageClass storageClass(DatasetRef ref) {
    return storageClasses.storageClass(ref.datasetType().storageClass());
  }

  /** The path (relative to the root) a dataset gets, with the formatter's extension. */
  @Override
  public String pathFor(DatasetRef ref) {
    StorageClass sc = storageClass(ref);
    Formatter f = formatters.lookup(ref.datasetType(), sc);
    return templates.lookup(ref, sc).format(ref) + f.extension();
  }

  Path inside(String relative) {
    Path p = root.resolve(relative).normalize();
    if (!p.startsWith(root) || p.equals(root)) {
      throw new InvalidConfigException(
          "The path '" + relative + "' would leave the datastore root " + root + "; refused.");
    }
    return p;
  }

  // ------------------------------------------------------------------ put and get

  /**
   * Writes a dataset's artifact and records it, in the caller's registry transaction (or one of its
   * own). The dataset must already be registered.
   *
   * @throws ConflictingDefinitionException if a file already exists at the target path
   * @throws ArtifactException if the formatter cannot write the object
   */
  @Override
  public void put(Object object, DatasetRef ref) {
    records.transaction(
        () -> {
          record(List.of(write(object, ref, false)));
          return null;
        });
  }

  /**
   * Writes a dataset's artifact to its templated path (through a temporary file and a rename)
   * without recording it: an executor writes a quantum's outputs, then records them all in one
   * short transaction with {@link #record}.
   *
   * @param replaceUnrecorded replace a file already at the path when no record refers to this
   *     dataset (left by a run killed between writing and recording); otherwise that is a conflict
   * @throws ConflictingDefinitionException if a file is already at the path (and may not be
   *     replaced)
   * @throws ArtifactException if the formatter cannot write the object
   */
  @Override
  public Written write(Object object, DatasetRef ref, boolean replaceUnrecorded) {
    StorageClass sc = storageClass(ref);
    Formatter f = formatters.lookup(ref.datasetType(), sc);
    String relative = templates.lookup(ref, sc).format(ref) + f.extension();
    Path target = inside(relative);
    Path tmp = null;
    try {
      if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
        if (replaceUnrecorded && records.records(ref.id()).isEmpty()) {
          LOG.warn(
              "Replacing {}: a file no record refers to (left by an interrupted run).", target);
        } else {
          throw new ConflictingDefinitionException(
              "Cannot write "
                  + ref
                  + ": "
                  + target
                  + " already exists (another dataset with the same path, or a file left by"
                  + " a crash; `butler verify` lists unreferenced files).");
        }
      }
      makeDirectories(target.getParent());
      tmp =
          target.resolveSibling(
              TEMP_PREFIX
                  + Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong())
                  + f.extension());
      f.write(object, tmp);
      long size = force(tmp);
      StoredFileInfo info =
          new StoredFileInfo(ref.id(), "", relative, f.name(), sc.name(), checksumOf(tmp), size);
      moveIntoPlace(tmp, target);
      tmp = null;
      return new Written(ref, info, target);
    } catch (IOException e) {
      throw new ArtifactException("Cannot write " + target + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        deleteQuietly(tmp);
      }
    }
  }

  /**
   * Deletes the temporary files a killed writer left under a run's directory ({@code ROOT/RUN/...},
   * where the default file template puts a run's files). Call it only when nothing else is writing
   * into that run (an executor starting on it).
   *
   * @return how many files were deleted
   */
  @Override
  public int removeLeftovers(String run) {
    Path dir = inside(run);
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    int[] n = {0};
    try (Stream<Path> files = Files.walk(dir)) {
      files
          .filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX))
          .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
          .forEach(
              p -> {
                deleteQuietly(p);
                n[0]++;
              });
    } catch (IOException e) {
      throw new ArtifactException("Cannot list " + dir + ": " + e.getMessage(), e);
    }
    if (n[0] > 0) {
      LOG.warn("Removed {} temporary file(s) left under {} by an interrupted run.", n[0], dir);
    }
    return n[0];
  }

  /**
   * Records written artifacts, in the caller's registry transaction (or one of its own); if that
   * transaction rolls back, the files are deleted.
   */
  @Override
  public void record(List<Written> written) {
    records.transaction(
        () -> {
          for (Written w : written) {
            records.onRollback(() -> deleteQuietly(w.file()));
          }
          records.insertRecords(written.stream().map(Written::info).toList());
          return null;
        });
  }

  /** Forces a file's bytes to disk and returns its size. */
  private static long force(Path file) throws IOException {
    try (FileChannel c = FileChannel.open(file, StandardOpenOption.WRITE)) {
      c.force(true);
      return c.size();
    }
  }

  /** Creates a directory (and parents) unless it exists: one stat in the common case. */
  private static void makeDirectories(Path d) throws IOException {
    if (!Files.isDirectory(d)) {
      Files.createDirectories(d);
    }
  }

  static void moveIntoPlace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target);
    }
  }

  static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.warn("Could not delete {}: {}", p, e.toString());
    }
  }

  String checksumOf(Path file) throws IOException {
    return checksum == null ? null : checksumOf(file, checksum);
  }

  /** {@code algorithm:hex} of a file's bytes. */
  private static String checksumOf(Path file, String algorithm) throws IOException {
    String checksum = algorithm;
    if (checksum.equalsIgnoreCase(DEFAULT_CHECKSUM)) {
      java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
      try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ)) {
        java.nio.ByteBuffer buf = CRC_BUFFER.get(); // no allocation per file: small puts are many
        buf.clear();
        while (c.read(buf) > 0) {
          buf.flip();
          crc.update(buf);
          buf.clear();
        }
      }
      return "crc32c:" + String.format(Locale.ROOT, "%08x", crc.getValue());
    }
    try {
      MessageDigest md = MessageDigest.getInstance(checksum);
      try (var in = Files.newInputStream(file)) {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) > 0) {
          md.update(buf, 0, n);
        }
      }
      return checksum.toLowerCase(Locale.ROOT) + ":" + HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The formatter name recorded for a dataset's artifact. */
  @Override
  public String formatterName(DatasetRef ref) {
    return record(ref).formatter();
  }

  private StoredFileInfo record(DatasetRef ref) {
    List<StoredFileInfo> rs = records.records(ref.id());
    String component = ref.datasetType().component().orElse("");
    for (StoredFileInfo r : rs) {
      if (r.component().equals(component)) {
        return r;
      }
    }
    for (StoredFileInfo r : rs) {
      if (r.component().isEmpty()) {
        return r;
      }
    }
    throw new DatasetNotFoundException(
        "Dataset " + ref + " has no artifact in the datastore (it was never stored, or removed).");
  }

  /**
   * The artifacts of many datasets, read in batches.
   *
   * @throws DatasetNotFoundException naming the first dataset that has none
   */
  @Override
  public Map<java.util.UUID, Artifact> artifacts(List<DatasetRef> refs) {
    Map<java.util.UUID, List<StoredFileInfo>> all =
        records.records(refs.stream().map(DatasetRef::id).toList());
    Map<java.util.UUID, Artifact> out = new LinkedHashMap<>();
    for (DatasetRef ref : refs) {
      List<StoredFileInfo> r = all.get(ref.id());
      if (r == null || r.isEmpty()) {
        throw new DatasetNotFoundException("No artifact is recorded for " + ref + ".");
      }
      out.put(ref.id(), new Artifact(r.get(0), resolve(r.get(0))));
    }
    return out;
  }

  /** The file of a dataset's artifact. */
  @Override
  public Path path(DatasetRef ref) {
    return resolve(record(ref));
  }

  /**
   * Where a dataset's artifact is, or, when it has none yet, where {@link #put} would write it.
   *
   * @throws InvalidConfigException if the file template needs record fields the data ID lacks
   */
  @Override
  public Path predictPath(DatasetRef ref) {
    if (!records.records(ref.id()).isEmpty()) {
      return resolve(record(ref));
    }
    StorageClass sc = storageClass(ref);
    Formatter f = formatters.lookup(ref.datasetType(), sc);
    return inside(templates.lookup(ref, sc).format(ref) + f.extension());
  }

  Path resolve(StoredFileInfo r) {
    Path p = Path.of(r.path());
    return p.isAbsolute() ? p : inside(r.path());
  }

  /**
   * Reads a dataset (or the component its type names), checking its size, and its checksum when one
   * was recorded.
   *
   * @param parameters read parameters ({@code bbox}, {@code columns})
   * @throws DatasetNotFoundException if the artifact is not recorded or its file is gone
   * @throws ArtifactException if the file's size or checksum differ from the record
   */
  @Override
  public Object get(DatasetRef ref, Map<String, Object> parameters) {
    StoredFileInfo r = record(ref);
    Path file = resolve(r);
    try {
      if (!Files.exists(file)) {
        throw new DatasetNotFoundException(
            "The artifact of " + ref + " is missing: " + file + " (run `butler verify`).");
      }
      String damage = damage(r, file, checkOnGet);
      if (damage != null) {
        throw ArtifactException.damaged(
            "The artifact of "
                + ref
                + " at "
                + file
                + " differs from its record ("
                + damage
                + "); it was changed or damaged.",
            null);
      }
    } catch (IOException e) {
      throw new ArtifactException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    String component = ref.datasetType().component().orElse(null);
    if (component != null && r.component().equals(component)) {
      component = null; // stored separately: the file is the component
    }
    StorageClass sc = storageClasses.storageClass(ref.datasetType().storageClass());
    return Formatters.byName(r.formatter()).read(file, javaType(sc), component, parameters);
  }

  private static Class<?> javaType(StorageClass sc) {
    String name = sc.javaType();
    if (name.equals("byte[]")) {
      return byte[].class;
    }
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      return Object.class;
    }
  }

  /** Whether a dataset has a recorded artifact whose file exists. */
  @Override
  public boolean exists(DatasetRef ref) {
    try {
      return Files.exists(getPath(ref));
    } catch (DatasetNotFoundException e) {
      return false;
    }
  }

  /** How an existing artifact differs from its record (size, then checksum), or null. */
  static String damage(StoredFileInfo r, Path file, boolean checksums) throws IOException {
    long size = Files.size(file);
    if (r.fileSize() >= 0 && size != r.fileSize()) {
      return "size " + size + ", recorded " + r.fileSize();
    }
    if (checksums && r.checksum() != null) {
      String algorithm = r.checksum().substring(0, r.checksum().indexOf(':'));
      if (!checksumOf(file, algorithm.toUpperCase(Locale.ROOT)).equalsIgnoreCase(r.checksum())) {
        return "checksum differs";
      }
    }
    return null;
  }

  /** Whether a dataset's artifact is present with its recorded size and checksum. */
  @Override
  public boolean verify(DatasetRef ref) {
    try {
      StoredFileInfo r = record(ref);
      Path file = resolve(r);
      return Files.exists(file) && damage(r, file, true) == null;
    } catch (DatasetNotFoundException | IOException e) {
      return false;
    }
  }

  // ------------------------------------------------------------------ ingest

  /**
   * Ingests existing files as the artifacts of registered datasets, in the caller's transaction. On
   * failure, nothing is recorded and no file is left behind (a moved file goes back).
   *
   * @param files one file per ref, in the same order
   */
  @Override
  public void ingest(List<DatasetRef> refs, List<Path> files, Transfer transfer) {
    ingest(refs, files, null, transfer);
  }

  /**
   * Ingests files as {@link #ingest(List, List, Transfer)} does, where a file may appear for
   * several refs (a multi-extension raw holding several detectors): it is transferred once and
   * every ref records the same path, each with its own formatter name.
   *
   * @param formatterNames one recorded formatter name per ref (null, or a null entry: the one
   *     configured for the dataset type)
   */
  @Override
  public void ingest(
      List<DatasetRef> refs, List<Path> files, List<String> formatterNames, Transfer transfer) {
    new FileIngest(this).ingest(refs, files, formatterNames, transfer);
  }

  /** Where long operations ({@code ingest}, {@code verify}) report progress. */
  @Override
  public void setProgress(Progress progress) {
    this.progress = progress == null ? Progress.NONE : progress;
  }

  // ------------------------------------------------------------------ trash and verify

  /** Moves datasets' records to the trash, in the caller's transaction; files stay for now. */
  @Override
  public void trash(List<DatasetRef> refs) {
    records.trashRecords(refs.stream().map(DatasetRef::id).toList());
  }

  /**
   * Deletes the files of trashed records that no remaining record references, in chunks, and
   * returns how many files were deleted. Files outside the root ({@code direct} ingests) are never
   * deleted.
   */
  @Override
  public int emptyTrash() {
    int deleted = 0;
    while (true) {
      List<String> paths = records.emptyTrash(10_000);
      if (paths.isEmpty()) {
        return deleted;
      }
      for (String p : paths) {
        Path file = Path.of(p);
        if (file.isAbsolute()) {
          continue;
        }
        Path inRoot = inside(p);
        try {
          if (Files.deleteIfExists(inRoot)) {
            deleted++;
          }
        } catch (IOException e) {
          LOG.warn("Could not delete trashed artifact {}: {}", inRoot, e.toString());
        }
      }
    }
  }

  /**
   * Checks every record against its file (missing; wrong size; wrong checksum when the datastore
   * checks them at every get) and lists files under the root that no record references (including
   * temporary files a crash left behind).
   */
  @Override
  public VerifyReport verify() {
    return verify(checkOnGet);
  }

  /**
   * As {@link #verify()}, reading every file to compare its checksum with the recorded one when
   * {@code checksums} is true (same-size damage is found only that way).
   */
  @Override
  public VerifyReport verify(boolean checksums) {
    return DatastoreVerifier.verify(this, checksums);
  }
}
