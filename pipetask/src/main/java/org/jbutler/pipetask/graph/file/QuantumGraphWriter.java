package org.jbutler.pipetask.graph.file;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jbutler.pipetask.graph.QuantumGraph;
import org.jbutler.schema.dimensions.DimensionUniverse;

/** Writes a quantum graph file (the format {@link QuantumGraphFile} describes). */
final class QuantumGraphWriter {

  private QuantumGraphWriter() {}

  /** Writes a graph (atomically: a temporary file beside it, then a rename). */
  static void write(QuantumGraph graph, DimensionUniverse universe, Path file) {
    QuantumGraphCodec.Tables tables = QuantumGraphCodec.Tables.of(graph);
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
      sections.put(
          "header", QuantumGraphCodec.deflate(QuantumGraphFile.JSON.writeValueAsBytes(header)));
      sections.put(
          "universe",
          QuantumGraphCodec.deflate(universe.configText().getBytes(StandardCharsets.UTF_8)));
      sections.put(
          "pipeline",
          QuantumGraphCodec.deflate(graph.pipelineYaml().getBytes(StandardCharsets.UTF_8)));
      sections.put(
          "tables",
          QuantumGraphCodec.deflate(QuantumGraphFile.JSON.writeValueAsBytes(tables.toJson())));
      sections.put(
          "records",
          QuantumGraphCodec.deflate(
              QuantumGraphFile.JSON.writeValueAsBytes(QuantumGraphCodec.records(graph.records()))));
      sections.put(
          "init",
          QuantumGraphCodec.deflate(
              QuantumGraphFile.JSON.writeValueAsBytes(QuantumGraphCodec.init(graph.initQuanta()))));
      // Quanta in blocks (serialized and deflated in parallel); the index maps each UUID to its
      // block and place in it.
      List<QuantumGraph.Quantum> all = graph.quanta();
      int nBlocks = (all.size() + QuantumGraphFile.BLOCK - 1) / QuantumGraphFile.BLOCK;
      byte[][] packed = new byte[nBlocks][];
      java.util.stream.IntStream.range(0, nBlocks)
          .parallel()
          .forEach(
              b -> {
                List<QuantumGraph.Quantum> block =
                    all.subList(
                        b * QuantumGraphFile.BLOCK,
                        Math.min(all.size(), (b + 1) * QuantumGraphFile.BLOCK));
                try {
                  QuantumGraphCodec.Buffer raw = new QuantumGraphCodec.Buffer(block.size() * 256);
                  DataOutputStream out = new DataOutputStream(raw);
                  QuantumGraphCodec.writeVar(out, block.size());
                  for (QuantumGraph.Quantum q : block) {
                    tables.writeQuantum(out, q);
                  }
                  out.flush();
                  packed[b] = QuantumGraphCodec.deflate(raw.bytes(), raw.size());
                } catch (IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
      ByteArrayOutputStream quanta = new ByteArrayOutputStream();
      List<long[]> index = new ArrayList<>(all.size());
      for (int b = 0; b < nBlocks; b++) {
        long offset = quanta.size();
        quanta.write(packed[b]);
        int end = Math.min(all.size(), (b + 1) * QuantumGraphFile.BLOCK);
        for (int i = b * QuantumGraphFile.BLOCK; i < end; i++) {
          UUID id = all.get(i).id();
          index.add(
              new long[] {
                id.getMostSignificantBits(),
                id.getLeastSignificantBits(),
                offset,
                packed[b].length,
                i - b * QuantumGraphFile.BLOCK
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
      long offset = QuantumGraphFile.MAGIC.length + 2 + 2 + 4 + tableSize;
      for (Map.Entry<String, byte[]> e : sections.entrySet()) {
        t.writeUTF(e.getKey());
        t.writeLong(offset);
        t.writeLong(e.getValue().length);
        t.writeInt(QuantumGraphCodec.crc(e.getValue()));
        offset += e.getValue().length;
      }
      Path tmp = file.resolveSibling("." + file.getFileName() + ".part");
      try (DataOutputStream f =
          new DataOutputStream(
              new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
        f.write(QuantumGraphFile.MAGIC);
        f.writeShort(QuantumGraphFile.MAJOR);
        f.writeShort(QuantumGraphFile.MINOR);
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
}
