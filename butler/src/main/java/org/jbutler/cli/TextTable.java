package org.jbutler.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** A plain-text table with aligned columns, as daf_butler's CLI prints query results. */
public final class TextTable {

  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();

  /** Creates a table with these column headers. */
  public TextTable(List<String> headers) {
    this.headers = List.copyOf(headers);
  }

  /**
   * Adds a row; values are printed with {@link String#valueOf}.
   *
   * @throws IllegalArgumentException if the row has the wrong number of cells
   */
  public TextTable add(List<?> row) {
    if (row.size() != headers.size()) {
      throw new IllegalArgumentException(
          "Row has " + row.size() + " cells; the table has " + headers.size() + " columns");
    }
    rows.add(row.stream().map(v -> Objects.toString(v, "")).toList());
    return this;
  }

  /** Prints the table: headers, a rule of dashes, then the rows. */
  public void print(PrintWriter out) {
    int[] width = new int[headers.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = headers.get(c).length();
      for (List<String> r : rows) {
        width[c] = Math.max(width[c], r.get(c).length());
      }
    }
    line(out, headers, width);
    List<String> rule = new ArrayList<>();
    for (int w : width) {
      rule.add("-".repeat(w));
    }
    line(out, rule, width);
    for (List<String> r : rows) {
      line(out, r, width);
    }
    out.flush();
  }

  private static void line(PrintWriter out, List<String> cells, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int c = 0; c < cells.size(); c++) {
      if (c > 0) {
        sb.append("  ");
      }
      sb.append(cells.get(c));
      if (c < cells.size() - 1) {
        sb.append(" ".repeat(width[c] - cells.get(c).length()));
      }
    }
    out.println(sb);
  }
}
