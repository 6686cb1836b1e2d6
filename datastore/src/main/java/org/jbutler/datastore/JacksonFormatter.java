package org.jbutler.datastore;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Structured data (maps, lists, numbers, records) as JSON or YAML, through Jackson. */
public final class JacksonFormatter implements Formatter {

  private final ObjectMapper mapper;
  private final String extension;

  private JacksonFormatter(ObjectMapper mapper, String extension) {
    this.mapper = mapper;
    this.extension = extension;
  }

  /** The JSON formatter. */
  public static JacksonFormatter json() {
    return new JacksonFormatter(new ObjectMapper(), ".json");
  }

  /** The YAML formatter. */
  public static JacksonFormatter yaml() {
    return new JacksonFormatter(org.jbutler.schema.Yaml.lenient(), ".yaml");
  }

  @Override
  public String name() {
    return getClass().getName() + (extension.equals(".json") ? ".json" : ".yaml");
  }

  @Override
  public String extension() {
    return extension;
  }

  @Override
  public void write(Object object, Path file) {
    try {
      mapper.writeValue(file.toFile(), object);
    } catch (IOException e) {
      throw new ArtifactException(
          "Cannot write " + file + " as " + extension.substring(1) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public Object read(Path file, Class<?> type, String component, Map<String, Object> parameters) {
    checkParameters(parameters);
    try {
      Class<?> target = type == null ? Object.class : type;
      Object whole = mapper.readValue(file.toFile(), target);
      if (component == null) {
        return whole;
      }
      if (whole instanceof Map<?, ?> m && m.containsKey(component)) {
        return m.get(component);
      }
      throw new ArtifactException(file + " has no component '" + component + "'.");
    } catch (JsonProcessingException e) {
      throw new ArtifactException(
          "Cannot read "
              + file
              + ": it is not valid "
              + extension.substring(1)
              + " ("
              + e.getOriginalMessage()
              + ").",
          e);
    } catch (IOException e) {
      throw new ArtifactException("Cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
