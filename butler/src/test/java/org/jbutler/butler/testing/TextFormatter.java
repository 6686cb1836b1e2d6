package org.jbutler.butler.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jbutler.datastore.Formatter;

/**
 * A formatter that no jbutler module knows: plain text files for a {@code String} storage class. A
 * repository uses it by naming it in {@code butler.yaml} (proof that a formatter needs no core
 * change).
 */
public final class TextFormatter implements Formatter {

  @Override
  public String extension() {
    return ".txt";
  }

  @Override
  public void write(Object object, Path file) {
    try {
      Files.writeString(file, "TEXT:" + object, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public Object read(Path file, Class<?> type, String component, Map<String, Object> parameters) {
    try {
      String s = Files.readString(file, StandardCharsets.UTF_8);
      return s.startsWith("TEXT:") ? s.substring(5) : s;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
