package org.jbutler.butler.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jbutler.butler.Butler;
import org.jbutler.datastore.Datastore;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.DatasetRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** config-dump, config-validate and transfer-datasets. */
final class ConfigCommands {

  private ConfigCommands() {}

  /** {@code butler config-dump REPO [--file FILE]}. */
  @Command(
      name = "config-dump",
      mixinStandardHelpOptions = true,
      description = "Print the repository's configuration (butler.yaml).")
  static final class Dump extends RepoCommand {

    @Option(names = "--file", description = "Write it to FILE instead of standard output.")
    Path file;

    @Override
    public Integer call() throws Exception {
      try (Butler b = open()) {
        if (file != null) {
          Files.writeString(file, b.configText());
        } else {
          out().print(b.configText());
          out().flush();
        }
      }
      return 0;
    }
  }

  /** {@code butler config-validate REPO}. */
  @Command(
      name = "config-validate",
      mixinStandardHelpOptions = true,
      description =
          "Check that every dataset type has a known storage class, a formatter and a usable file template; exit 1 if not.")
  static final class Validate extends RepoCommand {

    @Option(
        names = {"--quiet", "-q"},
        description = "Print only problems.")
    boolean quiet;

    @Override
    public Integer call() {
      try (Butler b = open()) {
        List<String> problems = b.validateConfig();
        problems.forEach(p -> out().println(p));
        if (problems.isEmpty() && !quiet) {
          out()
              .println(
                  "Configuration OK for "
                      + b.registry().datasetTypes().size()
                      + " dataset type(s).");
        }
        return problems.isEmpty() ? 0 : 1;
      }
    }
  }

  /** {@code butler transfer-datasets SOURCE DEST --collections ...}. */
  @Command(
      name = "transfer-datasets",
      mixinStandardHelpOptions = true,
      description =
          "Copy datasets from SOURCE to DEST with their IDs, optionally with their dataset types and dimension records.")
  static final class Transfer extends RepoCommand {

    @Parameters(
        index = "1",
        paramLabel = "DEST",
        description = "The repository to transfer the datasets into.")
    Path dest;

    @Option(names = "--collections", split = ",", required = true)
    List<String> collections;

    @Option(names = "--datasets", defaultValue = "*")
    String datasets;

    @Option(names = "--where", defaultValue = "")
    String where;

    @Option(names = "--find-first")
    boolean findFirst;

    @Option(names = "--transfer", defaultValue = "AUTO")
    Datastore.Transfer transfer;

    @Option(
        names = "--register-dataset-types",
        description = "Register missing dataset types in DEST.")
    boolean registerTypes;

    @Option(
        names = "--transfer-dimensions",
        negatable = true,
        defaultValue = "true",
        fallbackValue = "true",
        description = "Copy the dimension records the datasets need (default).")
    boolean transferDimensions;

    @Option(names = "--dry-run")
    boolean dryRun;

    @Override
    public Integer call() {
      try (Butler source = open();
          Butler target = withProgress(Butler.open(dest, Butler.Options.none()))) {
        List<DatasetRef> refs =
            source
                .registry()
                .queryDatasets(
                    datasets,
                    collections,
                    findFirst ? DataQuery.where(where).withFindFirst() : DataQuery.where(where))
                .toList();
        if (dryRun) {
          out().println("Would transfer " + refs.size() + " dataset(s).");
          return 0;
        }
        target.transferFrom(source, refs, transfer, registerTypes, transferDimensions);
        out().println("Transferred " + refs.size() + " dataset(s).");
      }
      return 0;
    }
  }
}
