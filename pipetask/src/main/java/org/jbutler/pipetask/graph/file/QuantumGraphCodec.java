package org.jbutler.pipetask.graph.file;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.jbutler.pipetask.graph.QuantumGraph;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionGroup;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.region.Region;

/**
 * The encodings a graph file's writer and reader share: the tables that number dataset types, runs
 * and tasks; data ID values, UUIDs and variable-length integers; dimension records, init quanta and
 * refs as JSON; compression and checksums.
 */
final class QuantumGraphCodec {

  private QuantumGraphCodec() {}

  /** Dataset types, runs and tasks by index, so that quanta refer to them by number. */
  static final class Tables {
    final List<DatasetType> types = new ArrayList<>();
    final Map<String, Integer> typeIndex = new LinkedHashMap<>();
    final List<String> runs = new ArrayList<>();
    final Map<String, Integer> runIndex = new LinkedHashMap<>();
    final List<String> tasks = new ArrayList<>();
    final Map<String, Integer> taskIndex = new LinkedHashMap<>();
    final List<DimensionGroup> taskDims = new ArrayList<>();
    final List<List<String>> connections = new ArrayList<>();

    static Tables of(QuantumGraph g) {
      Tables t = new Tables();
      g.datasetTypes().values().forEach(t::type);
      for (QuantumGraph.Quantum q : g.quanta()) {
        int ti =
            t.taskIndex.computeIfAbsent(
                q.taskLabel(),
                k -> {
                  t.tasks.add(k);
                  t.taskDims.add(q.dataId().dimensions());
                  t.connections.add(new ArrayList<>());
                  return t.tasks.size() - 1;
                });
        for (Map<String, List<DatasetRef>> side : List.of(q.inputs(), q.outputs())) {
          for (Map.Entry<String, List<DatasetRef>> e : side.entrySet()) {
            if (!t.connections.get(ti).contains(e.getKey())) {
              t.connections.get(ti).add(e.getKey());
            }
            String last = null;
            for (DatasetRef r : e.getValue()) {
              if (r.run() != last) { // refs of one connection mostly share one run object
                last = r.run();
                t.run(last);
              }
            }
          }
        }
      }
      return t;
    }

    int type(DatasetType d) {
      return typeIndex.computeIfAbsent(
          d.name(),
          k -> {
            types.add(d);
            return types.size() - 1;
          });
    }

    int run(String r) {
      return runIndex.computeIfAbsent(
          r,
          k -> {
            runs.add(k);
            return runs.size() - 1;
          });
    }

    Map<String, DatasetType> typesByName() {
      Map<String, DatasetType> m = new LinkedHashMap<>();
      types.forEach(d -> m.put(d.name(), d));
      return m;
    }

    Map<String, Object> toJson() {
      List<Map<String, Object>> ts = new ArrayList<>();
      for (DatasetType d : types) {
        ts.add(typeJson(d));
      }
      List<Map<String, Object>> tk = new ArrayList<>();
      for (int i = 0; i < tasks.size(); i++) {
        tk.add(
            Map.of(
                "label",
                tasks.get(i),
                "dimensions",
                taskDims.get(i).names(),
                "connections",
                connections.get(i)));
      }
      return Map.of("dataset_types", ts, "runs", runs, "tasks", tk);
    }

    @SuppressWarnings("unchecked")
    static Tables fromJson(Map<String, Object> json, DimensionUniverse u) {
      Tables t = new Tables();
      for (Map<String, Object> d : (List<Map<String, Object>>) json.get("dataset_types")) {
        t.type(typeFromJson(d, u));
      }
      ((List<String>) json.get("runs")).forEach(t::run);
      for (Map<String, Object> k : (List<Map<String, Object>>) json.get("tasks")) {
        t.tasks.add((String) k.get("label"));
        t.taskIndex.put((String) k.get("label"), t.tasks.size() - 1);
        t.taskDims.add(u.group((List<String>) k.get("dimensions")));
        t.connections.add((List<String>) k.get("connections"));
      }
      return t;
    }

    void writeQuantum(DataOutputStream out, QuantumGraph.Quantum q) throws IOException {
      writeUuid(out, q.id());
      int ti = taskIndex.get(q.taskLabel());
      writeVar(out, ti);
      writeValues(out, q.dataId());
      for (Map<String, List<DatasetRef>> side : List.of(q.inputs(), q.outputs())) {
        writeVar(out, side.size());
        for (Map.Entry<String, List<DatasetRef>> e : side.entrySet()) {
          writeVar(out, connections.get(ti).indexOf(e.getKey()));
          writeVar(out, e.getValue().size());
          for (DatasetRef r : e.getValue()) {
            writeUuid(out, r.id());
            writeVar(out, typeIndex.get(r.datasetType().name()));
            writeVar(out, runIndex.get(r.run()));
            writeValues(out, r.dataId());
          }
        }
      }
    }

