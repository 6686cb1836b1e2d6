package org.jbutler.butler.cli;

import java.util.ArrayList;
import java.util.List;
import org.jbutler.butler.Butler;
import org.jbutler.cli.FormatMixin;
import org.jbutler.cli.Results;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code butler query-data-ids REPO DIMENSIONS...}. */
@Command(
    name = "query-data-ids",
    mixinStandardHelpOptions = true,
    description = "List the data IDs of some dimensions that satisfy a query.")
final class QueryDataIdsCommand extends RepoCommand {

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "DIMENSIONS",
      description = "The dimensions of the data IDs (e.g. exposure detector).")
  List<String> dimensions;

  @Option(
      names = "--datasets",
      split = ",",
      description = "Dataset types that must exist for each data ID.")
  List<String> datasets = List.of();

  @Option(names = "--collections", split = ",", description = "Where to look for --datasets.")
  List<String> collections = List.of();

  @Mixin QueryOptions query;

  @Mixin FormatMixin output;

  @Override
  public Integer call() {
    try (Butler b = open()) {
      DimensionGroup g = b.registry().universe().group(dimensions);
      DataQuery q = query.query();
      List<List<Object>> rows = new ArrayList<>();
      var result = b.registry().queryDataIds(g, datasets, collections, q);
      for (DataCoordinate d : result) {
        List<Object> row = new ArrayList<>();
        for (String k : g.dataIdKeys()) {
          row.add(d.value(k));
        }
        rows.add(row);
      }
      if (rows.isEmpty()) {
        query.explainEmpty(result.explainNoResults());
      }
      Results.print(out(), output.format(), g.dataIdKeys(), rows);
    }
    return 0;
  }
}
