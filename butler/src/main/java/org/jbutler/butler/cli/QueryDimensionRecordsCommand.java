package org.jbutler.butler.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jbutler.butler.Butler;
import org.jbutler.cli.FormatMixin;
import org.jbutler.cli.Results;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.dimensions.DimensionElement;
import org.jbutler.schema.dimensions.DimensionRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code butler query-dimension-records REPO ELEMENT}. */
@Command(
    name = "query-dimension-records",
    mixinStandardHelpOptions = true,
    description = "List the records of a dimension element that satisfy a query.")
final class QueryDimensionRecordsCommand extends RepoCommand {

  @Parameters(
      index = "1",
      paramLabel = "ELEMENT",
      description = "A dimension element (exposure, detector, band, visit_definition, ...).")
  String element;

  @Mixin QueryOptions query;

  @Mixin FormatMixin output;

  @Override
  public Integer call() {
    try (Butler b = open()) {
      DimensionElement e = b.registry().universe().element(element);
      DataQuery q = query.query();
      List<String> columns = new ArrayList<>(e.fields().keySet());
      if (e.isTemporal()) {
        columns.add("timespan");
      }
      List<List<Object>> rows = new ArrayList<>();
      var result = b.registry().queryDimensionRecords(element, q);
      for (DimensionRecord r : result) {
        Map<String, Object> m = r.toMap();
        List<Object> row = new ArrayList<>();
        for (String c : columns) {
          Object v = m.get(c);
          row.add(
              v == null
                  ? null
                  : v instanceof String || v instanceof Number || v instanceof Boolean
                      ? v
                      : v.toString());
        }
        rows.add(row);
      }
      if (rows.isEmpty()) {
        query.explainEmpty(result.explainNoResults());
      }
      Results.print(out(), output.format(), columns, rows);
    }
    return 0;
  }
}