    QuantumGraph.Quantum readQuantum(DataInputStream in) throws IOException {
      UUID id = readUuid(in);
      int ti = (int) readVar(in);
      DataCoordinate dataId = readValues(in, taskDims.get(ti));
      List<Map<String, List<DatasetRef>>> sides = new ArrayList<>();
      for (int s = 0; s < 2; s++) {
        Map<String, List<DatasetRef>> side = new LinkedHashMap<>();
        int nc = (int) readVar(in);
        for (int c = 0; c < nc; c++) {
          String name = connections.get(ti).get((int) readVar(in));
          int nr = (int) readVar(in);
          List<DatasetRef> refs = new ArrayList<>(nr);
          for (int r = 0; r < nr; r++) {
            UUID rid = readUuid(in);
            DatasetType type = types.get((int) readVar(in));
            String run = runs.get((int) readVar(in));
            refs.add(new DatasetRef(type, readValues(in, type.dimensions()), run, rid));
          }
          side.put(name, refs);
        }
        sides.add(side);
      }
      return new QuantumGraph.Quantum(id, tasks.get(ti), dataId, sides.get(0), sides.get(1));
    }
  }

  static Map<String, Object> typeJson(DatasetType d) {
    return Map.of(
        "name", d.name(),
        "dimensions", d.dimensions().names(),
        "storage_class", d.storageClass(),
        "is_calibration", d.isCalibration());
  }

  @SuppressWarnings("unchecked")
  static DatasetType typeFromJson(Map<String, Object> d, DimensionUniverse u) {
    return DatasetType.of(
        (String) d.get("name"),
        u.group((List<String>) d.get("dimensions")),
        (String) d.get("storage_class"),
        Boolean.TRUE.equals(d.get("is_calibration")));
  }

  static void writeValues(DataOutputStream out, DataCoordinate d) throws IOException {
    for (Object v : d.requiredValues()) {
      if (v instanceof Number n) {
        out.writeByte('L');
        writeVar(out, n.longValue());
      } else {
        out.writeByte('S');
        out.writeUTF(String.valueOf(v));
      }
    }
  }

  static void writeUuid(DataOutputStream out, UUID id) throws IOException {
    out.writeLong(id.getMostSignificantBits());
    out.writeLong(id.getLeastSignificantBits());
  }

  static UUID readUuid(DataInputStream in) throws IOException {
    return new UUID(in.readLong(), in.readLong());
  }

  /** Zigzag varints: small numbers in one byte. */
  static void writeVar(DataOutputStream out, long v) throws IOException {
    long z = (v << 1) ^ (v >> 63);
    while ((z & ~0x7FL) != 0) {
      out.writeByte((int) ((z & 0x7F) | 0x80));
      z >>>= 7;
    }
    out.writeByte((int) z);
  }

  static long readVar(DataInputStream in) throws IOException {
    long z = 0;
    int shift = 0;
    while (true) {
      int b = in.readUnsignedByte();
      z |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
      shift += 7;
    }
    return (z >>> 1) ^ -(z & 1);
  }

  static byte[] deflate(byte[] data) {
    return deflate(data, data.length);
  }

  static int crc(byte[] data) {
    java.util.zip.CRC32C c = new java.util.zip.CRC32C();
    c.update(data);
    return (int) c.getValue();
  }

