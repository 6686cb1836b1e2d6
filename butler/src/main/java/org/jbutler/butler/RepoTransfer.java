package org.jbutler.butler;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.jbutler.datastore.Datastore;
import org.jbutler.registry.Registry;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetAssociation;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.Parallel;
import org.jbutler.schema.Progress;
import org.jbutler.schema.Region;
import org.jbutler.schema.TimeScale;
import org.jbutler.schema.Times;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionElement;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Represent;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Export and import in daf_butler's YAML format (version 1.0.2; reference §8): dimension records,
 * collections, dataset types, datasets with their files, TAGGED associations and CALIBRATION
 * validity ranges, with daf_butler's tags ({@code !uuid}, {@code !butler_time/tai/iso}, {@code
 * !lsst.daf.butler.Timespan}, {@code !<lsst.sphgeom.ConvexPolygon>}). Legacy forms are read: {@code
 * version: 0}, {@code type: run}, scalar {@code dataset_id}, single-dict {@code data_id}.
 */
public final class RepoTransfer {

  static final String FORMAT_VERSION = "1.0.2";
  static final String EXPORT_FILE = "export.yaml";

  /**
   * A jbutler formatter named in an export file (with its fixed parameters), or null for another
   * system's formatter (daf_butler's Python classes): the configured one is used then.
   */
  private static String knownFormatter(Object name) {
    if (name == null) {
      return null;
    }
    try {
      org.jbutler.datastore.Formatters.byName(String.valueOf(name));
      return String.valueOf(name);
    } catch (InvalidConfigException e) {
      return null;
    }
  }

  private static final Tag UUID_TAG = new Tag("!uuid");
  private static final Tag TIME_TAG = new Tag("!butler_time/tai/iso");
  private static final Tag TIMESPAN_TAG = new Tag("!lsst.daf.butler.Timespan");
  private static final Tag REGION_TAG = new Tag("lsst.sphgeom.ConvexPolygon");

  /** A TAI time in an export file. */
  private record TaiTime(long nanoseconds) {}

  /** A region in an export file (hex of its sphgeom encoding). */
  private record HexRegion(String hex) {}

  private RepoTransfer() {}

  // ------------------------------------------------------------------ export

