package org.jbutler.butler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jbutler.datastore.FileDatastore;
import org.jbutler.datastore.FileTemplates;
import org.jbutler.datastore.Formatters;
import org.jbutler.schema.StorageClassFactory;
import org.jbutler.schema.exceptions.InvalidConfigException;

/**
 * A repository's {@code butler.yaml}, read: where the registry is ({@code registry.db}), where the
 * datastore keeps its files ({@code datastore.root}), its file templates, formatters (by name or
 * class name), checksum, and daf_butler's top-level {@code storageClasses:}. {@code <butlerRoot>}
 * is replaced by the repository's directory.
 *
 * @param registryUrl the registry's JDBC URL (without a password: that comes from the environment)
 * @param datastoreRoot the directory the datastore writes under
 * @param templates {@code datastore.templates}
 * @param formatters {@code datastore.formatters}: dataset type or storage class to formatter
 * @param checksum the checksum recorded for written files (CRC-32C unless configured; null: none)
 * @param checkOnGet also check it at every get (when an algorithm is configured explicitly)
 * @param storageClasses {@code storageClasses:}, added to the defaults
 */
record ButlerConfig(
    String registryUrl,
    Path datastoreRoot,
    Map<String, Object> templates,
    Map<String, Object> formatters,
    String checksum,
    boolean checkOnGet,
    Map<String, Object> storageClasses) {

  /** Stands for the repository's directory in {@code butler.yaml}. */
  static final String ROOT_PLACEHOLDER = "<butlerRoot>";

  /** Copies the maps, keeping their order (the first matching template or formatter wins). */
  ButlerConfig {
    templates = ordered(templates);
    formatters = ordered(formatters);
    storageClasses = ordered(storageClasses);
  }

  private static Map<String, Object> ordered(Map<String, Object> m) {
    return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m == null ? Map.of() : m));
  }

  /** Reads {@code butler.yaml}; {@code <butlerRoot>} is its directory. */
  @SuppressWarnings("unchecked")
  static ButlerConfig read(Path file) {
    Map<String, Object> config;
    try {
      config = org.jbutler.schema.Yaml.lenient().readValue(file.toFile(), Map.class);
    } catch (IOException e) {
      throw new InvalidConfigException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    return of(config == null ? Map.of() : config, file.getParent());
  }

  /** The config of a repository in {@code dir}, from the parsed YAML. */
  @SuppressWarnings("unchecked")
  static ButlerConfig of(Map<String, Object> config, Path dir) {
    Map<String, Object> reg = section(config, "registry");
    Map<String, Object> ds = section(config, "datastore");
    String root = dir.toString();
    Object checksum = ds.get("checksum");
    String algorithm = checksumAlgorithm(checksum);
    return new ButlerConfig(
        String.valueOf(reg.getOrDefault("db", "")).replace(ROOT_PLACEHOLDER, root),
        Path.of(
            String.valueOf(ds.getOrDefault("root", ROOT_PLACEHOLDER + "/datastore"))
                .replace(ROOT_PLACEHOLDER, root)),
        (Map<String, Object>) ds.getOrDefault("templates", Map.of()),
        (Map<String, Object>) ds.getOrDefault("formatters", Map.of()),
        algorithm,
        checksum != null && algorithm != null,
        config.get("storageClasses") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
  }

  /** The default config of a new repository. */
  static Map<String, Object> defaults() {
    Map<String, Object> registry = new LinkedHashMap<>();
    registry.put("db", "jdbc:sqlite:" + ROOT_PLACEHOLDER + "/gen3.sqlite3");
    Map<String, Object> datastore = new LinkedHashMap<>();
    datastore.put("root", ROOT_PLACEHOLDER + "/datastore");
    datastore.put("checksum", null);
    datastore.put("templates", Map.of("default", FileTemplates.DEFAULT));
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("registry", registry);
    config.put("datastore", datastore);
    return config;
  }

  /** Merges overrides into defaults, one level of sections deep. */
  @SuppressWarnings("unchecked")
  static Map<String, Object> merge(Map<String, Object> defaults, Map<String, Object> overrides) {
    Map<String, Object> out = new LinkedHashMap<>(defaults);
    for (Map.Entry<String, Object> e : overrides.entrySet()) {
      Object d = out.get(e.getKey());
      if (d instanceof Map<?, ?> dm && e.getValue() instanceof Map<?, ?> om) {
        Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) dm);
        m.putAll((Map<String, Object>) om);
        out.put(e.getKey(), m);
      } else {
        out.put(e.getKey(), e.getValue());
      }
    }
    return out;
  }

  /**
   * Checks the parts that name classes and templates (storage classes, formatters, file templates),
   * so that a bad config is refused before a repository is written.
   */
  void check() {
    storageClassFactory();
    formatterSet();
    fileTemplates();
  }

  /** The default storage classes plus the configured ones. */
  StorageClassFactory storageClassFactory() {
    StorageClassFactory sc = StorageClassFactory.defaults();
    if (!storageClasses.isEmpty()) {
      try {
        sc =
            sc.withYaml(
                org.jbutler.schema.Yaml.lenient()
                    .writeValueAsString(Map.of("storageClasses", storageClasses)));
      } catch (IOException e) {
        throw new InvalidConfigException("Cannot read the storageClasses section: " + e, e);
      }
    }
    return sc;
  }

  /** The default formatters with the configured ones. */
  Formatters formatterSet() {
    Formatters f = Formatters.defaults();
    for (Map.Entry<String, Object> e : formatters.entrySet()) {
      f = f.with(e.getKey(), String.valueOf(e.getValue()));
    }
    return f;
  }

  /** The file templates. */
  FileTemplates fileTemplates() {
    return FileTemplates.of(templates);
  }

  /**
   * The checksum recorded for written files: CRC-32C unless the config names another algorithm
   * (then also checked at every get) or turns them off ({@code none} or {@code false}).
   */
  private static String checksumAlgorithm(Object configured) {
    if (configured == null) {
      return FileDatastore.DEFAULT_CHECKSUM;
    }
    String c = configured.toString().trim();
    return c.equalsIgnoreCase("none") || c.equalsIgnoreCase("false") || c.isEmpty() ? null : c;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> section(Map<String, Object> config, String name) {
    Object s = config.get(name);
    if (s == null) {
      return Map.of();
    }
    if (!(s instanceof Map)) {
      throw new InvalidConfigException("Config section '" + name + "' must be a mapping.");
    }
    return (Map<String, Object>) s;
  }
}
