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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jbutler.schema.ButlerException;
import org.jbutler.schema.ConflictingDefinitionException;
import org.jbutler.schema.DatasetNotFoundException;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatastoreRecords;
import org.jbutler.schema.InvalidConfigException;
import org.jbutler.schema.Progress;
import org.jbutler.schema.StorageClass;
import org.jbutler.schema.StorageClassFactory;
import org.jbutler.schema.StoredFileInfo;
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
public final class FileDatastore {

  private static final Logger LOG = LoggerFactory.getLogger(FileDatastore.class);
  private static final String TEMP_PREFIX = ".jbutler-tmp-";

  private final Path root;
  private final DatastoreRecords records;
  private final FileTemplates templates;
  private final Formatters formatters;
  private final StorageClassFactory storageClasses;
  private final String checksum;
  private volatile Progress progress = Progress.NONE;

  /**
   * Makes a datastore.
   *
   * @param root the directory holding the artifacts (created if missing)
   * @param checksum a {@link MessageDigest} algorithm (e.g. {@code SHA-256}) recorded at put and
   *     checked at get, or null for none (daf_butler's default)
   */
  public FileDatastore(
      Path root,
      DatastoreRecords records,
      FileTemplates templates,
      Formatters formatters,
      StorageClassFactory storageClasses,
      String checksum) {
    this.root = root.toAbsolutePath().normalize();
    this.records = records;
    this.templates = templates;
    this.formatters = formatters;
    this.storageClasses = storageClasses;
    this.checksum = checksum;
    if (checksum != null) {
      try {
        MessageDigest.getInstance(checksum);
      } catch (NoSuchAlgorithmException e) {
        throw new InvalidConfigException("Unknown checksum algorithm '" + checksum + "'.", e);
      }
    }
    try {
      Files.createDirectories(this.root);
    } catch (IOException e) {
      throw new InvalidConfigException("Cannot create the datastore root " + root + ": " + e, e);
    }
  }

  /** The root directory. */
  public Path root() {
    return root;
  }

  private StorageClass storageClass(DatasetRef ref) {
    return storageClasses.storageClass(ref.datasetType().storageClass());
  }

  /** The path (relative to the root) a dataset gets, with the formatter's extension. */
  public String pathFor(DatasetRef ref) {
    StorageClass sc = storageClass(ref);
    Formatter f = formatters.lookup(ref.datasetType(), sc);
    return templates.lookup(ref, sc).format(ref) + f.extension();
  }

