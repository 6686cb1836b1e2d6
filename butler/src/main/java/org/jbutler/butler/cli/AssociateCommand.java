package org.jbutler.butler.cli;

import java.util.List;
import org.jbutler.butler.Butler;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code butler associate REPO COLLECTION --dataset-type ... --collections ...}. */
@Command(
    name = "associate",
    mixinStandardHelpOptions = true,
    description = "Add the datasets a query finds to a TAGGED collection (created if new).")
final class AssociateCommand extends RepoCommand {

  @Parameters(
      index = "1",
      paramLabel = "COLLECTION",
      description = "The TAGGED collection to add the datasets to (created if missing).")
  String collection;

  @Option(names = "--dataset-type", defaultValue = "*", description = "Dataset type name or glob.")
  String datasetType;

  @Option(names = "--collections", split = ",", required = true)
  List<String> collections;

  @Option(names = "--where", defaultValue = "")
  String where;

  @Option(names = "--find-first")
  boolean findFirst;

  @Option(names = "--limit", defaultValue = "0")
  int limit;

  @Override
  public Integer call() {
    try (Butler b = open()) {
      List<DatasetRef> refs =
          b.registry()
              .queryDatasets(
                  datasetType,
                  collections,
                  findFirst
                      ? DataQuery.where(where).withLimit(limit).withFindFirst()
                      : DataQuery.where(where).withLimit(limit))
              .toList();
      b.registry().registerCollection(collection, CollectionType.TAGGED, null);
      b.registry().associate(collection, refs);
      out().println("Associated " + refs.size() + " dataset(s) with " + collection + ".");
    }
    return 0;
  }
}
