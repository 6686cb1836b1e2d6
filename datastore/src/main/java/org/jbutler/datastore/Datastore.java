package org.jbutler.datastore;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.Progress;
import org.jbutler.schema.StoredFileInfo;

/**
 * A datastore: where a repository's artifacts live, read and written by formatters, recorded
 * through the registry's {@link org.jbutler.schema.DatastoreRecords} in the registry's
 * transactions. {@link FileDatastore} keeps them as files under a directory; other kinds (object
 * storage, a chain with a local cache) implement the same interface.
 */
public interface Datastore {

  /**
   * An artifact written to its place but not yet recorded (see {@link #write} and {@link #record}).
   */
  record Written(DatasetRef ref, StoredFileInfo info, Path file) {}

  /** A dataset's (first) artifact record and its file. */
  record Artifact(StoredFileInfo record, Path file) {}

  /** How an existing file enters the datastore (daf_butler's transfer modes). */
  enum Transfer {
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

  /** What {@link #verify()} found. */
  record VerifyReport(List<String> missing, List<String> damaged, List<String> unreferenced) {
    /** Whether nothing is wrong. */
    public boolean ok() {
      return missing.isEmpty() && damaged.isEmpty() && unreferenced.isEmpty();
    }
  }

  /** The root directory. */
  Path root();

  /** The path (relative to the root) a dataset gets, with the formatter's extension. */
  String pathFor(DatasetRef ref);

  /**
   * Writes a dataset's artifact and records it, in the caller's registry transaction (or one of its
   * own). The dataset must already be registered.
   *
   * @throws ConflictingDefinitionException if a file already exists at the target path
   * @throws ArtifactException if the formatter cannot write the object
   */
  void put(Object object, DatasetRef ref);

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
  Written write(Object object, DatasetRef ref, boolean replaceUnrecorded);

  /**
   * Deletes the temporary files a killed writer left under a run's directory ({@code ROOT/RUN/...},
   * where the default file template puts a run's files). Call it only when nothing else is writing
   * into that run (an executor starting on it).
   *
   * @return how many files were deleted
   */
  int removeLeftovers(String run);

  /**
   * Records written artifacts, in the caller's registry transaction (or one of its own); if that
   * transaction rolls back, the files are deleted.
   */
  void record(List<Written> written);

  /** The formatter name recorded for a dataset's artifact. */
  String formatterName(DatasetRef ref);

  /**
   * The artifacts of many datasets, read in batches.
   *
   * @throws DatasetNotFoundException naming the first dataset that has none
   */
  Map<java.util.UUID, Artifact> artifacts(List<DatasetRef> refs);

  /**
   * The file of a dataset's artifact.
   *
   * @throws DatasetNotFoundException if the dataset has no recorded artifact
   */
  Path path(DatasetRef ref);

  /**
   * The file of a dataset's artifact.
   *
   * @deprecated use {@link #path(DatasetRef)}; this name goes in the next release
   */
  @Deprecated
  default Path getPath(DatasetRef ref) {
    return path(ref);
  }

  /**
   * Where a dataset's artifact is, or, when it has none yet, where {@link #put} would write it.
   *
   * @throws InvalidConfigException if the file template needs record fields the data ID lacks
   */
  Path predictPath(DatasetRef ref);

  /**
   * Reads a dataset (or the component its type names), checking its size, and its checksum when one
   * was recorded.
   *
   * @param parameters read parameters ({@code bbox}, {@code columns})
   * @throws DatasetNotFoundException if the artifact is not recorded or its file is gone
   * @throws ArtifactException if the file's size or checksum differ from the record
   */
  Object get(DatasetRef ref, Map<String, Object> parameters);

  /** Whether a dataset has a recorded artifact whose file exists. */
  boolean exists(DatasetRef ref);

  /** Whether a dataset's artifact is present with its recorded size and checksum. */
  boolean verify(DatasetRef ref);

  /**
   * Ingests existing files as the artifacts of registered datasets, in the caller's transaction. On
   * failure, nothing is recorded and no file is left behind (a moved file goes back).
   *
   * @param files one file per ref, in the same order
   */
  void ingest(List<DatasetRef> refs, List<Path> files, Transfer transfer);

  /**
   * Ingests files as {@link #ingest(List, List, Transfer)} does, where a file may appear for
   * several refs (a multi-extension raw holding several detectors): it is transferred once and
   * every ref records the same path, each with its own formatter name.
   *
   * @param formatterNames one recorded formatter name per ref (null, or a null entry: the one
   *     configured for the dataset type)
   */
  void ingest(
      List<DatasetRef> refs, List<Path> files, List<String> formatterNames, Transfer transfer);

  /** Where long operations ({@code ingest}, {@code verify}) report progress. */
  void setProgress(Progress progress);

  /** Moves datasets' records to the trash, in the caller's transaction; files stay for now. */
  void trash(List<DatasetRef> refs);

  /**
   * Deletes the files of trashed records that no remaining record references, in chunks, and
   * returns how many files were deleted. Files outside the root ({@code direct} ingests) are never
   * deleted.
   */
  int emptyTrash();

  /**
   * Checks every record against its file (missing; wrong size; wrong checksum when the datastore
   * checks them at every get) and lists files under the root that no record references (including
   * temporary files a crash left behind).
   */
  VerifyReport verify();

  /**
   * As {@link #verify()}, reading every file to compare its checksum with the recorded one when
   * {@code checksums} is true (same-size damage is found only that way).
   */
  VerifyReport verify(boolean checksums);
}
