package org.jbutler.datastore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jbutler.datastore.Datastore.Transfer;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.Parallel;
import org.jbutler.schema.Progress;
import org.jbutler.schema.StorageClass;
import org.jbutler.schema.StoredFileInfo;
import org.jbutler.schema.exceptions.ConflictingDefinitionException;
import org.jbutler.schema.exceptions.DatasetNotFoundException;

/**
 * An ingest into a {@link FileDatastore}: every distinct file checked and given its target path
 * first, then placed several at once (copies and their fsyncs overlap) with an undo for each, then
 * recorded in one transaction. A failure anywhere undoes every placed file (a moved file goes back)
 * and records nothing.
 */
final class FileIngest {

  private final FileDatastore store;

  FileIngest(FileDatastore store) {
    this.store = store;
  }

  /** As {@link Datastore#ingest(List, List, List, Transfer)}. */
  void ingest(
      List<DatasetRef> refs, List<Path> files, List<String> formatterNames, Transfer transfer) {
    if (refs.size() != files.size()
        || (formatterNames != null && formatterNames.size() != refs.size())) {
      throw new IllegalArgumentException("ingest needs one file and formatter per dataset");
    }
    store.records.transaction(
        () -> {
          // Plan every distinct file (checks and target paths, in order), place them in
          // parallel (copies and their fsyncs overlap), then record them all.
          Map<Path, Planned> bySource = new LinkedHashMap<>();
          Set<Path> targets = new java.util.HashSet<>();
          List<Planned> perRef = new ArrayList<>(refs.size());
          for (int i = 0; i < refs.size(); i++) {
            Path source = files.get(i).toAbsolutePath().normalize();
            Planned first = bySource.get(source);
            if (first == null) {
              first = plan(refs.get(i), source, transfer);
              if (first.moves() && !targets.add(first.stored())) {
                throw new ConflictingDefinitionException(
                    "Cannot ingest "
                        + source
                        + " for "
                        + refs.get(i)
                        + ": another file of this ingest goes to "
                        + first.stored()
                        + " too; the file template must tell them apart.");
              }
              bySource.put(source, first);
            }
            perRef.add(first);
          }
          placeAll(List.copyOf(bySource.values()));
          List<StoredFileInfo> infos = new ArrayList<>(refs.size());
          for (int i = 0; i < refs.size(); i++) {
            String formatter = formatterNames == null ? null : formatterNames.get(i);
            if (formatter != null) {
              Formatters.byName(formatter); // fails now for an unknown name, not at a get
            }
            DatasetRef ref = refs.get(i);
            Planned p = perRef.get(i);
            StorageClass sc = store.storageClass(ref);
            infos.add(
                new StoredFileInfo(
                    ref.id(),
                    "",
                    p.recorded(),
                    formatter != null
                        ? formatter
                        : store.formatters.lookup(ref.datasetType(), sc).name(),
                    sc.name(),
                    p.checksum,
                    p.size));
          }
          store.records.insertRecords(infos);
          return null;
        });
  }

  /** Up to this many files are placed at once by an ingest. */
  private static final int PLACE_THREADS = 8;

  /** One file to ingest: where it goes and, once placed, its size and checksum. */
  private static final class Planned {
    final Path source;
    final Transfer mode;
    final String recorded;
    final Path stored;
    long size;
    String checksum;
    Runnable undo;

    Planned(Path source, Transfer mode, String recorded, Path stored) {
      this.source = source;
      this.mode = mode;
      this.recorded = recorded;
      this.stored = stored;
    }

    String recorded() {
      return recorded;
    }

    Path stored() {
      return stored;
    }

    boolean moves() {
      return mode != Transfer.NONE && mode != Transfer.DIRECT;
    }
  }

