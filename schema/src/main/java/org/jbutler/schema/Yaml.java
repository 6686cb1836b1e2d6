package org.jbutler.schema;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/** The YAML reader shared by the config loaders: strict about duplicate keys. */
final class Yaml {

  static final ObjectMapper MAPPER =
      new ObjectMapper(
          YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

  private Yaml() {}
}
