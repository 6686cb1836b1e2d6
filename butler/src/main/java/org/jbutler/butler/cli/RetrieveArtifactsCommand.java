package org.jbutler.butler.cli;

import java.nio.file.Path;
import java.util.List;
import org.jbutler.butler.Butler;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.DatasetRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code butler retrieve-artifacts REPO DESTINATION --collections ...}. */
@Command(
    name = "retrieve-artifacts",
    mixinStandardHelpOptions = true,
    description = "Copy the files of the datasets a query finds into DESTINATION.")
final class RetrieveArtifactsCommand extends RepoCommand {

  @Parameters(
      index = "1",
      paramLabel = "DESTINATION",
      description = "Directory to copy the artifacts into (created if missing).")
  Path destination;

  @Option(names = "--datasets", defaultValue = "*")
  String datasets;

  @Option(names = "--collections", split = ",", required = true)
  List<String> collections;

  @Option(names = "--where", defaultValue = "")
  String where;

  @Option(names = "--find-first")
  boolean findFirst;

  @Option(
      names = "--no-preserve-path",
      negatable = true,
      defaultValue = "true",
      description = "Keep the datastore's directory layout (default).")
  boolean preservePath = true;

  @Option(names = "--clobber", description = "Overwrite existing files.")
  boolean clobber;

  @Override
  public Integer call() {
    try (Butler b = open()) {
      List<DatasetRef> refs =
          b.registry()
              .queryDatasets(
                  datasets,
                  collections,
                  findFirst ? DataQuery.where(where).withFindFirst() : DataQuery.where(where))
              .toList();
      List<Path> written = b.retrieveArtifacts(refs, destination, preservePath, clobber);
      out().println("Retrieved " + written.size() + " file(s) into " + destination + ".");
    }
    return 0;
  }
}
