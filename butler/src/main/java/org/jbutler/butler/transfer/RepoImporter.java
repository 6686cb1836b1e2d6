package org.jbutler.butler.transfer;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jbutler.butler.Butler;
import org.jbutler.datastore.Datastore;
import org.jbutler.registry.Registry;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.Progress;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionElement;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.exceptions.InvalidConfigException;

/**
 * Reads an export into a repository, all or nothing, in dependency order: dimension records,
 * collections, dataset types, datasets and their artifacts, associations, certifications.
 */
final class RepoImporter {

  private RepoImporter() {}

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RepoImporter.class);

  /**
   * The export file, found as daf_butler finds it: {@code export.yaml} in the directory by default;
   * a given name as it is when absolute or present in the working directory, else in the export
   * directory.
   */
  static Path exportFile(Path directory, String exportFile) {
    if (exportFile == null) {
      return directory.resolve(ExportFormat.EXPORT_FILE);
    }
    Path given = Path.of(exportFile);
    return given.isAbsolute() || Files.exists(given) ? given : directory.resolve(exportFile);
  }

  /**
   * Imports an export directory, all or nothing: a failure leaves the repository as it was, with a
   * message naming the entry that failed.
   *
   * @param transfer how files enter the datastore; null imports registry entries only
   */
  @SuppressWarnings("unchecked")
  static RepoTransfer.ImportSummary importFrom(
      Butler butler,
      Path directory,
      String exportFile,
      Datastore.Transfer transfer,
      boolean skipDimensions) {
    Path file = exportFile(directory, exportFile);
    Map<String, Object> doc;
    try (Reader in = Files.newBufferedReader(file)) {
      doc = ExportFormat.loader().load(in);
    } catch (IOException e) {
      throw org.jbutler.schema.exceptions.IoFailureException.of(
          "Cannot read " + file + " (give the export directory)", e);
    } catch (RuntimeException e) {
      throw new InvalidConfigException("Cannot parse " + file + ": " + e.getMessage(), e);
    }
    ExportFormat.checkVersion(doc.get("version"), file);
    Object uv = doc.getOrDefault("universe_version", 0);
    int universeVersion = uv instanceof Number n ? n.intValue() : 0;
    List<Map<String, Object>> data =
        new ArrayList<>((List<Map<String, Object>>) doc.getOrDefault("data", List.of()));
    if (universeVersion < 8
        && "daf_butler".equals(doc.getOrDefault("universe_namespace", "daf_butler"))) {
      for (String note : UniverseMigrations.migrate(universeVersion, data)) {
        LOG.info("{} (universe {}): {}", file.getFileName(), universeVersion, note);
      }
    }
    Registry r = butler.registry();
    int[] counts = new int[3];
    long datasetTotal = 0;
    for (Map<String, Object> e : data) {
      if ("dataset".equals(e.get("type")) && e.get("records") instanceof List<?> l) {
        datasetTotal += l.size();
      }
    }
    Progress progress = butler.progress();
    butler.datastore().setProgress(Progress.NONE); // one bar for the whole import
    try (Progress.Bar bar = progress.start("Importing datasets", datasetTotal)) {
      importData(butler, directory, transfer, skipDimensions, file, data, counts, bar);
    } finally {
      butler.datastore().setProgress(progress);
    }
    return new RepoTransfer.ImportSummary(counts[0], counts[1], counts[2]);
  }

  @SuppressWarnings("unchecked")
  static void importData(
      Butler butler,
      Path directory,
      Datastore.Transfer transfer,
      boolean skipDimensions,
      Path file,
      List<Map<String, Object>> data,
      int[] counts,
      Progress.Bar bar) {
    Registry r = butler.registry();
    r.transaction(
        () -> {
          List<Map<String, Object>> chains = new ArrayList<>();
          // 1. dataset types and collections
          for (int i = 0; i < data.size(); i++) {
            Map<String, Object> e = data.get(i);
            try {
              switch (String.valueOf(e.get("type"))) {
                case "dataset_type" ->
                    r.registerDatasetType(
                        DatasetType.of(
                            String.valueOf(e.get("name")),
                            r.universe().group((List<String>) e.get("dimensions")),
                            String.valueOf(e.get("storage_class")),
                            Boolean.TRUE.equals(e.get("is_calibration"))));
                case "run" -> {
                  r.registerCollection(String.valueOf(e.get("name")), CollectionType.RUN, null);
                  counts[2]++;
                }
                case "collection" -> {
                  CollectionType t =
                      CollectionType.fromName(String.valueOf(e.get("collection_type")));
                  r.registerCollection(String.valueOf(e.get("name")), t, (String) e.get("doc"));
                  if (t == CollectionType.CHAINED) {
                    chains.add(e);
                  }
                  counts[2]++;
                }
                default -> {}
              }
            } catch (RuntimeException ex) {
              throw entryFailure(i, e, ex);
            }
          }
          for (Map<String, Object> e : chains) {
            try {
              r.setChain(
                  String.valueOf(e.get("name")),
                  (List<String>) e.getOrDefault("children", List.of()));
            } catch (RuntimeException ex) {
              throw entryFailure(data.indexOf(e), e, ex);
            }
          }
          // 2. dimension records in universe order
          if (!skipDimensions) {
            Map<String, List<Map<String, Object>>> byElement = new LinkedHashMap<>();
            for (int i = 0; i < data.size(); i++) {
              Map<String, Object> e = data.get(i);
              if ("dimension".equals(e.get("type"))) {
                byElement
                    .computeIfAbsent(String.valueOf(e.get("element")), k -> new ArrayList<>())
                    .addAll((List<Map<String, Object>>) e.getOrDefault("records", List.of()));
              }
            }
            for (DimensionElement el : r.universe().elements()) {
              List<Map<String, Object>> rows = byElement.remove(el.name());
              if (rows == null || !el.hasOwnTable()) {
                continue;
              }
              List<DimensionRecord> recs = new ArrayList<>();
              for (Map<String, Object> row : rows) {
                recs.add(DimensionRecord.of(el, ExportFormat.recordFromYaml(row)));
              }
              try {
                r.insertDimensionRecords(el.name(), recs, true);
              } catch (RuntimeException ex) {
                throw new InvalidConfigException(
                    "Cannot import the "
                        + el.name()
                        + " records of "
                        + file
                        + ": "
                        + ex.getMessage(),
                    ex);
              }
              counts[0] += recs.size();
            }
            if (!byElement.isEmpty()) {
              throw new InvalidConfigException(
                  file
                      + " has records of elements this universe does not have: "
                      + byElement.keySet()
                      + ".");
            }
          }
          // 3. datasets and their files
          for (int i = 0; i < data.size(); i++) {
            Map<String, Object> e = data.get(i);
            if (!"dataset".equals(e.get("type"))) {
              continue;
            }
            try {
              DatasetType t = r.datasetType(String.valueOf(e.get("dataset_type")));
              String run = String.valueOf(e.get("run"));
              r.registerCollection(run, CollectionType.RUN, null);
              List<UUID> datasetIds = new ArrayList<>();
              List<Map<String, Object>> given = new ArrayList<>();
              List<Path> files = new ArrayList<>();
              List<String> formatters = new ArrayList<>();
              for (Map<String, Object> rec :
                  (List<Map<String, Object>>) e.getOrDefault("records", List.of())) {
                String formatter =
                    transfer == null ? null : ExportFormat.knownFormatter(rec.get("formatter"));
                List<Object> ids = asList(rec.get("dataset_id"));
                List<Object> dataIds = asList(rec.get("data_id"));
                if (ids.size() != dataIds.size()) {
                  throw new InvalidConfigException(
                      "a record has "
                          + ids.size()
                          + " dataset_id(s) but "
                          + dataIds.size()
                          + " data_id(s)");
                }
                for (int k = 0; k < ids.size(); k++) {
                  UUID id =
                      ids.get(k) instanceof UUID uuid
                          ? uuid
                          : org.jbutler.schema.DatasetIds.fromLegacyInteger(
                              ((Number) ids.get(k)).longValue());
                  datasetIds.add(id);
                  given.add((Map<String, Object>) dataIds.get(k));
                  files.add(directory.resolve(String.valueOf(rec.get("path"))));
                  formatters.add(formatter);
                }
              }
              List<DataCoordinate> expanded = r.expandDataIds(given, t.dimensions());
              List<DatasetRef> refs = new ArrayList<>(expanded.size());
              for (int k = 0; k < expanded.size(); k++) {
                refs.add(new DatasetRef(t, expanded.get(k), run, datasetIds.get(k)));
              }
              r.importDatasets(refs);
              if (transfer != null) {
                butler.datastore().ingest(refs, files, formatters, transfer);
              }
              counts[1] += refs.size();
              bar.step(refs.size());
            } catch (RuntimeException ex) {
              throw entryFailure(i, e, ex);
            }
          }
          // 4. associations
          for (int i = 0; i < data.size(); i++) {
            Map<String, Object> e = data.get(i);
            if (!"associations".equals(e.get("type"))) {
              continue;
            }
            try {
              String c = String.valueOf(e.get("collection"));
              CollectionType t = CollectionType.fromName(String.valueOf(e.get("collection_type")));
              r.registerCollection(c, t, null);
              if (t == CollectionType.TAGGED) {
                r.associate(c, refsOf(r, (List<Object>) e.get("dataset_ids")));
              } else {
                for (Map<String, Object> vr :
                    (List<Map<String, Object>>) e.getOrDefault("validity_ranges", List.of())) {
                  Object ts = vr.get("timespan");
                  Timespan validity =
                      ts instanceof Timespan tsp
                          ? tsp
                          : Timespan.of(
                              ExportFormat.nanos(vr.get("begin"), Timespan.MIN_NSEC),
                              ExportFormat.nanos(vr.get("end"), Timespan.MAX_NSEC));
                  r.certify(c, refsOf(r, (List<Object>) vr.get("dataset_ids")), validity);
                }
              }
            } catch (RuntimeException ex) {
              throw entryFailure(i, e, ex);
            }
          }
        });
  }

  static List<DatasetRef> refsOf(Registry r, List<Object> ids) {
    List<DatasetRef> out = new ArrayList<>();
    for (Object o : ids) {
      UUID id = (UUID) o;
      out.add(
          r.findDataset(id)
              .orElseThrow(
                  () ->
                      new InvalidConfigException(
                          "dataset " + id + " is not in the file or the repository")));
    }
    return out;
  }

  static List<Object> asList(Object v) {
    return v instanceof List<?> l ? new ArrayList<>(l) : List.of(v);
  }

  static InvalidConfigException entryFailure(
      int index, Map<String, Object> entry, RuntimeException cause) {
    Map<String, Object> brief = new LinkedHashMap<>();
    for (String k : List.of("type", "name", "element", "dataset_type", "run", "collection")) {
      if (entry.containsKey(k)) {
        brief.put(k, entry.get(k));
      }
    }
    return new InvalidConfigException(
        "Import failed at data entry "
            + (index + 1)
            + " "
            + brief
            + ": "
            + cause.getMessage()
            + " Nothing was imported.",
        cause);
  }
}
