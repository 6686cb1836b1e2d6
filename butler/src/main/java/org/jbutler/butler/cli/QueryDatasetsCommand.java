package org.jbutler.butler.cli;

import java.util.ArrayList;
import java.util.List;
import org.jbutler.butler.Butler;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.DatasetRef;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code butler query-datasets REPO [GLOB] --collections ...}. */
@Command(
    name = "query-datasets",
    mixinStandardHelpOptions = true,
    description = "List datasets of the types matching GLOB (default: all) in collections.")
final class QueryDatasetsCommand extends RepoCommand {

  @Parameters(index = "1", arity = "0..1", paramLabel = "GLOB", defaultValue = "*")
  String glob;

  @Option(
      names = "--collections",
      split = ",",
      required = true,
      description = "Collections to search (globs allowed without --find-first).")
  List<String> collections;

  @Option(
      names = "--find-first",
      description = "Only the first dataset per data ID, in collection order.")
  boolean findFirst;

  @Option(names = "--show-uri", description = "Show each dataset's file.")
  boolean showUri;

  @Mixin QueryOptions query;

  @Mixin FormatMixin output;

  @Override
  public Integer call() {
    try (Butler b = open()) {
      DataQuery q = query.query();
      List<List<Object>> rows = new ArrayList<>();
      for (DatasetRef r : b.registry().queryDatasets(glob, collections, q, findFirst)) {
        List<Object> row =
            new ArrayList<>(
                List.of(r.datasetType().name(), r.run(), r.id(), r.dataId().toString()));
        if (showUri) {
          row.add(b.datastore().exists(r) ? b.getURI(r).toString() : "");
        }
        rows.add(row);
      }
      List<String> columns = new ArrayList<>(List.of("type", "run", "id", "dataId"));
      if (showUri) {
        columns.add("uri");
      }
      Results.print(out(), output.format(), columns, rows);
    }
    return 0;
  }
}
