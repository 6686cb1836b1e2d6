package org.jbutler.butler.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jbutler.butler.Butler;
import org.jbutler.cli.FormatMixin;
import org.jbutler.cli.OutputFormat;
import org.jbutler.cli.Results;
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

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "GLOB",
      defaultValue = "*",
      description = "Dataset type names or a glob (default: all types).")
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
      // One column per data ID key, as query-data-ids; daf_butler prints a table per type.
      Map<String, List<DatasetRef>> byType = new LinkedHashMap<>();
      Set<String> keys = new LinkedHashSet<>();
      var result = b.registry().queryDatasets(glob, collections, findFirst ? q.withFindFirst() : q);
      for (DatasetRef r : result) {
        byType.computeIfAbsent(r.datasetType().name(), k -> new ArrayList<>()).add(r);
        keys.addAll(r.dataId().dimensions().required());
      }
      if (byType.isEmpty()) {
        query.explainEmpty(result.explainNoResults());
      }
      if (output.format() == OutputFormat.TABLE && byType.size() > 1) {
        boolean first = true;
        for (List<DatasetRef> refs : byType.values()) {
          if (!first) {
            out().println();
          }
          first = false;
          List<String> own = refs.get(0).dataId().dimensions().required();
          Results.print(out(), output.format(), columns(own), rows(b, refs, own));
        }
      } else {
        List<DatasetRef> all = new ArrayList<>();
        byType.values().forEach(all::addAll);
        List<String> union = List.copyOf(keys);
        Results.print(out(), output.format(), columns(union), rows(b, all, union));
      }
    }
    return 0;
  }

  private List<String> columns(List<String> keys) {
    List<String> columns = new ArrayList<>(List.of("type", "run", "id"));
    columns.addAll(keys);
    if (showUri) {
      columns.add("uri");
    }
    return columns;
  }

  private List<List<Object>> rows(Butler b, List<DatasetRef> refs, List<String> keys) {
    List<List<Object>> rows = new ArrayList<>();
    for (DatasetRef r : refs) {
      List<Object> row = new ArrayList<>(List.of(r.datasetType().name(), r.run(), r.id()));
      for (String k : keys) {
        row.add(r.dataId().dimensions().required().contains(k) ? r.dataId().value(k) : null);
      }
      if (showUri) {
        row.add(b.datastore().exists(r) ? b.uri(r).toString() : "");
      }
      rows.add(row);
    }
    return rows;
  }
}
