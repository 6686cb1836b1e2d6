package org.jbutler.butler.transfer;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jbutler.schema.TimeScale;
import org.jbutler.schema.Times;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.jbutler.schema.region.Region;
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
 * daf_butler's export YAML (version 1.0.2): its tags ({@code !uuid}, {@code !butler_time/tai/iso},
 * {@code !lsst.daf.butler.Timespan}, {@code !<lsst.sphgeom.ConvexPolygon>}), the dumper and loader
 * that speak them, and dimension records to and from their YAML form.
 */
final class ExportFormat {

  private ExportFormat() {}

  static final String FORMAT_VERSION = "1.0.2";

  static final String EXPORT_FILE = "export.yaml";

  /**
   * The formatter to read an imported file with: the one the export names (jbutler's, or
   * daf_butler's mapped to the jbutler formatter that reads the same files), or null when the
   * export names none (the configured one is used then).
   *
   * @throws InvalidConfigException for a formatter jbutler cannot read (daf_butler's pickle,
   *     parquet, ...), naming it: never a guess
   */
  static String knownFormatter(Object name) {
    if (name == null) {
      return null;
    }
    String n = String.valueOf(name);
    org.jbutler.datastore.Formatters.byName(n); // refuses what cannot be read
    return org.jbutler.datastore.DafButlerFormatters.jbutlerName(n).orElse(n);
  }

  static final Tag UUID_TAG = new Tag("!uuid");

  static final Tag TIME_TAG = new Tag("!butler_time/tai/iso");

  static final Tag TIMESPAN_TAG = new Tag("!lsst.daf.butler.Timespan");

  /** The region classes an export names in its tags ({@code !<lsst.sphgeom.ConvexPolygon>}). */
  static final List<String> REGION_CLASSES =
      List.of("ConvexPolygon", "Circle", "Box", "Ellipse", "UnionRegion", "IntersectionRegion");

  static Tag regionTag(String simpleName) {
    return new Tag("lsst.sphgeom." + simpleName);
  }

  /** A TAI time in an export file. */
  record TaiTime(long nanoseconds) {}

  /** A region in an export file (its class name and the hex of its sphgeom encoding). */
  record HexRegion(String type, String hex) {}

  static Map<String, Object> recordToYaml(DimensionRecord rec) {
    Map<String, Object> m = new LinkedHashMap<>();
    rec.toMap()
        .forEach(
            (k, v) -> {
              if (v instanceof Timespan ts) {
                m.put("datetime_begin", ts.hasUnboundedBegin() ? null : new TaiTime(ts.begin()));
                m.put("datetime_end", ts.hasUnboundedEnd() ? null : new TaiTime(ts.end()));
              } else if (v instanceof Region reg) {
                m.put("region", new HexRegion(reg.getClass().getSimpleName(), reg.encodeHex()));
              } else if (v instanceof String s
                  && rec.element().fields().containsKey(k)
                  && rec.element().fields().get(k).type()
                      == org.jbutler.schema.dimensions.ColumnType.HASH) {
                m.put(
                    k,
                    java.util.Base64.getDecoder()
                        .decode(s)); // written as !!binary, as daf_butler does
              } else {
                m.put(k, v);
              }
            });
    return m;
  }

  static Yaml dumper() {
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
                        regionTag(((HexRegion) data).type()),
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

  static Yaml loader() {
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
            AbstractConstruct region =
                new AbstractConstruct() {
                  @Override
                  public Object construct(Node node) {
                    Map<Object, Object> m = constructMapping((MappingNode) node);
                    return Region.decodeHex(String.valueOf(m.get("encoded")));
                  }
                };
            for (String name : REGION_CLASSES) {
              this.yamlConstructors.put(regionTag(name), region);
            }
          }
        };
    return new Yaml(c);
  }

  static long nanos(Object v, long unbounded) {
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

  static Map<String, Object> recordFromYaml(Map<String, Object> row) {
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

  static void checkVersion(Object v, Path file) {
    String s = v instanceof Number n && n.intValue() == 0 ? "1.0.0" : String.valueOf(v);
    String[] parts = s.split("\\.");
    if (parts.length != 3 || !parts[0].equals("1") || Integer.parseInt(parts[1]) > 0) {
      throw new InvalidConfigException(
          file + " has export format version " + v + "; this jbutler reads 1.0.x.");
    }
  }
}
