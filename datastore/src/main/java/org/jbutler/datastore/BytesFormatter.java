package org.jbutler.datastore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Raw bytes, written and read as they are. */
public final class BytesFormatter implements Formatter {

  @Override
  public String extension() {
    return ".bin";
  }

  @Override
  public void write(Object object, Path file) {
    try {
      Files.write(file, Formatter.expect(object, byte[].class, this));
    } catch (IOException e) {
      throw new ArtifactException("Cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Object read(Path file, Class<?> type, String component, Map<String, Object> parameters) {
    checkParameters(parameters);
    if (component != null) {
      throw new ArtifactException("Bytes have no components (asked for '" + component + "').");
    }
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new ArtifactException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