  private Path inside(String relative) {
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
  public void put(Object object, DatasetRef ref) {
    StorageClass sc = storageClass(ref);
    Formatter f = formatters.lookup(ref.datasetType(), sc);
    String relative = templates.lookup(ref, sc).format(ref) + f.extension();
    Path target = inside(relative);
    records.transaction(
        () -> {
          Path tmp = null;
          try {
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
              throw new ConflictingDefinitionException(
                  "Cannot write "
                      + ref
                      + ": "
                      + target
                      + " already exists (another dataset with the same path, or a file left by"
                      + " a crash; `butler verify` lists unreferenced files).");
            }
            makeDirectories(target.getParent());
            tmp =
                target.resolveSibling(
                    TEMP_PREFIX
                        + Long.toHexString(
                            java.util.concurrent.ThreadLocalRandom.current().nextLong())
                        + f.extension());
            f.write(object, tmp);
            long size = force(tmp);
            records.insertRecords(
                List.of(
                    new StoredFileInfo(
                        ref.id(), "", relative, f.name(), sc.name(), checksumOf(tmp), size)));
            moveIntoPlace(tmp, target);
            tmp = null;
            records.onRollback(() -> deleteQuietly(target));
            return null;
          } catch (IOException e) {
            throw new ArtifactException("Cannot write " + target + ": " + e.getMessage(), e);
          } finally {
            if (tmp != null) {
              deleteQuietly(tmp);
            }
          }
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

  private static void moveIntoPlace(Path tmp, Path target) throws IOException {
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      LOG.warn("Could not delete {}: {}", p, e.toString());
    }
  }

  private String checksumOf(Path file) throws IOException {
    return checksum == null ? null : checksumOf(file, checksum);
  }

  /** {@code algorithm:hex} of a file's bytes. */
  private static String checksumOf(Path file, String algorithm) throws IOException {
    String checksum = algorithm;
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

  /** The file of a dataset's artifact. */
  public Path getPath(DatasetRef ref) {
    return resolve(record(ref));
  }

  private Path resolve(StoredFileInfo r) {
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
  public Object get(DatasetRef ref, Map<String, Object> parameters) {
    StoredFileInfo r = record(ref);
    Path file = resolve(r);
    try {
      if (!Files.exists(file)) {
        throw new DatasetNotFoundException(
            "The artifact of " + ref + " is missing: " + file + " (run `butler verify`).");
      }
      long size = Files.size(file);
      if (r.fileSize() >= 0 && size != r.fileSize()) {
        throw new ArtifactException(
            "The artifact of "
                + ref
                + " at "
                + file
                + " has "
                + size
                + " bytes, but "
                + r.fileSize()
                + " were recorded; it was changed or damaged.");
      }
      if (r.checksum() != null) {
        int colon = r.checksum().indexOf(':');
        String algorithm = r.checksum().substring(0, colon).toUpperCase(Locale.ROOT);
        String actual = checksumOf(file, algorithm);
        if (!actual.equalsIgnoreCase(r.checksum())) {
          throw new ArtifactException(
              "The artifact of "
                  + ref
                  + " at "
                  + file
                  + " fails its checksum; it was changed or damaged.");
        }
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
  public boolean exists(DatasetRef ref) {
    try {
      return Files.exists(getPath(ref));
    } catch (DatasetNotFoundException e) {
      return false;
    }
  }

  // ------------------------------------------------------------------ ingest

  /** How an existing file enters the datastore (daf_butler's transfer modes). */
  public enum Transfer {
    /** Inside the root: record it where it is; outside: copy. */
    AUTO,
    /** Copy into the root. */
    COPY,
    /** Move into the root. */
    MOVE,
    /** An absolute symbolic link in the root. */
    SYMLINK,
    /** A relative symbolic link in the root. */
    RELSYMLINK,
    /** A hard link in the root. */
    HARDLINK,
    /** A hard link if possible, else a symbolic link. */
    LINK,
    /** Record the file's absolute path; copy nothing. */
    DIRECT,
    /** The file is already inside the root: record it where it is. */
    NONE
  }

  /**
   * Ingests existing files as the artifacts of registered datasets, in the caller's transaction. On
   * failure, nothing is recorded and no file is left behind (a moved file goes back).
   *
   * @param files one file per ref, in the same order
   */
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
  public void ingest(
      List<DatasetRef> refs, List<Path> files, List<String> formatterNames, Transfer transfer) {
    if (refs.size() != files.size()
        || (formatterNames != null && formatterNames.size() != refs.size())) {
      throw new IllegalArgumentException("ingest needs one file and formatter per dataset");
    }
    records.transaction(
        () -> {
          Map<Path, StoredFileInfo> placed = new HashMap<>();
          List<StoredFileInfo> infos = new ArrayList<>();
          try (Progress.Bar bar = progress.start("Ingesting files", refs.size())) {
            for (int i = 0; i < refs.size(); i++) {
              String formatter = formatterNames == null ? null : formatterNames.get(i);
              Path source = files.get(i).toAbsolutePath().normalize();
              StoredFileInfo first = placed.get(source);
              StoredFileInfo info =
                  first != null
                      ? sameFile(refs.get(i), first, formatter)
                      : ingestOne(refs.get(i), source, formatter, transfer);
              placed.putIfAbsent(source, info);
              infos.add(info);
              bar.step();
            }
          }
          records.insertRecords(infos);
          return null;
        });
  }

  /** Where long operations ({@code ingest}, {@code verify}) report progress. */
  public void setProgress(Progress progress) {
    this.progress = progress == null ? Progress.NONE : progress;
  }

  private StoredFileInfo sameFile(DatasetRef ref, StoredFileInfo first, String formatterName) {
    StorageClass sc = storageClass(ref);
    String formatter =
        formatterName != null ? formatterName : formatters.lookup(ref.datasetType(), sc).name();
    return new StoredFileInfo(
        ref.id(), "", first.path(), formatter, sc.name(), first.checksum(), first.fileSize());
  }

  private StoredFileInfo ingestOne(
      DatasetRef ref, Path source, String formatterName, Transfer transfer) {
    if (!Files.isRegularFile(source)) {
      throw new DatasetNotFoundException("Cannot ingest " + source + ": no such file.");
    }
    StorageClass sc = storageClass(ref);
    Formatter f = formatters.lookup(ref.datasetType(), sc);
    boolean insideRoot = source.startsWith(root);
    Transfer mode = transfer;
    if (mode == Transfer.AUTO) {
      mode = insideRoot ? Transfer.NONE : Transfer.COPY;
    }
    if (mode == Transfer.NONE && !insideRoot) {
      throw new ArtifactException(
          "Cannot ingest " + source + " in place: it is outside the datastore root " + root + ".");
    }
    try {
      String recorded;
      Path stored;
      if (mode == Transfer.NONE) {
        recorded = root.relativize(source).toString();
        stored = source;
      } else if (mode == Transfer.DIRECT) {
        recorded = source.toString();
        stored = source;
      } else {
        String name = source.getFileName().toString();
        int dot = name.indexOf('.');
        String ext = dot > 0 ? name.substring(dot) : f.extension();
        recorded = templates.lookup(ref, sc).format(ref) + ext;
        stored = inside(recorded);
        if (Files.exists(stored, LinkOption.NOFOLLOW_LINKS)) {
          throw new ConflictingDefinitionException(
              "Cannot ingest " + source + " for " + ref + ": " + stored + " already exists.");
        }
        Files.createDirectories(stored.getParent());
        place(source, stored, mode);
      }
      long size = Files.size(stored);
      if (formatterName != null) {
        Formatters.byName(formatterName); // fails now for an unknown name, not at the first get
      }
      return new StoredFileInfo(
          ref.id(),
          "",
          recorded,
          formatterName != null ? formatterName : f.name(),
          sc.name(),
          checksumOf(stored),
          size);
    } catch (IOException e) {
      throw new ArtifactException(
          "Cannot ingest " + source + " (" + mode.name().toLowerCase(Locale.ROOT) + "): " + e, e);
    }
  }

  private void place(Path source, Path target, Transfer mode) throws IOException {
    switch (mode) {
      case COPY -> {
        Path tmp = Files.createTempFile(target.getParent(), TEMP_PREFIX, ".part");
        try {
          Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
          force(tmp);
          moveIntoPlace(tmp, target);
        } finally {
          deleteQuietly(tmp);
        }
        records.onRollback(() -> deleteQuietly(target));
      }
      case MOVE -> {
        Files.move(source, target);
        records.onRollback(
            () -> {
              try {
                Files.move(target, source);
              } catch (IOException e) {
                LOG.error("Could not move {} back to {} after a failed ingest", target, source, e);
              }
            });
      }
      case SYMLINK -> {
        Files.createSymbolicLink(target, source);
        records.onRollback(() -> deleteQuietly(target));
      }
      case RELSYMLINK -> {
        Files.createSymbolicLink(target, target.getParent().relativize(source));
        records.onRollback(() -> deleteQuietly(target));
      }
      case HARDLINK -> {
        Files.createLink(target, source);
        records.onRollback(() -> deleteQuietly(target));
      }
      case LINK -> {
        try {
          Files.createLink(target, source);
        } catch (IOException | UnsupportedOperationException e) {
          Files.createSymbolicLink(target, source);
        }
        records.onRollback(() -> deleteQuietly(target));
      }
      default -> throw new IllegalStateException(mode.toString());
    }
  }

  // ------------------------------------------------------------------ trash and verify

  /** Moves datasets' records to the trash, in the caller's transaction; files stay for now. */
  public void trash(List<DatasetRef> refs) {
    records.trashRecords(refs.stream().map(DatasetRef::id).toList());
  }

  /**
   * Deletes the files of trashed records that no remaining record references, in chunks, and
   * returns how many files were deleted. Files outside the root ({@code direct} ingests) are never
   * deleted.
   */
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

  /** What {@link #verify()} found. */
  public record VerifyReport(
      List<String> missing, List<String> damaged, List<String> unreferenced) {
    /** Whether nothing is wrong. */
    public boolean ok() {
      return missing.isEmpty() && damaged.isEmpty() && unreferenced.isEmpty();
    }
  }

  /**
   * Checks every record against its file (missing; wrong size or checksum) and lists files under
   * the root that no record references (including temporary files a crash left behind).
   */
  public VerifyReport verify() {
    List<String> missing = new ArrayList<>();
    List<String> damaged = new ArrayList<>();
    Set<Path> referenced = new LinkedHashSet<>();
    List<StoredFileInfo> all = records.allRecords();
    Progress.Bar bar = progress.start("Verifying artifacts", all.size());
    for (StoredFileInfo r : all) {
      bar.step();
      Path file = resolve(r);
      referenced.add(file);
      try {
        if (!Files.exists(file)) {
          missing.add(r.path() + " (dataset " + r.datasetId() + ")");
        } else if (r.fileSize() >= 0 && Files.size(file) != r.fileSize()) {
          damaged.add(r.path() + " (size " + Files.size(file) + ", recorded " + r.fileSize() + ")");
        } else if (r.checksum() != null) {
          String algorithm = r.checksum().substring(0, r.checksum().indexOf(':'));
          String actual = checksumOf(file, algorithm.toUpperCase(Locale.ROOT));
          if (!actual.equalsIgnoreCase(r.checksum())) {
            damaged.add(r.path() + " (checksum differs)");
          }
        }
      } catch (IOException e) {
        damaged.add(r.path() + " (" + e.getMessage() + ")");
      }
    }
    bar.close();
    List<String> unreferenced = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      files
          .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p))
          .filter(p -> !referenced.contains(p))
          .forEach(p -> unreferenced.add(root.relativize(p).toString()));
    } catch (IOException e) {
      throw new ButlerException(
          ButlerException.Category.INTERNAL, "Cannot list " + root + ": " + e.getMessage(), e);
    }
    return new VerifyReport(missing, damaged, unreferenced);
  }
}
