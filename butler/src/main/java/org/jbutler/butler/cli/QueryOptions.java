package org.jbutler.butler.cli;

import java.util.List;
import org.jbutler.registry.DataQuery;
import picocli.CommandLine.Option;

/** The query options shared by the query commands: --where, --limit, --order-by. */
public final class QueryOptions {

  @Option(
      names = "--where",
      defaultValue = "",
      description = "A where expression in daf_butler's language.")
  String where;

  @Option(
      names = "--limit",
      defaultValue = "0",
      description = "At most this many results; 0 for all; negative: cap and warn.")
  int limit;

  @Option(
      names = "--order-by",
      split = ",",
      description = "Dimension keys or fields; -name for descending.")
  List<String> orderBy = List.of();

  /** The query these options describe. */
  public DataQuery query() {
    return DataQuery.where(where).withOrderBy(orderBy.toArray(String[]::new)).withLimit(limit);
  }
}
