package org.jbutler.butler.cli;

import java.nio.file.Path;
import java.util.List;
import org.jbutler.butler.Butler;
import org.jbutler.butler.transfer.RepoTransfer;
import org.jbutler.datastore.Datastore;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.DatasetRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code butler export} and {@code butler import} in daf_butler's YAML format. */
final class TransferCommands {

  private TransferCommands() {}

  /** {@code butler export REPO DIRECTORY --collections ...}. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description =
          "Export datasets (with their records, collections and files) to DIRECTORY/export.yaml.")
  static final class Export extends RepoCommand {

    @Parameters(
        index = "1",
        paramLabel = "DIRECTORY",
        description = "The export directory (export.yaml and the files).")
    Path directory;

    @Option(
        names = "--collections",
        split = ",",
        required = true,
        description =
            "Where the datasets are; TAGGED, CALIBRATION and CHAINED ones are exported with their memberships.")
    List<String> collections;

    @Option(names = "--datasets", defaultValue = "*")
    String datasets;

    @Option(names = "--where", defaultValue = "")
    String where;

    @Option(
        names = "--registry-only",
        description =
            "Write the registry entries only (records keep their paths and formatters); copy no"
                + " files. Import the result with --without-datastore.")
    boolean registryOnly;

    @Override
    public Integer call() {
      try (Butler b = open()) {
        List<DatasetRef> refs =
            b.registry().queryDatasets(datasets, collections, DataQuery.where(where)).stream()
                .collect(
                    java.util.stream.Collectors.toMap(
                        DatasetRef::id, r -> r, (x, y) -> x, java.util.LinkedHashMap::new))
                .values()
                .stream()
                .toList();
        List<String> named =
            b.registry().queryCollections(null, java.util.Set.of(), false, true).stream()
                .filter(
                    c ->
                        collections.stream()
                            .anyMatch(p -> org.jbutler.registry.Globs.matches(p, c)))
                .toList();
        Path file = RepoTransfer.export(b, refs, named, directory, !registryOnly);
        out().println("Exported " + refs.size() + " dataset(s) to " + file + ".");
      }
      return 0;
    }
  }

  /** {@code butler import REPO DIRECTORY}. */
  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = "Import an export directory (export.yaml and its files), all or nothing.")
  static final class Import extends RepoCommand {

    @Parameters(
        index = "1",
        paramLabel = "DIRECTORY",
        description = "The export directory (export.yaml and the files).")
    Path directory;

    @Option(
        names = {"--transfer", "-t"},
        defaultValue = "COPY",
        description = "How files enter the datastore (default copy).")
    Datastore.Transfer transfer;

    @Option(
        names = "--export-file",
        paramLabel = "FILE",
        description =
            "The export file (default DIRECTORY/export.yaml). A relative name is looked for in the"
                + " working directory, then in DIRECTORY, as daf_butler looks for it.")
    String exportFile;

    @Option(
        names = {"--skip-dimensions", "-s"},
        description = "Do not import dimension records.")
    boolean skipDimensions;

    @Option(names = "--without-datastore", description = "Import registry entries only, no files.")
    boolean withoutDatastore;

    @Override
    public Integer call() {
      try (Butler b = open()) {
        RepoTransfer.ImportSummary s =
            RepoTransfer.importFrom(
                b, directory, exportFile, withoutDatastore ? null : transfer, skipDimensions);
        out()
            .println(
                "Imported "
                    + s.records()
                    + " dimension record(s), "
                    + s.collections()
                    + " collection(s) and "
                    + s.datasets()
                    + " dataset(s).");
      }
      return 0;
    }
  }
}