  static byte[] deflate(byte[] data, int length) {
    Deflater d = new Deflater(Deflater.BEST_SPEED);
    d.setInput(data, 0, length);
    d.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 3));
    byte[] buf = new byte[1 << 16];
    while (!d.finished()) {
      out.write(buf, 0, d.deflate(buf));
    }
    d.end();
    return out.toByteArray();
  }

  static byte[] inflate(byte[] data) throws IOException {
    Inflater i = new Inflater();
    i.setInput(data);
    ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 3);
    byte[] buf = new byte[1 << 16];
    try {
      while (!i.finished()) {
        int n = i.inflate(buf);
        if (n == 0 && (i.needsInput() || i.needsDictionary())) {
          throw new IOException("a compressed section is truncated");
        }
        out.write(buf, 0, n);
      }
    } catch (DataFormatException e) {
      throw new IOException("a compressed section is damaged: " + e.getMessage(), e);
    } finally {
      i.end();
    }
    return out.toByteArray();
  }

  static Map<String, List<Map<String, Object>>> records(List<DimensionRecord> records) {
    Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
    for (DimensionRecord r : records) {
      Map<String, Object> m = new LinkedHashMap<>();
      r.toMap()
          .forEach(
              (k, v) -> {
                if (v instanceof Timespan t) {
                  m.put(k, List.of(t.begin(), t.end()));
                } else if (v instanceof Region g) {
                  m.put(k, Map.of("region", g.encodeBase64()));
                } else {
                  m.put(k, v);
                }
              });
      out.computeIfAbsent(r.element().name(), k -> new ArrayList<>()).add(m);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<DimensionRecord> readRecords(
      Map<String, List<Map<String, Object>>> json, DimensionUniverse u) {
    List<DimensionRecord> out = new ArrayList<>();
    json.forEach(
        (element, recs) -> {
          for (Map<String, Object> m : recs) {
            Map<String, Object> fields = new LinkedHashMap<>();
            m.forEach(
                (k, v) -> {
                  if (v instanceof List<?> l && l.size() == 2 && k.equals("timespan")) {
                    fields.put(
                        k,
                        Timespan.of(
                            ((Number) l.get(0)).longValue(), ((Number) l.get(1)).longValue()));
                  } else if (v instanceof Map<?, ?> g && g.containsKey("region")) {
                    fields.put(k, Region.decodeBase64((String) g.get("region")));
                  } else {
                    fields.put(k, v);
                  }
                });
            out.add(DimensionRecord.of(u.element(element), fields));
          }
        });
    return out;
  }

  static List<Map<String, Object>> init(List<QuantumGraph.InitQuantum> init) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (QuantumGraph.InitQuantum q : init) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("task", q.taskLabel());
      m.put("inputs", refsJson(q.initInputs()));
      m.put("outputs", refsJson(q.initOutputs()));
      out.add(m);
    }
    return out;
  }

  static Map<String, List<Map<String, Object>>> refsJson(Map<String, List<DatasetRef>> side) {
    Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
    side.forEach(
        (k, refs) -> {
          List<Map<String, Object>> l = new ArrayList<>();
          for (DatasetRef r : refs) {
            l.add(Map.of("id", r.id().toString(), "type", r.datasetType().name(), "run", r.run()));
          }
          out.put(k, l);
        });
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<QuantumGraph.InitQuantum> readInit(List<Map<String, Object>> json, Tables t) {
    List<QuantumGraph.InitQuantum> out = new ArrayList<>();
    for (Map<String, Object> m : json) {
      List<Map<String, List<DatasetRef>>> sides = new ArrayList<>();
      for (String side : List.of("inputs", "outputs")) {
        Map<String, List<DatasetRef>> refs = new LinkedHashMap<>();
        ((Map<String, List<Map<String, Object>>>) m.get(side))
            .forEach(
                (k, l) -> {
                  List<DatasetRef> rs = new ArrayList<>();
                  for (Map<String, Object> r : l) {
                    DatasetType type = t.types.get(t.typeIndex.get((String) r.get("type")));
                    rs.add(
                        new DatasetRef(
                            type,
                            DataCoordinate.empty(type.dimensions().universe()),
                            (String) r.get("run"),
                            UUID.fromString((String) r.get("id"))));
                  }
                  refs.put(k, rs);
                });
        sides.add(refs);
      }
      out.add(new QuantumGraph.InitQuantum((String) m.get("task"), sides.get(0), sides.get(1)));
    }
    return out;
  }

  /** A growable byte buffer without the locking of ByteArrayOutputStream. */
  static final class Buffer extends java.io.OutputStream {
    private byte[] buf;
    private int size;

    Buffer(int capacity) {
      buf = new byte[Math.max(64, capacity)];
    }

    @Override
    public void write(int b) {
      if (size == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      buf[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (size + len > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + len));
      }
      System.arraycopy(b, off, buf, size, len);
      size += len;
    }

    byte[] bytes() {
      return buf;
    }

    int size() {
      return size;
    }
  }

  static DataCoordinate readValues(DataInputStream in, DimensionGroup g) throws IOException {
    Object[] values = new Object[g.required().size()];
    for (int i = 0; i < values.length; i++) {
      int tag = in.readByte();
      values[i] = tag == 'L' ? (Object) readVar(in) : in.readUTF();
    }
    return DataCoordinate.ofRequired(g, values);
  }
}
