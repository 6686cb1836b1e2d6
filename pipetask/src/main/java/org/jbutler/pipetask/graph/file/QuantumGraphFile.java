package org.jbutler.pipetask.graph.file;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
import org.jbutler.schema.Region;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionGroup;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.InvalidConfigException;

/**
 * The quantum graph file: {@code JBQGRAPH}, a major and minor version, a table of sections, then
 * the sections, each compressed on its own — header, universe, pipeline, tables (dataset types,
 * runs, tasks), dimension records, init quanta, the quanta in blocks of up to {@value #BLOCK}
 * (deflated binary), and an index sorted by quantum UUID, so that one quantum is read by a binary
 * search and one block without loading the others. Written to a temporary file and renamed.
 *
 * <p>From format 1.1, the table of sections carries a CRC-32C of each section; a reader checks a
 * section's checksum when it first reads it (the index as a whole before its first lookup, the
 * quanta block by block through deflate's own Adler-32), so damage is reported as damage (exit code
 * 5), never as a wrong answer or a crash. Files of format 1.0 (no checksums) are still read.
 */
public final class QuantumGraphFile {

  /** The file's magic bytes. */
  static final byte[] MAGIC = "JBQGRAPH".getBytes(StandardCharsets.US_ASCII);

  /** The format's major version: readers refuse another. */
  public static final int MAJOR = 1;

  /** The format's minor version: additions a reader of the same major may ignore. */
  public static final int MINOR = 1;

  static final int BLOCK = 64;
  private static final int INDEX_ENTRY = 8 + 8 + 8 + 4 + 2;
  private static final ObjectMapper JSON = new ObjectMapper();

  private QuantumGraphFile() {}

  // ------------------------------------------------------------------ writing

