package org.jbutler.butler.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jbutler.butler.Butler;
import org.jbutler.datastore.Datastore;
import org.jbutler.registry.Registry;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetAssociation;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.Parallel;
import org.jbutler.schema.Progress;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionElement;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;

/**
 * Writes an export: the datasets asked for, their runs, the TAGGED/CALIBRATION/CHAINED collections
 * given with their memberships, the dimension records their data IDs need (with the records those
 * depend on), and a copy of each artifact at its relative path.
 */
final class RepoExporter {

  private RepoExporter() {}

  /**
   * Exports datasets (and what they need) to a directory: {@code export.yaml} and a copy of each
   * artifact at the same relative path.
   *
   * @param collections TAGGED, CALIBRATION and CHAINED collections to export with the memberships
   *     of these datasets (their RUNs are always exported)
   */
  static Path export(
      Butler butler,
      List<DatasetRef> refs,
      List<String> collections,
      Path directory,
      boolean withFiles) {
    Registry r = butler.registry();
    DimensionUniverse u = r.universe();
    List<Map<String, Object>> data = new ArrayList<>();
    // Dimension records, in universe order.
    Map<String, Map<List<Object>, DimensionRecord>> records = new LinkedHashMap<>();
    List<DataCoordinate> expanded = r.expandDataIds(refs.stream().map(DatasetRef::dataId).toList());
    for (DataCoordinate d : expanded) {
      for (DimensionRecord rec : d.records().values()) {
        addWithDependencies(r, rec, records);
      }
    }
    addPopulated(r, records);
    for (DimensionElement e : u.elements()) {
      Map<List<Object>, DimensionRecord> recs = records.get(e.name());
      if (recs == null || recs.isEmpty()) {
        continue;
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      for (DimensionRecord rec : recs.values()) {
        rows.add(ExportFormat.recordToYaml(rec));
      }
      data.add(entry("type", "dimension", "element", e.name(), "records", rows));
    }
    // Collections: runs, then the others asked for and everything their chains reach (a chain
    // cannot be imported without its children, whatever their type).
    collections = reachable(r, collections);
    Set<String> runs = new LinkedHashSet<>();
    refs.forEach(ref -> runs.add(ref.run()));
    for (String c : collections) {
      if (r.collectionType(c) == CollectionType.RUN) {
        runs.add(c);
      }
    }
    for (String run : runs) {
      data.add(
          entry(
              "type",
              "collection",
              "collection_type",
              "RUN",
              "name",
              run,
              "host",
              null,
              "timespan_begin",
              null,
              "timespan_end",
              null));
    }
    for (String c : collections) {
      CollectionType t = r.collectionType(c);
      if (t == CollectionType.RUN) {
        continue;
      }
      Map<String, Object> m = entry("type", "collection", "collection_type", t.name(), "name", c);
      if (t == CollectionType.CHAINED) {
        m.put("children", r.chain(c));
      }
      String doc = r.collectionDocumentation(c);
      if (doc != null) {
        m.put("doc", doc);
      }
      data.add(m);
    }
    // Dataset types.
    Map<String, DatasetType> types = new LinkedHashMap<>();
    refs.forEach(ref -> types.putIfAbsent(ref.datasetType().name(), ref.datasetType()));
    for (DatasetType t : types.values()) {
      data.add(
          entry(
              "type",
              "dataset_type",
              "name",
              t.name(),
              "dimensions",
              t.dimensions().names(),
              "storage_class",
              t.storageClass(),
              "is_calibration",
              t.isCalibration()));
    }
    // Datasets, grouped by type and run, with their files copied.
    Map<List<String>, List<Map<String, Object>>> byTypeRun = new LinkedHashMap<>();
    try {
      Files.createDirectories(directory);
      Map<UUID, Datastore.Artifact> artifacts = butler.datastore().artifacts(refs);
      Map<Path, Path> copies = new LinkedHashMap<>(); // target -> source, once per file
      for (DatasetRef ref : refs) {
        Datastore.Artifact a = artifacts.get(ref.id());
        Path file = a.file();
        String relative =
            file.startsWith(butler.datastore().root())
                ? butler.datastore().root().relativize(file).toString()
                : "external/" + ref.id() + "_" + file.getFileName();
        copies.putIfAbsent(directory.resolve(relative), file);
        byTypeRun
            .computeIfAbsent(List.of(ref.datasetType().name(), ref.run()), k -> new ArrayList<>())
            .add(
                entry(
                    "dataset_id",
                    List.of(ref.id()),
                    "data_id",
                    List.of(ref.dataId().required()),
                    "path",
                    relative,
                    "formatter",
                    org.jbutler.datastore.DafButlerFormatters.exportName(a.record().formatter())));
      }
      if (!withFiles) {
        copies.clear(); // registry only: the records keep their paths, no file is copied
      }
      try (Progress.Bar bar = butler.progress().start("Exporting files", copies.size())) {
        Parallel.forEach(
            List.copyOf(copies.entrySet()),
            8,
            "Export",
            c -> {
              Files.createDirectories(c.getKey().getParent());
              Files.copy(c.getValue(), c.getKey(), StandardCopyOption.REPLACE_EXISTING);
              bar.step();
            });
      }
      byTypeRun.forEach(
          (k, recs) ->
              data.add(
                  entry(
                      "type",
                      "dataset",
                      "dataset_type",
                      k.get(0),
                      "run",
                      k.get(1),
                      "records",
                      recs)));
      // Associations of these datasets in the other collections.
      Set<UUID> ids = new LinkedHashSet<>();
      refs.forEach(ref -> ids.add(ref.id()));
      for (String c : collections) {
        CollectionType t = r.collectionType(c);
        if (t != CollectionType.TAGGED && t != CollectionType.CALIBRATION) {
          continue;
        }
        List<UUID> tagged = new ArrayList<>();
        Map<Timespan, List<UUID>> ranges = new LinkedHashMap<>();
        for (String type : types.keySet()) {
          for (DatasetAssociation a : r.datasetAssociations(type, List.of(c))) {
            if (!ids.contains(a.ref().id())) {
              continue;
            }
            if (t == CollectionType.TAGGED) {
              tagged.add(a.ref().id());
            } else {
              ranges.computeIfAbsent(a.timespan(), k -> new ArrayList<>()).add(a.ref().id());
            }
          }
        }
        if (t == CollectionType.TAGGED) {
          data.add(
              entry(
                  "type",
                  "associations",
                  "collection",
                  c,
                  "collection_type",
                  "TAGGED",
                  "dataset_ids",
                  tagged));
        } else {
          List<Map<String, Object>> vr = new ArrayList<>();
          ranges.forEach((ts, list) -> vr.add(entry("timespan", ts, "dataset_ids", list)));
          data.add(
              entry(
                  "type",
                  "associations",
                  "collection",
                  c,
                  "collection_type",
                  "CALIBRATION",
                  "validity_ranges",
                  vr));
        }
      }
      Map<String, Object> doc =
          entry(
              "description",
              "Butler Data Repository Export",
              "version",
              ExportFormat.FORMAT_VERSION,
              "universe_version",
              u.version(),
              "universe_namespace",
              u.namespace(),
              "data",
              data);
      Path out = directory.resolve(ExportFormat.EXPORT_FILE);
      Files.writeString(out, ExportFormat.dumper().dump(doc));
      return out;
    } catch (IOException e) {
      throw org.jbutler.schema.exceptions.IoFailureException.of("Cannot export to " + directory, e);
    }
  }

  /** The collections given and every collection their chains reach, each once, in order. */
  static List<String> reachable(Registry r, List<String> collections) {
    Set<String> out = new LinkedHashSet<>();
    java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(collections);
    while (!todo.isEmpty()) {
      String c = todo.removeFirst();
      if (out.add(c) && r.collectionType(c) == CollectionType.CHAINED) {
        todo.addAll(r.chain(c));
      }
    }
    return List.copyOf(out);
  }

  /**
   * The records of elements populated by an exported record's element (daf_butler's {@code
   * populated_by}: visit_definition, visit_system_membership and visit_detector_region for a
   * visit), with their dependencies, as daf_butler's export adds them: without them the importing
   * side cannot relate exposures to visits.
   */
  static void addPopulated(Registry r, Map<String, Map<List<Object>, DimensionRecord>> out) {
    for (DimensionElement p : r.universe().elements()) {
      String by = p.populatedBy().orElse(null);
      if (by == null || !p.hasOwnTable() || !out.containsKey(by)) {
        continue;
      }
      for (DimensionRecord owner : List.copyOf(out.get(by).values())) {
        for (DimensionRecord rec :
            r.queryDimensionRecords(
                    p.name(),
                    org.jbutler.registry.DataQuery.all().withDataId(owner.dataId().required()))
                .toList()) {
          addWithDependencies(r, rec, out);
        }
      }
    }
  }

  static void addWithDependencies(
      Registry r, DimensionRecord rec, Map<String, Map<List<Object>, DimensionRecord>> out) {
    Map<List<Object>, DimensionRecord> m =
        out.computeIfAbsent(rec.element().name(), k -> new LinkedHashMap<>());
    List<Object> key = rec.dataId().requiredValues();
    if (m.putIfAbsent(key, rec) != null) {
      return;
    }
    DataCoordinate own = rec.dataId();
    List<String> referenced = new ArrayList<>(rec.element().required());
    referenced.addAll(rec.element().implied());
    for (String dim : referenced) {
      if (dim.equals(rec.element().name())) {
        continue;
      }
      DimensionElement d = r.universe().element(dim);
      if (!d.hasOwnTable()) {
        continue;
      }
      Map<String, Object> values = new LinkedHashMap<>();
      for (String req : d.required()) {
        Object v = rec.value(req).orElse(own.mapping().get(req));
        values.put(req, v);
      }
      DataCoordinate id = DataCoordinate.standardize(values, d.minimalGroup());
      r.fetchDimensionRecord(dim, id).ifPresent(dep -> addWithDependencies(r, dep, out));
    }
  }

  static Map<String, Object> entry(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
