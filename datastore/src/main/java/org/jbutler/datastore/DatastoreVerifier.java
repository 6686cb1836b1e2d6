package org.jbutler.datastore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jbutler.schema.Progress;
import org.jbutler.schema.StoredFileInfo;
import org.jbutler.schema.exceptions.ButlerException;

/**
 * Checks a {@link FileDatastore} against its records: every record's file present with its size
 * (and checksum when asked), and every file under the root referenced by a record.
 */
final class DatastoreVerifier {

  private DatastoreVerifier() {}

  /** As {@link Datastore#verify(boolean)}. */
  static Datastore.VerifyReport verify(FileDatastore store, boolean checksums) {
    List<String> missing = new ArrayList<>();
    List<String> damaged = new ArrayList<>();
    Set<Path> referenced = new LinkedHashSet<>();
    List<StoredFileInfo> all = store.records.allRecords();
    Progress.Bar bar = store.progress.start("Verifying artifacts", all.size());
    for (StoredFileInfo r : all) {
      bar.step();
      Path file = store.resolve(r);
      referenced.add(file);
      try {
        if (!Files.exists(file)) {
          missing.add(r.path() + " (dataset " + r.datasetId() + ")");
        } else {
          String damage = FileDatastore.damage(r, file, checksums);
          if (damage != null) {
            damaged.add(r.path() + " (" + damage + ")");
          }
        }
      } catch (IOException e) {
        damaged.add(r.path() + " (" + e.getMessage() + ")");
      }
    }
    bar.close();
    List<String> unreferenced = new ArrayList<>();
    try (Stream<Path> files = Files.walk(store.root)) {
      files
          .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) || Files.isSymbolicLink(p))
          .filter(p -> !referenced.contains(p))
          .forEach(p -> unreferenced.add(store.root.relativize(p).toString()));
    } catch (IOException e) {
      throw new ButlerException(
          ButlerException.Category.INTERNAL,
          "Cannot list " + store.root + ": " + e.getMessage(),
          e);
    }
    return new Datastore.VerifyReport(missing, damaged, unreferenced);
  }
}
