package org.jbutler.pipetask.graph.file;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jbutler.pipetask.graph.QuantumGraph;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.InvalidConfigException;

/**
 * An open graph file ({@link QuantumGraphFile#open}): its header, tables and index, for reading the
 * whole graph, a subgraph, or one quantum at a time (a binary search of the index, then one block).
 */
public final class QuantumGraphReader implements AutoCloseable {
  private final Path file;
  private final RandomAccessFile raf;
  private final Map<String, long[]> sections = new LinkedHashMap<>();
  private final java.util.Set<String> verified = new java.util.HashSet<>();
  private boolean checksums;
  private Map<String, Object> header;
  private DimensionUniverse universe;
  private QuantumGraphCodec.Tables tables;

  QuantumGraphReader(Path file) throws IOException {
    this.file = file;
    this.raf = new RandomAccessFile(file.toFile(), "r");
    byte[] magic = new byte[QuantumGraphFile.MAGIC.length];
    try {
      raf.readFully(magic);
    } catch (EOFException e) {
      throw notAGraph();
    }
    if (!Arrays.equals(magic, QuantumGraphFile.MAGIC)) {
      throw notAGraph();
    }
    int major = raf.readUnsignedShort();
    int minor = raf.readUnsignedShort();
    if (major != QuantumGraphFile.MAJOR) {
      throw new InvalidConfigException(
          file
              + " is a quantum graph of format "
              + major
              + "."
              + minor
              + "; this jbutler reads format "
              + QuantumGraphFile.MAJOR
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
    if (checksums && verified.add(name) && (QuantumGraphCodec.crc(bytes) & 0xffffffffL) != s[2]) {
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
      header =
          QuantumGraphFile.JSON.readValue(QuantumGraphCodec.inflate(section("header")), Map.class);
    }
    return header;
  }

  /** The pipeline YAML. */
  public synchronized String pipelineYaml() throws IOException {
    return new String(QuantumGraphCodec.inflate(section("pipeline")), StandardCharsets.UTF_8);
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
              : DimensionUniverse.fromYaml(
                  new String(QuantumGraphCodec.inflate(stored), StandardCharsets.UTF_8));
    }
    return universe;
  }

  private synchronized QuantumGraphCodec.Tables tables() throws IOException {
    if (tables == null) {
      tables =
          QuantumGraphCodec.Tables.fromJson(
              QuantumGraphFile.JSON.readValue(
                  QuantumGraphCodec.inflate(section("tables")), Map.class),
              universe());
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
    long n = s[1] / QuantumGraphFile.INDEX_ENTRY;
    long lo = 0;
    long hi = n - 1;
    while (lo <= hi) {
      long mid = (lo + hi) >>> 1;
      raf.seek(s[0] + mid * QuantumGraphFile.INDEX_ENTRY);
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
            || position >= QuantumGraphFile.BLOCK) {
          throw damaged("its index entry for quantum " + id + " points outside the quanta");
        }
        byte[] block = new byte[length];
        raf.seek(q[0] + offset);
        raf.readFully(block);
        DataInputStream in =
            new DataInputStream(new ByteArrayInputStream(QuantumGraphCodec.inflate(block)));
        int count = (int) QuantumGraphCodec.readVar(in);
        QuantumGraphCodec.Tables t = tables();
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
    QuantumGraphCodec.Tables t = tables();
    List<QuantumGraph.Quantum> quanta = new ArrayList<>();
    long[] q = sections.get("quanta");
    byte[] all = section("quanta");
    List<long[]> blocks = new ArrayList<>();
    // Blocks follow each other; walk them via the index's distinct offsets.
    java.util.TreeMap<Long, Integer> starts = new java.util.TreeMap<>();
    long[] s = sections.get("index");
    byte[] idx = section("index");
    DataInputStream ii = new DataInputStream(new ByteArrayInputStream(idx));
    for (long i = 0; i < s[1] / QuantumGraphFile.INDEX_ENTRY; i++) {
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
      DataInputStream in =
          new DataInputStream(new ByteArrayInputStream(QuantumGraphCodec.inflate(packed)));
      int count = (int) QuantumGraphCodec.readVar(in);
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
    QuantumGraphCodec.Tables t = tables();
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
        QuantumGraphCodec.readRecords(
            QuantumGraphFile.JSON.readValue(
                QuantumGraphCodec.inflate(section("records")),
                new TypeReference<Map<String, List<Map<String, Object>>>>() {}),
            u);
    List<QuantumGraph.InitQuantum> init =
        QuantumGraphCodec.readInit(
            QuantumGraphFile.JSON.readValue(
                QuantumGraphCodec.inflate(section("init")),
                new TypeReference<List<Map<String, Object>>>() {}),
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