  /** Checks a file and decides where it goes; places nothing. */
  private Planned plan(DatasetRef ref, Path source, Transfer transfer) {
    if (!Files.isRegularFile(source)) {
      throw new DatasetNotFoundException("Cannot ingest " + source + ": no such file.");
    }
    boolean insideRoot = source.startsWith(store.root);
    Transfer mode = transfer;
    if (mode == Transfer.AUTO) {
      mode = insideRoot ? Transfer.NONE : Transfer.COPY;
    }
    if (mode == Transfer.NONE && !insideRoot) {
      throw new ArtifactException(
          "Cannot ingest "
              + source
              + " in place: it is outside the datastore store.root "
              + store.root
              + ".");
    }
    if (mode == Transfer.NONE) {
      return new Planned(source, mode, store.root.relativize(source).toString(), source);
    }
    if (mode == Transfer.DIRECT) {
      return new Planned(source, mode, source.toString(), source);
    }
    StorageClass sc = store.storageClass(ref);
    String name = source.getFileName().toString();
    int dot = name.indexOf('.');
    String ext =
        dot > 0 ? name.substring(dot) : store.formatters.lookup(ref.datasetType(), sc).extension();
    String recorded = store.templates.lookup(ref, sc).format(ref) + ext;
    Path stored = store.inside(recorded);
    if (Files.exists(stored, LinkOption.NOFOLLOW_LINKS)) {
      throw new ConflictingDefinitionException(
          "Cannot ingest " + source + " for " + ref + ": " + stored + " already exists.");
    }
    return new Planned(source, mode, recorded, stored);
  }

  /**
   * Places planned files, several at once, and measures them. Each placed file's undo is registered
   * with the transaction; if any fails, the others are undone now and the first failure is thrown.
   */
  private void placeAll(List<Planned> plans) {
    try (Progress.Bar bar = store.progress.start("Ingesting files", plans.size())) {
      try {
        Parallel.forEach(
            plans,
            PLACE_THREADS,
            "Ingest",
            p -> {
              placeOne(p);
              bar.step();
            });
      } catch (RuntimeException e) {
        for (Planned p : plans) {
          if (p.undo != null) {
            p.undo.run();
          }
        }
        throw e;
      }
      for (Planned p : plans) {
        store.records.onRollback(p.undo);
      }
    }
  }

  private void placeOne(Planned p) {
    try {
      if (p.moves()) {
        Files.createDirectories(p.stored.getParent());
        p.undo = place(p.source, p.stored, p.mode);
      } else {
        p.undo = () -> {};
      }
      p.size = Files.size(p.stored);
      // Ingested files are read only when checksums are checked at get: an ingest of a large
      // archive in place (direct) must not read it all.
      p.checksum = store.checkOnGet ? store.checksumOf(p.stored) : null;
    } catch (IOException e) {
      throw new ArtifactException(
          "Cannot ingest " + p.source + " (" + p.mode.name().toLowerCase(Locale.ROOT) + "): " + e,
          e);
    }
  }

  /** Places a file and returns how to undo it. */
  private Runnable place(Path source, Path target, Transfer mode) throws IOException {
    Runnable delete = () -> FileDatastore.deleteQuietly(target);
    switch (mode) {
      case COPY -> {
        // Copy into a new temporary file beside the target through one channel that is forced
        // before the rename: durable, with as few system calls as that allows.
        Path tmp =
            target.resolveSibling(
                FileDatastore.TEMP_PREFIX + java.util.UUID.randomUUID() + ".part");
        boolean moved = false;
        try {
          try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
              FileChannel out =
                  FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long size = in.size();
            for (long done = 0; done < size; ) {
              done += in.transferTo(done, size - done, out);
            }
            out.force(true);
          }
          FileDatastore.moveIntoPlace(tmp, target);
          moved = true;
        } finally {
          if (!moved) {
            FileDatastore.deleteQuietly(tmp);
          }
        }
        return delete;
      }
      case MOVE -> {
        Files.move(source, target);
        return () -> {
          try {
            Files.move(target, source);
          } catch (IOException e) {
            FileDatastore.LOG.error(
                "Could not move {} back to {} after a failed ingest", target, source, e);
          }
        };
      }
      case SYMLINK -> Files.createSymbolicLink(target, source);
      case RELSYMLINK -> Files.createSymbolicLink(target, target.getParent().relativize(source));
      case HARDLINK -> Files.createLink(target, source);
      case LINK -> {
        try {
          Files.createLink(target, source);
        } catch (IOException | UnsupportedOperationException e) {
          Files.createSymbolicLink(target, source);
        }
      }
      default -> throw new IllegalStateException(mode.toString());
    }
    return delete;
  }
}