  /** Writes a graph (atomically: a temporary file beside it, then a rename). */
  public static void write(QuantumGraph graph, DimensionUniverse universe, Path file) {
    Tables tables = Tables.of(graph);
    Map<String, byte[]> sections = new LinkedHashMap<>();
    try {
      Map<String, Object> header = new LinkedHashMap<>();
      QuantumGraph.Header h = graph.header();
      header.put("inputs", h.inputs());
      header.put("output_run", h.outputRun());
      header.put("output", h.outputChain());
      header.put("data_query", h.dataQuery());
      header.put("user", h.user());
      header.put("created", h.created());
      header.put("command", h.command());
      header.put("universe_version", h.universeVersion());
      header.put("universe_namespace", h.universeNamespace());
      header.put("n_quanta", graph.quanta().size());
      header.put("n_task_quanta", graph.quantaPerTask());
      header.put("n_datasets", graph.datasetsPerType());
      header.put("n_task_skipped", graph.skippedAtBuild());
      sections.put("header", deflate(JSON.writeValueAsBytes(header)));
      sections.put("universe", deflate(universe.configText().getBytes(StandardCharsets.UTF_8)));
      sections.put("pipeline", deflate(graph.pipelineYaml().getBytes(StandardCharsets.UTF_8)));
      sections.put("tables", deflate(JSON.writeValueAsBytes(tables.toJson())));
      sections.put("records", deflate(JSON.writeValueAsBytes(records(graph.records()))));
      sections.put("init", deflate(JSON.writeValueAsBytes(init(graph.initQuanta()))));
      // Quanta in blocks (serialized and deflated in parallel); the index maps each UUID to its
      // block and place in it.
      List<QuantumGraph.Quantum> all = graph.quanta();
      int nBlocks = (all.size() + BLOCK - 1) / BLOCK;
      byte[][] packed = new byte[nBlocks][];
      java.util.stream.IntStream.range(0, nBlocks)
          .parallel()
          .forEach(
              b -> {
                List<QuantumGraph.Quantum> block =
                    all.subList(b * BLOCK, Math.min(all.size(), (b + 1) * BLOCK));
                try {
                  Buffer raw = new Buffer(block.size() * 256);
                  DataOutputStream out = new DataOutputStream(raw);
                  writeVar(out, block.size());
                  for (QuantumGraph.Quantum q : block) {
                    tables.writeQuantum(out, q);
                  }
                  out.flush();
                  packed[b] = deflate(raw.bytes(), raw.size());
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      ByteArrayOutputStream quanta = new ByteArrayOutputStream();
      List<long[]> index = new ArrayList<>(all.size());
      for (int b = 0; b < nBlocks; b++) {
        long offset = quanta.size();
        quanta.write(packed[b]);
        int end = Math.min(all.size(), (b + 1) * BLOCK);
        for (int i = b * BLOCK; i < end; i++) {
          UUID id = all.get(i).id();
          index.add(
              new long[] {
                id.getMostSignificantBits(),
                id.getLeastSignificantBits(),
                offset,
                packed[b].length,
                i - b * BLOCK
              });
        }
      }
      sections.put("quanta", quanta.toByteArray());
      index.sort(
          (a, b) -> {
            int c = Long.compareUnsigned(a[0], b[0]);
            return c != 0 ? c : Long.compareUnsigned(a[1], b[1]);
          });
      ByteArrayOutputStream idx = new ByteArrayOutputStream();
      DataOutputStream io = new DataOutputStream(idx);
      for (long[] e : index) {
        io.writeLong(e[0]);
        io.writeLong(e[1]);
        io.writeLong(e[2]);
        io.writeInt((int) e[3]);
        io.writeShort((int) e[4]);
      }
      io.flush();
      sections.put("index", idx.toByteArray());
      // Header, section table, sections.
      ByteArrayOutputStream table = new ByteArrayOutputStream();
      DataOutputStream t = new DataOutputStream(table);
      int tableSize = 0;
      for (String name : sections.keySet()) {
        tableSize += 2 + name.getBytes(StandardCharsets.UTF_8).length + 16 + 4;
      }
      long offset = MAGIC.length + 2 + 2 + 4 + tableSize;
      for (Map.Entry<String, byte[]> e : sections.entrySet()) {
        t.writeUTF(e.getKey());
        t.writeLong(offset);
        t.writeLong(e.getValue().length);
        t.writeInt(crc(e.getValue()));
        offset += e.getValue().length;
      }
      Path tmp = file.resolveSibling("." + file.getFileName() + ".part");
      try (DataOutputStream f =
          new DataOutputStream(
              new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
        f.write(MAGIC);
        f.writeShort(MAJOR);
        f.writeShort(MINOR);
        f.writeInt(sections.size());
        f.write(table.toByteArray());
        for (byte[] s : sections.values()) {
          f.write(s);
        }
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw org.jbutler.schema.exceptions.IoFailureException.of(
          "Cannot write the quantum graph " + file, e);
    }
  }

  // ------------------------------------------------------------------ reading

  /** An open graph file: its header, tables and index, for reading quanta. */
  public static final class Reader implements AutoCloseable {
    private final Path file;
    private final RandomAccessFile raf;
    private final Map<String, long[]> sections = new LinkedHashMap<>();
    private final java.util.Set<String> verified = new java.util.HashSet<>();
    private boolean checksums;
    private Map<String, Object> header;
    private DimensionUniverse universe;
    private Tables tables;

    private Reader(Path file) throws IOException {
      this.file = file;
      this.raf = new RandomAccessFile(file.toFile(), "r");
      byte[] magic = new byte[MAGIC.length];
      try {
        raf.readFully(magic);
      } catch (EOFException e) {
        throw notAGraph();
      }
      if (!Arrays.equals(magic, MAGIC)) {
        throw notAGraph();
      }
      int major = raf.readUnsignedShort();
      int minor = raf.readUnsignedShort();
      if (major != MAJOR) {
        throw new InvalidConfigException(
            file
                + " is a quantum graph of format "
                + major
                + "."
                + minor
                + "; this jbutler reads format "
                + MAJOR
                + ".x. Rebuild the graph with this version (pipetask qgraph).");
      }
      checksums = minor >= 1;
      int n = raf.readInt();
      if (n < 0 || n > 1000) {
        throw damaged("its table of sections is damaged");
      }
      long size = raf.length();
      for (int i = 0; i < n; i++) {
        String name = raf.readUTF();
        long offset = raf.readLong();
        long length = raf.readLong();
        long crc = checksums ? raf.readInt() & 0xffffffffL : -1;
        if (offset < 0 || length < 0 || length > Integer.MAX_VALUE || offset + length > size) {
          if (offset >= 0 && length >= 0 && length <= Integer.MAX_VALUE) {
            throw new java.io.EOFException("section '" + name + "' ends past the end of the file");
          }
          throw damaged("its table of sections is damaged (section '" + name + "')");
        }
        sections.put(name, new long[] {offset, length, crc});
      }
    }

    private org.jbutler.schema.exceptions.DamagedDataException damaged(String what) {
      return new org.jbutler.schema.exceptions.DamagedDataException(
          "The quantum graph "
              + file
              + " is damaged: "
              + what
              + ". Copy it again or rebuild it (pipetask qgraph ... -q FILE).");
    }

    private InvalidConfigException notAGraph() {
      return new InvalidConfigException(file + " is not a jbutler quantum graph file.");
    }

    private byte[] section(String name) throws IOException {
      long[] s = sections.get(name);
      if (s == null) {
        throw new InvalidConfigException(file + " has no '" + name + "' section; it is damaged.");
      }
      byte[] b = new byte[(int) s[1]];
      raf.seek(s[0]);
      raf.readFully(b);
      verify(name, b);
      return b;
    }

    /** Checks a section against its recorded CRC-32C (files of format 1.1 and later). */
    private void verify(String name, byte[] bytes) {
      long[] s = sections.get(name);
      if (checksums && verified.add(name) && (crc(bytes) & 0xffffffffL) != s[2]) {
        verified.remove(name);
        throw damaged("its '" + name + "' section fails its checksum");
      }
    }

    /** Runs a read, reporting malformed content that slipped past the checksums as damage. */
    private <T> T guarded(String what, java.util.concurrent.Callable<T> read) throws IOException {
      try {
        return read.call();
      } catch (IOException | org.jbutler.schema.exceptions.ButlerException e) {
        throw e;
      } catch (Exception e) {
        throw new org.jbutler.schema.exceptions.DamagedDataException(
            "The quantum graph "
                + file
                + " is damaged: reading "
                + what
                + " failed ("
                + e
                + "). Copy it again or rebuild it (pipetask qgraph ... -q FILE).",
            e);
      }
    }

    /** The header (inputs, output run, counts per task and dataset type, ...). */
    @SuppressWarnings("unchecked")
    public synchronized Map<String, Object> header() throws IOException {
      if (header == null) {
        header = JSON.readValue(inflate(section("header")), Map.class);
      }
      return header;
    }

    /** The pipeline YAML. */
    public synchronized String pipelineYaml() throws IOException {
      return new String(inflate(section("pipeline")), StandardCharsets.UTF_8);
    }

    /** The universe the graph's data IDs belong to. */
    public synchronized DimensionUniverse universe() throws IOException {
      if (universe == null) {
        DimensionUniverse d = DimensionUniverse.defaultUniverse();
        Map<String, Object> h = header();
        byte[] stored = section("universe"); // checked even when the default universe is used
        universe =
            Integer.valueOf(d.version()).equals(h.get("universe_version"))
                    && d.namespace().equals(h.get("universe_namespace"))
                ? d
                : DimensionUniverse.fromYaml(new String(inflate(stored), StandardCharsets.UTF_8));
      }
      return universe;
    }

    private synchronized Tables tables() throws IOException {
      if (tables == null) {
        tables = Tables.fromJson(JSON.readValue(inflate(section("tables")), Map.class), universe());
      }
      return tables;
    }

    /**
     * Reads one quantum by its ID, without reading the others (a binary search of the index and one
     * block).
     *
     * @throws InvalidConfigException if the graph has no such quantum
     */
    public synchronized QuantumGraph.Quantum quantum(UUID id) throws IOException {
      return guarded("quantum " + id, () -> quantumUnchecked(id));
    }

    private QuantumGraph.Quantum quantumUnchecked(UUID id) throws IOException {
      long[] s = sections.get("index");
      if (s == null) {
        throw damaged("it has no 'index' section");
      }
      if (checksums && !verified.contains("index")) {
        section("index"); // read whole once: a few MB for 100,000 quanta, checked in milliseconds
      }
      long n = s[1] / INDEX_ENTRY;
      long lo = 0;
      long hi = n - 1;
      while (lo <= hi) {
        long mid = (lo + hi) >>> 1;
        raf.seek(s[0] + mid * INDEX_ENTRY);
        long msb = raf.readLong();
        long lsb = raf.readLong();
        int c = Long.compareUnsigned(msb, id.getMostSignificantBits());
        if (c == 0) {
          c = Long.compareUnsigned(lsb, id.getLeastSignificantBits());
        }
        if (c == 0) {
          long offset = raf.readLong();
          int length = raf.readInt();
          int position = raf.readUnsignedShort();
          long[] q = sections.get("quanta");
          if (q == null
              || offset < 0
              || length <= 0
              || offset + length > q[1]
              || position >= BLOCK) {
            throw damaged("its index entry for quantum " + id + " points outside the quanta");
          }
          byte[] block = new byte[length];
          raf.seek(q[0] + offset);
          raf.readFully(block);
          DataInputStream in = new DataInputStream(new ByteArrayInputStream(inflate(block)));
          int count = (int) readVar(in);
          Tables t = tables();
          for (int i = 0; i < count; i++) {
            QuantumGraph.Quantum quantum = t.readQuantum(in);
            if (i == position) {
              return quantum;
            }
          }
          break;
        }
        if (c < 0) {
          lo = mid + 1;
        } else {
          hi = mid - 1;
        }
      }
      throw new InvalidConfigException("The quantum graph " + file + " has no quantum " + id + ".");
    }

    /** Reads the whole graph. */
    public synchronized QuantumGraph graph() throws IOException {
      return guarded("the graph", this::graphUnchecked);
    }

    @SuppressWarnings("unchecked")
    private QuantumGraph graphUnchecked() throws IOException {
      Tables t = tables();
      List<QuantumGraph.Quantum> quanta = new ArrayList<>();
      long[] q = sections.get("quanta");
      byte[] all = section("quanta");
      List<long[]> blocks = new ArrayList<>();
      // Blocks follow each other; walk them via the index's distinct offsets.
      java.util.TreeMap<Long, Integer> starts = new java.util.TreeMap<>();
      long[] s = sections.get("index");
      byte[] idx = section("index");
      DataInputStream ii = new DataInputStream(new ByteArrayInputStream(idx));
      for (long i = 0; i < s[1] / INDEX_ENTRY; i++) {
        ii.readLong();
        ii.readLong();
        long offset = ii.readLong();
        int length = ii.readInt();
        ii.readUnsignedShort();
        starts.put(offset, length);
      }
      for (Map.Entry<Long, Integer> b : starts.entrySet()) {
        blocks.add(new long[] {b.getKey(), b.getValue()});
      }
      for (long[] b : blocks) {
        byte[] packed = Arrays.copyOfRange(all, (int) b[0], (int) (b[0] + b[1]));
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(inflate(packed)));
        int count = (int) readVar(in);
        for (int i = 0; i < count; i++) {
          quanta.add(t.readQuantum(in));
        }
      }
      assert q != null;
      return assemble(quanta);
    }

    /**
     * Reads the graph with only some quanta (a cluster job's, or {@code --qgraph-node-id}'s), each
     * through the index: the other quanta's blocks are not read.
     *
     * @throws InvalidConfigException if an ID is not in the graph
     */
    public synchronized QuantumGraph subgraph(java.util.Collection<UUID> ids) throws IOException {
      List<QuantumGraph.Quantum> quanta = new ArrayList<>();
      for (UUID id : new java.util.LinkedHashSet<>(ids)) {
        quanta.add(quantum(id));
      }
      return guarded("the graph", () -> assemble(quanta));
    }

    @SuppressWarnings("unchecked")
    private QuantumGraph assemble(List<QuantumGraph.Quantum> quanta) throws IOException {
      Map<String, Object> h = header();
      Tables t = tables();
      DimensionUniverse u = universe();
      QuantumGraph.Header header =
          new QuantumGraph.Header(
              (List<String>) h.get("inputs"),
              (String) h.get("output_run"),
              (String) h.get("output"),
              (String) h.get("data_query"),
              (String) h.get("user"),
              (String) h.get("created"),
              (String) h.get("command"),
              ((Number) h.get("universe_version")).intValue(),
              (String) h.get("universe_namespace"));
      List<DimensionRecord> records =
          readRecords(
              JSON.readValue(
                  inflate(section("records")),
                  new TypeReference<Map<String, List<Map<String, Object>>>>() {}),
              u);
      List<QuantumGraph.InitQuantum> init =
          readInit(
              JSON.readValue(
                  inflate(section("init")), new TypeReference<List<Map<String, Object>>>() {}),
              t);
      Map<String, Integer> skipped = new LinkedHashMap<>();
      if (h.get("n_task_skipped") instanceof Map<?, ?> m) {
        m.forEach((k, v) -> skipped.put(String.valueOf(k), ((Number) v).intValue()));
      }
      return new QuantumGraph(
          header, pipelineYaml(), t.typesByName(), records, init, quanta, skipped);
    }

    @Override
    public void close() throws IOException {
      raf.close();
    }
  }

  /**
   * Opens a graph file.
   *
   * @throws InvalidConfigException if it is missing, not a graph file, or of another major version
   */
  public static Reader open(Path file) {
    try {
      return new Reader(file);
    } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
      throw new InvalidConfigException("No quantum graph file " + file + ".", e);
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  private static org.jbutler.schema.exceptions.ButlerException unreadable(
      Path file, IOException e) {
    if (e instanceof java.io.EOFException) {
      return new org.jbutler.schema.exceptions.DamagedDataException(
          "The quantum graph "
              + file
              + " is truncated (it ends inside its sections); copy it again or rebuild it.",
          e);
    }
    if (e.getMessage() != null && e.getMessage().contains("compressed section")) {
      return new org.jbutler.schema.exceptions.DamagedDataException(
          "The quantum graph " + file + " is damaged: " + e.getMessage() + ".", e);
    }
    return new InvalidConfigException(
        "Cannot read the quantum graph " + file + ": " + e.getMessage() + ".", e);
  }

  /** Reads a graph through an open reader, reporting read failures as {@link #read} does. */
  public static QuantumGraph subgraph(Path file, java.util.Collection<UUID> ids) {
    try (Reader r = open(file)) {
      return r.subgraph(ids);
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  /** Reads a whole graph file. */
  public static QuantumGraph read(Path file) {
    try (Reader r = open(file)) {
      return r.graph();
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  // ------------------------------------------------------------------ tables and encoding

  /** Dataset types, runs and tasks by index, so that quanta refer to them by number. */
  private static final class Tables {
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

  private static void writeValues(DataOutputStream out, DataCoordinate d) throws IOException {
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

  private static DataCoordinate readValues(DataInputStream in, DimensionGroup g)
      throws IOException {
    Object[] values = new Object[g.required().size()];
    for (int i = 0; i < values.length; i++) {
      int tag = in.readByte();
      values[i] = tag == 'L' ? (Object) readVar(in) : in.readUTF();
    }
    return DataCoordinate.ofRequired(g, values);
  }

  private static void writeUuid(DataOutputStream out, UUID id) throws IOException {
    out.writeLong(id.getMostSignificantBits());
    out.writeLong(id.getLeastSignificantBits());
  }

  private static UUID readUuid(DataInputStream in) throws IOException {
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

  private static byte[] deflate(byte[] data) {
    return deflate(data, data.length);
  }

  private static int crc(byte[] data) {
    java.util.zip.CRC32C c = new java.util.zip.CRC32C();
    c.update(data);
    return (int) c.getValue();
  }

  private static byte[] deflate(byte[] data, int length) {
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

  private static byte[] inflate(byte[] data) throws IOException {
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

  // ------------------------------------------------------------------ records and init

  private static Map<String, List<Map<String, Object>>> records(List<DimensionRecord> records) {
    Map<String, List<Map<String, Object>>> out = new LinkedHashMap<>();
    for (DimensionRecord r : records) {
      Map<String, Object> m = new LinkedHashMap<>();
      r.toMap()
          .forEach(
              (k, v) -> {
                if (v instanceof Timespan t) {
                  m.put(k, List.of(t.begin(), t.end()));
                } else if (v instanceof Region g) {
                  m.put(k, Map.of("region", g.encoded()));
                } else {
                  m.put(k, v);
                }
              });
      out.computeIfAbsent(r.element().name(), k -> new ArrayList<>()).add(m);
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static List<DimensionRecord> readRecords(
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
                    fields.put(k, new Region((String) g.get("region")));
                  } else {
                    fields.put(k, v);
                  }
                });
            out.add(DimensionRecord.of(u.element(element), fields));
          }
        });
    return out;
  }

  private static List<Map<String, Object>> init(List<QuantumGraph.InitQuantum> init) {
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

  private static Map<String, List<Map<String, Object>>> refsJson(
      Map<String, List<DatasetRef>> side) {
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
  private static List<QuantumGraph.InitQuantum> readInit(List<Map<String, Object>> json, Tables t) {
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
  private static final class Buffer extends java.io.OutputStream {
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
}
