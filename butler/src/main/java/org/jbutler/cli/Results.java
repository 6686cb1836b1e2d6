package org.jbutler.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints query results: an aligned table, a JSON array of objects, or CSV. */
public final class Results {

  private Results() {}

  /**
   * Prints rows under column names.
   *
   * @param out where to print
   * @param format table, JSON or CSV
   * @param columns the column names
   * @param rows one list of values per row
   */
  public static void print(
      PrintWriter out, OutputFormat format, List<String> columns, List<List<Object>> rows) {
    switch (format) {
      case JSON -> {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (List<Object> r : rows) {
          Map<String, Object> m = new LinkedHashMap<>();
          for (int i = 0; i < columns.size(); i++) {
            Object v = r.get(i);
            m.put(
                columns.get(i),
                v instanceof java.util.UUID || v instanceof java.nio.file.Path ? v.toString() : v);
          }
          docs.add(m);
        }
        try {
          out.println(
              new ObjectMapper()
                  .enable(SerializationFeature.INDENT_OUTPUT)
                  .writeValueAsString(docs));
        } catch (JsonProcessingException e) {
          throw new IllegalStateException(e);
        }
      }
      case CSV -> {
        out.println(String.join(",", columns.stream().map(Results::csv).toList()));
        for (List<Object> r : rows) {
          out.println(
              String.join(",", r.stream().map(v -> csv(v == null ? "" : v.toString())).toList()));
        }
      }
      default -> {
        if (rows.isEmpty()) {
          out.println("(no results)");
          return;
        }
        TextTable t = new TextTable(columns);
        rows.forEach(t::add);
        t.print(out);
      }
    }
    out.flush();
  }

  private static String csv(String s) {
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }
}
