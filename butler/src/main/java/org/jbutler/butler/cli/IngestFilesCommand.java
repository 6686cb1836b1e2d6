package org.jbutler.butler.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbutler.butler.Butler;
import org.jbutler.datastore.Datastore;
import org.jbutler.datastore.FitsChecks;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.dimensions.ColumnSpec;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.InvalidConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code butler ingest-files REPO DATASET_TYPE RUN TABLE_FILE}: ingest files listed in a CSV (or
 * ECSV: lines starting with {@code #} are skipped) table whose first column is the file and whose
 * other columns are data ID keys.
 */
@Command(
    name = "ingest-files",
    mixinStandardHelpOptions = true,
    description = {
      "Ingest files as datasets of one type into a RUN, all or nothing.",
      "TABLE_FILE is CSV (or ECSV) with a header: the first column names the files (relative to"
          + " --prefix, else to the table's directory), the others are data ID keys."
    })
final class IngestFilesCommand extends RepoCommand {

  @Parameters(
      index = "1",
      paramLabel = "DATASET_TYPE",
      description = "The (registered) dataset type of every file.")
  String datasetType;

  @Parameters(
      index = "2",
      paramLabel = "RUN",
      description = "The RUN collection to ingest into (created if missing).")
  String run;

  @Parameters(
      index = "3",
      paramLabel = "TABLE_FILE",
      description = "A CSV (or ECSV) table: a file column, then data ID columns.")
  Path table;

  @Option(
      names = "--transfer",
      defaultValue = "AUTO",
      description = "auto (default), copy, move, symlink, relsymlink, hardlink, link, direct.")
  Datastore.Transfer transfer;

  @Option(
      names = "--id-generation-mode",
      defaultValue = "UNIQUE",
      description = "UNIQUE (default), DATAID_TYPE or DATAID_TYPE_RUN.")
  DatasetIdGenerationMode mode;

  @Option(
      names = "--data-id",
      split = ",",
      paramLabel = "KEY=VALUE",
      description = "Values common to every file (e.g. instrument=SimCam).")
  Map<String, String> common = new LinkedHashMap<>();

  @Option(names = "--prefix", description = "Directory the table's file names are relative to.")
  Path prefix;

  @Option(
      names = "--no-validate",
      negatable = true,
      defaultValue = "true",
      description =
          "Check that each FITS file is complete (headers end, data as long as they say) before"
              + " anything is ingested (default: on; --no-validate skips the check).")
  boolean validate;

  @Override
  public Integer call() throws IOException {
    if (!Files.isRegularFile(table)) {
      throw new InvalidConfigException("No table file " + table + ".");
    }
    List<String> lines = new ArrayList<>();
    for (String l : Files.readAllLines(table)) {
      if (!l.isBlank() && !l.startsWith("#")) {
        lines.add(l);
      }
    }
    if (lines.isEmpty()) {
      throw new InvalidConfigException("Table " + table + " has no header line.");
    }
    List<String> header = split(lines.get(0));
    Path base = prefix != null ? prefix : table.toAbsolutePath().getParent();
    List<Map<String, String>> cellsById = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      List<String> cells = split(lines.get(i));
      if (cells.size() != header.size()) {
        throw new InvalidConfigException(
            "Line "
                + (i + 1)
                + " of "
                + table
                + " has "
                + cells.size()
                + " values; the header has "
                + header.size()
                + ".");
      }
      files.add(base.resolve(cells.get(0)));
      Map<String, String> d = new LinkedHashMap<>(common);
      for (int c = 1; c < header.size(); c++) {
        d.put(header.get(c), cells.get(c));
      }
      cellsById.add(d);
    }
    try (Butler b = open()) {
      DimensionUniverse u = b.registry().universe();
      List<Map<String, ?>> dataIds = new ArrayList<>();
      for (Map<String, String> cells : cellsById) {
        Map<String, Object> d = new LinkedHashMap<>();
        cells.forEach((k, v) -> d.put(k, typed(u, k, v)));
        dataIds.add(d);
      }
      if (validate) {
        for (Path f : files) {
          if (FitsChecks.isFitsName(f)) {
            FitsChecks.requireComplete(f);
          }
        }
      }
      List<DatasetRef> refs = b.ingest(datasetType, dataIds, files, run, transfer, mode);
      out().println("Ingested " + refs.size() + " '" + datasetType + "' file(s) into " + run + ".");
    }
    return 0;
  }

  /**
   * A cell's value as its data ID key's type: a dimension's primary key, or an {@code
   * element.field}'s type; a value that does not parse as that type stays text (an alternate key
   * such as a detector's full name, or an error for the data ID's checks to name).
   */
  static Object typed(DimensionUniverse u, String key, String value) {
    ColumnSpec spec = null;
    int dot = key.indexOf('.');
    if (dot < 0) {
      spec =
          u.findElement(key)
              .filter(org.jbutler.schema.dimensions.DimensionElement::isDimension)
              .map(org.jbutler.schema.dimensions.DimensionElement::primaryKey)
              .orElse(null);
    } else {
      spec =
          u.findElement(key.substring(0, dot))
              .map(e -> e.fields().get(key.substring(dot + 1)))
              .orElse(null);
    }
    if (spec == null) {
      return value;
    }
    String t = value.trim();
    try {
      return switch (spec.type()) {
        case INT -> t.matches("[-+]?\\d+") ? (Object) Long.parseLong(t) : value;
        case FLOAT -> Double.parseDouble(t);
        case BOOL ->
            t.equalsIgnoreCase("true") || t.equalsIgnoreCase("false")
                ? (Object) Boolean.parseBoolean(t)
                : value;
        default -> value;
      };
    } catch (NumberFormatException e) {
      return value;
    }
  }

  private static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        if (quoted && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else {
          quoted = !quoted;
        }
      } else if (c == ',' && !quoted) {
        out.add(cur.toString().trim());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    out.add(cur.toString().trim());
    return out;
  }
}
