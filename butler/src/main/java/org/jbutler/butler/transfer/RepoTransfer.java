package org.jbutler.butler.transfer;

import java.nio.file.Path;
import java.util.List;
import org.jbutler.butler.Butler;
import org.jbutler.datastore.Datastore;
import org.jbutler.schema.DatasetRef;

/**
 * Export and import in daf_butler's YAML format (version 1.0.2; reference §8): dimension records,
 * collections, dataset types, datasets with their files, TAGGED associations and CALIBRATION
 * validity ranges, with daf_butler's tags ({@code !uuid}, {@code !butler_time/tai/iso}, {@code
 * !lsst.daf.butler.Timespan}, {@code !<lsst.sphgeom.ConvexPolygon>}). Legacy forms are read: {@code
 * version: 0}, {@code type: run}, scalar {@code dataset_id}, single-dict {@code data_id}.
 */
public final class RepoTransfer {

  private RepoTransfer() {}

  /**
   * Exports datasets (and what they need) to a directory: {@code export.yaml} and a copy of each
   * artifact at the same relative path.
   *
   * @param collections TAGGED, CALIBRATION and CHAINED collections to export with the memberships
   *     of these datasets (their RUNs are always exported)
   */
  public static Path export(
      Butler butler, List<DatasetRef> refs, List<String> collections, Path directory) {
    return export(butler, refs, collections, directory, true);
  }

  /**
   * As {@link #export(Butler, List, List, Path)}; with {@code withFiles} false, the registry
   * entries only: the records keep their paths and formatters but no file is copied (import such an
   * export with {@code --without-datastore}).
   */
  public static Path export(
      Butler butler,
      List<DatasetRef> refs,
      List<String> collections,
      Path directory,
      boolean withFiles) {
    return RepoExporter.export(butler, refs, collections, directory, withFiles);
  }

  /** What an import brought in. */
  public record ImportSummary(int records, int datasets, int collections) {}

  /**
   * Imports an export directory, all or nothing: a failure leaves the repository as it was, with a
   * message naming the entry that failed.
   *
   * @param transfer how files enter the datastore; null imports registry entries only
   */
  public static ImportSummary importFrom(
      Butler butler,
      Path directory,
      String exportFile,
      Datastore.Transfer transfer,
      boolean skipDimensions) {
    return RepoImporter.importFrom(butler, directory, exportFile, transfer, skipDimensions);
  }
}
