package org.jbutler.datastore;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Writes one kind of in-memory object to a file and reads it back, whole or in part.
 *
 * <p>Read parameters: {@code bbox} (a {@link Box}) for images and exposures, {@code columns} (a
 * list of names) for tables. Components: {@code image}, {@code mask}, {@code variance}, {@code
 * metadata}, {@code bbox} for exposures; {@code metadata} and {@code bbox} for images.
 */
public interface Formatter {

  /** The name recorded with each artifact (the class name, as daf_butler records it). */
  default String name() {
    return getClass().getName();
  }

  /** The file extension, with its dot. */
  String extension();

  /** The read parameters this formatter understands. */
  default Set<String> parameters() {
    return Set.of();
  }

  /**
   * Writes an object to a new file.
   *
   * @throws ArtifactException if the object is of the wrong type or cannot be written
   */
  void write(Object object, Path file);

  /**
   * Reads an object, or one component of it, applying read parameters.
   *
   * @param type the in-memory type wanted (from the storage class)
   * @param component null for the whole object
   * @throws ArtifactException for a damaged file, an unknown component or parameter
   */
  Object read(Path file, Class<?> type, String component, Map<String, Object> parameters);

  /** Checks parameters against {@link #parameters()}. */
  default void checkParameters(Map<String, Object> parameters) {
    for (String p : parameters.keySet()) {
      if (!parameters().contains(p)) {
        throw new ArtifactException(
            getClass().getSimpleName()
                + " does not understand the read parameter '"
                + p
                + "'"
                + (parameters().isEmpty() ? "" : "; it accepts " + String.join(", ", parameters()))
                + ".");
      }
    }
  }

  /** Casts an object to the type this formatter writes, with a clear error. */
  static <T> T expect(Object object, Class<T> type, Formatter f) {
    if (!type.isInstance(object)) {
      throw new ArtifactException(
          f.getClass().getSimpleName()
              + " writes "
              + type.getSimpleName()
              + ", not "
              + (object == null ? "null" : object.getClass().getName())
              + ".");
    }
    return type.cast(object);
  }
}
