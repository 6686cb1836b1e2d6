package org.jbutler.pipetask.graph.file;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.UUID;
import org.jbutler.pipetask.graph.QuantumGraph;
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
  static final int INDEX_ENTRY = 8 + 8 + 8 + 4 + 2;
  static final ObjectMapper JSON = new ObjectMapper();

  private QuantumGraphFile() {}

  // ------------------------------------------------------------------ writing

  /** Writes a graph (atomically: a temporary file beside it, then a rename). */
  public static void write(QuantumGraph graph, DimensionUniverse universe, Path file) {
    QuantumGraphWriter.write(graph, universe, file);
  }

  // ------------------------------------------------------------------ reading

  /**
   * Opens a graph file.
   *
   * @throws InvalidConfigException if it is missing, not a graph file, or of another major version
   */
  public static QuantumGraphReader open(Path file) {
    try {
      return new QuantumGraphReader(file);
    } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
      throw new InvalidConfigException("No quantum graph file " + file + ".", e);
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  static org.jbutler.schema.exceptions.ButlerException unreadable(Path file, IOException e) {
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
    try (QuantumGraphReader r = open(file)) {
      return r.subgraph(ids);
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }

  /** Reads a whole graph file. */
  public static QuantumGraph read(Path file) {
    try (QuantumGraphReader r = open(file)) {
      return r.graph();
    } catch (IOException e) {
      throw unreadable(file, e);
    }
  }
}
