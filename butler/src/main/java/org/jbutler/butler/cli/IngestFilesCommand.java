package org.jbutler.butler.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbutler.butler.Butler;
import org.jbutler.datastore.FileDatastore;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.InvalidConfigException;
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

  @Parameters(index = "1", paramLabel = "DATASET_TYPE")
  String datasetType;

  @Parameters(index = "2", paramLabel = "RUN")
  String run;

  @Parameters(index = "3", paramLabel = "TABLE_FILE")
  Path table;

  @Option(
      names = "--transfer",
      defaultValue = "AUTO",
      description = "auto (default), copy, move, symlink, relsymlink, hardlink, link, direct.")
  FileDatastore.Transfer transfer;

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
    List<Map<String, ?>> dataIds = new ArrayList<>();
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
      Map<String, Object> d = new LinkedHashMap<>(common);
      for (int c = 1; c < header.size(); c++) {
        String v = cells.get(c);
        d.put(header.get(c), v.matches("-?\\d+") ? (Object) Long.parseLong(v) : v);
      }
      dataIds.add(d);
    }
    try (Butler b = open()) {
      List<DatasetRef> refs = b.ingest(datasetType, dataIds, files, run, transfer, mode);
      out().println("Ingested " + refs.size() + " '" + datasetType + "' file(s) into " + run + ".");
    }
    return 0;
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
