package org.jbutler.butler.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbutler.registry.DataQuery;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The query options shared by the query commands: --where, --bind, --limit, --order-by. */
public final class QueryOptions {

  @Option(
      names = "--where",
      defaultValue = "",
      description = "A where expression in daf_butler's language.")
  String where;

  @Option(
      names = "--bind",
      paramLabel = "NAME=VALUE",
      description =
          "A value for :NAME in --where (repeatable). Integers, decimals and true/false are"
              + " numbers and booleans; a value with commas is a list (for IN (:NAME)); anything"
              + " else is a string.")
  List<String> binds = new ArrayList<>();

  @Option(
      names = "--limit",
      defaultValue = "0",
      description = "At most this many results; 0 for all; negative: cap and warn.")
  int limit;

  @Option(
      names = "--order-by",
      split = ",",
      paramLabel = "FIELD",
      description = "Dimension keys or fields; -name for descending.")
  List<String> orderBy = List.of();

  @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
  CommandLine.Model.CommandSpec spec;

  /** The query these options describe. */
  public DataQuery query() {
    for (String o : orderBy) {
      if (o.isBlank() || o.equals("-")) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--order-by takes dimension keys or fields (-name for descending), not '" + o + "'.");
      }
    }
    return DataQuery.where(where)
        .withBind(binds())
        .withOrderBy(orderBy.toArray(String[]::new))
        .withLimit(limit);
  }

  /** The --bind values by name. */
  Map<String, Object> binds() {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String b : binds) {
      int eq = b.indexOf('=');
      String name = eq < 0 ? "" : b.substring(0, eq).trim();
      if (name.startsWith(":")) {
        name = name.substring(1);
      }
      if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--bind takes NAME=VALUE with NAME an identifier (used as :NAME), not '" + b + "'.");
      }
      String value = b.substring(eq + 1);
      if (value.contains(",")) {
        List<Object> list = new ArrayList<>();
        for (String item : value.split(",")) {
          list.add(scalar(item.trim()));
        }
        out.put(name, list);
      } else {
        out.put(name, scalar(value));
      }
    }
    return out;
  }

  private static Object scalar(String v) {
    if (v.matches("[-+]?\\d+")) {
      try {
        return Long.parseLong(v);
      } catch (NumberFormatException e) {
        return v;
      }
    }
    if (v.matches("[-+]?(\\d+\\.\\d*|\\.\\d+|\\d+)([eE][-+]?\\d+)?")) {
      return Double.parseDouble(v);
    }
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    return v;
  }

  /** Says on standard error why a query found nothing, as daf_butler's explain does. */
  void explainEmpty(List<String> reasons) {
    PrintWriter err = spec.commandLine().getErr();
    if (reasons.isEmpty()) {
      err.println("No results.");
    } else {
      err.println("No results:");
      for (String r : reasons) {
        err.println("  - " + r);
      }
    }
    err.flush();
  }
}