  /**
   * Exports datasets (and what they need) to a directory: {@code export.yaml} and a copy of each
   * artifact at the same relative path.
   *
   * @param collections TAGGED, CALIBRATION and CHAINED collections to export with the memberships
   *     of these datasets (their RUNs are always exported)
   */
  public static Path export(
      Butler butler, List<DatasetRef> refs, List<String> collections, Path directory) {
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
    for (DimensionElement e : u.elements()) {
      Map<List<Object>, DimensionRecord> recs = records.get(e.name());
      if (recs == null || recs.isEmpty()) {
        continue;
      }
      List<Map<String, Object>> rows = new ArrayList<>();
      for (DimensionRecord rec : recs.values()) {
        rows.add(recordToYaml(rec));
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
                    a.record().formatter()));
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
              FORMAT_VERSION,
              "universe_version",
              u.version(),
              "universe_namespace",
              u.namespace(),
              "data",
              data);
      Path out = directory.resolve(EXPORT_FILE);
      Files.writeString(out, dumper().dump(doc));
      return out;
    } catch (IOException e) {
      throw org.jbutler.schema.exceptions.IoFailureException.of("Cannot export to " + directory, e);
    }
  }

  /** The collections given and every collection their chains reach, each once, in order. */
  private static List<String> reachable(Registry r, List<String> collections) {
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

  private static void addWithDependencies(
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

  private static Map<String, Object> recordToYaml(DimensionRecord rec) {
    Map<String, Object> m = new LinkedHashMap<>();
    rec.toMap()
        .forEach(
            (k, v) -> {
              if (v instanceof Timespan ts) {
                m.put("datetime_begin", ts.hasUnboundedBegin() ? null : new TaiTime(ts.begin()));
                m.put("datetime_end", ts.hasUnboundedEnd() ? null : new TaiTime(ts.end()));
              } else if (v instanceof Region reg) {
                m.put(
                    "region",
                    new HexRegion(
                        HexFormat.of().formatHex(Base64.getDecoder().decode(reg.encoded()))));
              } else {
                m.put(k, v);
              }
            });
    return m;
  }

  private static Map<String, Object> entry(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static Yaml dumper() {
    DumperOptions o = new DumperOptions();
    o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    o.setSplitLines(false);
    Representer rep =
        new Representer(o) {
          {
            Represent uuid = data -> representScalar(UUID_TAG, data.toString());
            this.representers.put(UUID.class, uuid);
            this.representers.put(
                TaiTime.class,
                data ->
                    representScalar(
                        TIME_TAG,
                        // daf_butler writes "YYYY-MM-DD hh:mm:ss.fffffffff": a space, not T
                        Times.formatIso(((TaiTime) data).nanoseconds(), TimeScale.TAI, 9)
                            .replace('T', ' ')));
            this.representers.put(
                HexRegion.class,
                data ->
                    representMapping(
                        REGION_TAG,
                        Map.of("encoded", ((HexRegion) data).hex()),
                        DumperOptions.FlowStyle.FLOW));
            this.representers.put(
                Timespan.class,
                data -> {
                  Timespan ts = (Timespan) data;
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("begin", ts.hasUnboundedBegin() ? null : new TaiTime(ts.begin()));
                  m.put("end", ts.hasUnboundedEnd() ? null : new TaiTime(ts.end()));
                  return representMapping(TIMESPAN_TAG, m, DumperOptions.FlowStyle.FLOW);
                });
          }
        };
    return new Yaml(rep, o);
  }

  // ------------------------------------------------------------------ import

  private static Yaml loader() {
    LoaderOptions lo = new LoaderOptions();
    lo.setCodePointLimit(512 * 1024 * 1024);
    SafeConstructor c =
        new SafeConstructor(lo) {
          {
            this.yamlConstructors.put(
                UUID_TAG,
                new AbstractConstruct() {
                  @Override
                  public Object construct(Node node) {
                    return UUID.fromString(constructScalar((ScalarNode) node));
                  }
                });
            this.yamlConstructors.put(
                TIME_TAG,
                new AbstractConstruct() {
                  @Override
                  public Object construct(Node node) {
                    return new TaiTime(
                        Times.parseIso(constructScalar((ScalarNode) node), TimeScale.TAI));
                  }
                });
            this.yamlConstructors.put(
                TIMESPAN_TAG,
                new AbstractConstruct() {
                  @Override
                  public Object construct(Node node) {
                    if (node instanceof ScalarNode s) {
                      return Timespan.empty(); // 'EMPTY'
                    }
                    Map<Object, Object> m = constructMapping((MappingNode) node);
                    return Timespan.of(
                        nanos(m.get("begin"), Timespan.MIN_NSEC),
                        nanos(m.get("end"), Timespan.MAX_NSEC));
                  }
                });
            this.yamlConstructors.put(
                REGION_TAG,
                new AbstractConstruct() {
                  @Override
                  public Object construct(Node node) {
                    Map<Object, Object> m = constructMapping((MappingNode) node);
                    return new Region(
                        Base64.getEncoder()
                            .encodeToString(
                                HexFormat.of().parseHex(String.valueOf(m.get("encoded")))));
                  }
                });
          }
        };
    return new Yaml(c);
  }

  private static long nanos(Object v, long unbounded) {
    if (v == null) {
      return unbounded;
    }
    if (v instanceof TaiTime t) {
      return t.nanoseconds();
    }
    if (v instanceof java.util.Date d) { // native YAML timestamps in old files are UTC
      return Times.parseIso(d.toInstant().toString().replace("Z", ""), TimeScale.UTC);
    }
    throw new InvalidConfigException("Not a time: " + v);
  }

  /** What an import brought in. */
  public record ImportSummary(int records, int datasets, int collections) {}

  /**
   * Imports an export directory, all or nothing: a failure leaves the repository as it was, with a
   * message naming the entry that failed.
   *
   * @param transfer how files enter the datastore; null imports registry entries only
   */
  @SuppressWarnings("unchecked")
  public static ImportSummary importFrom(
      Butler butler,
      Path directory,
      String exportFile,
      Datastore.Transfer transfer,
      boolean skipDimensions) {
    Path file = directory.resolve(exportFile == null ? EXPORT_FILE : exportFile);
    Map<String, Object> doc;
    try (Reader in = Files.newBufferedReader(file)) {
      doc = loader().load(in);
    } catch (IOException e) {
      throw org.jbutler.schema.exceptions.IoFailureException.of(
          "Cannot read " + file + " (give the export directory)", e);
    } catch (RuntimeException e) {
      throw new InvalidConfigException("Cannot parse " + file + ": " + e.getMessage(), e);
    }
    checkVersion(doc.get("version"), file);
    Object uv = doc.getOrDefault("universe_version", 0);
    int universeVersion = uv instanceof Number n ? n.intValue() : 0;
    if (universeVersion < 6
        && "daf_butler".equals(doc.getOrDefault("universe_namespace", "daf_butler"))) {
      throw new InvalidConfigException(
          file
              + " was written with dimension universe "
              + universeVersion
              + "; imports from universes before 6 are not supported yet (group/day_obs migrations).");
    }
    List<Map<String, Object>> data =
        (List<Map<String, Object>>) doc.getOrDefault("data", List.of());
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
    return new ImportSummary(counts[0], counts[1], counts[2]);
  }

  @SuppressWarnings("unchecked")
  private static void importData(
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
                recs.add(DimensionRecord.of(el, recordFromYaml(row)));
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
                String formatter = knownFormatter(rec.get("formatter"));
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
              List<DataCoordinate> expanded = DirectButler.expandAll(r, given, t.dimensions());
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
                              nanos(vr.get("begin"), Timespan.MIN_NSEC),
                              nanos(vr.get("end"), Timespan.MAX_NSEC));
                  r.certify(c, refsOf(r, (List<Object>) vr.get("dataset_ids")), validity);
                }
              }
            } catch (RuntimeException ex) {
              throw entryFailure(i, e, ex);
            }
          }
        });
  }

  private static List<DatasetRef> refsOf(Registry r, List<Object> ids) {
    List<DatasetRef> out = new ArrayList<>();
    for (Object o : ids) {
      UUID id = (UUID) o;
      out.add(
          r.getDataset(id)
              .orElseThrow(
                  () ->
                      new InvalidConfigException(
                          "dataset " + id + " is not in the file or the repository")));
    }
    return out;
  }

  private static List<Object> asList(Object v) {
    return v instanceof List<?> l ? new ArrayList<>(l) : List.of(v);
  }

  private static Map<String, Object> recordFromYaml(Map<String, Object> row) {
    Map<String, Object> m = new LinkedHashMap<>();
    Object begin = null;
    Object end = null;
    for (Map.Entry<String, Object> e : row.entrySet()) {
      switch (e.getKey()) {
        case "datetime_begin" -> begin = e.getValue();
        case "datetime_end" -> end = e.getValue();
        case "timespan" -> m.put("timespan", e.getValue());
        default ->
            m.put(e.getKey(), e.getValue() instanceof TaiTime t ? t.nanoseconds() : e.getValue());
      }
    }
    if (begin != null || end != null) {
      m.put(
          "timespan", Timespan.of(nanos(begin, Timespan.MIN_NSEC), nanos(end, Timespan.MAX_NSEC)));
    }
    return m;
  }

  private static void checkVersion(Object v, Path file) {
    String s = v instanceof Number n && n.intValue() == 0 ? "1.0.0" : String.valueOf(v);
    String[] parts = s.split("\\.");
    if (parts.length != 3 || !parts[0].equals("1") || Integer.parseInt(parts[1]) > 0) {
      throw new InvalidConfigException(
          file + " has export format version " + v + "; this jbutler reads 1.0.x.");
    }
  }

  private static InvalidConfigException entryFailure(
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
