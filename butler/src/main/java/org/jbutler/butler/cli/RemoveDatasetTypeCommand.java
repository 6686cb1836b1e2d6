package org.jbutler.butler.cli;

import java.util.List;
import org.jbutler.butler.Butler;
import org.jbutler.schema.DatasetType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code butler remove-dataset-type REPO NAME...} (names may be globs). */
@Command(
    name = "remove-dataset-type",
    mixinStandardHelpOptions = true,
    description = "Remove dataset types that have no datasets.")
final class RemoveDatasetTypeCommand extends RepoCommand {

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "NAME",
      description = "Dataset type names or globs (types that still have datasets are kept).")
  List<String> names;

  @Override
  public Integer call() {
    try (Butler b = open()) {
      for (String n : names) {
        List<DatasetType> matches = b.registry().queryDatasetTypes(n);
        if (matches.isEmpty()) {
          b.registry().datasetType(n); // a clear "not registered" error naming what exists
        }
        for (DatasetType t : matches) {
          b.registry().removeDatasetType(t.name());
          out().println("Removed dataset type " + t.name() + ".");
        }
      }
    }
    return 0;
  }
}
