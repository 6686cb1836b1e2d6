package org.jbutler.butler.cli;

import java.util.ArrayList;
import java.util.List;
import org.jbutler.butler.Butler;
import org.jbutler.cli.FormatMixin;
import org.jbutler.cli.Results;
import org.jbutler.schema.DatasetType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code butler query-dataset-types REPO [GLOB]}. */
@Command(
    name = "query-dataset-types",
    mixinStandardHelpOptions = true,
    description = "List the registered dataset types whose names match GLOB (default: all).")
final class QueryDatasetTypesCommand extends RepoCommand {

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "GLOB",
      description = "A dataset type name or glob (default: all).")
  String glob;

  @Mixin FormatMixin output;

  @Override
  public Integer call() {
    try (Butler b = open()) {
      List<List<Object>> rows = new ArrayList<>();
      for (DatasetType t : b.registry().queryDatasetTypes(glob)) {
        rows.add(List.of(t.name(), t.dimensions().toString(), t.storageClass(), t.isCalibration()));
      }
      Results.print(
          out(),
          output.format(),
          List.of("name", "dimensions", "storageClass", "isCalibration"),
          rows);
    }
    return 0;
  }
}
