package org.jbutler.schema;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The YAML mappers every module shares (internal: no compatibility promise). Mappers are
 * thread-safe once configured; callers must not reconfigure them.
 */
public final class Yaml {

  private static final ObjectMapper STRICT =
      new ObjectMapper(
          YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private static final ObjectMapper LENIENT = new ObjectMapper(new YAMLFactory());

  private Yaml() {}

  /** A mapper that refuses duplicate keys: for the configuration loaders. */
  public static ObjectMapper strict() {
    return STRICT;
  }

  /** A mapper with Jackson's defaults (duplicate keys: the last wins), for what was read so. */
  public static ObjectMapper lenient() {
    return LENIENT;
  }
}
