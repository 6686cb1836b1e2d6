package org.jbutler.butler.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jbutler.butler.Butler;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.InvalidConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code butler create REPO}: a new, empty repository. */
@Command(
    name = "create",
    mixinStandardHelpOptions = true,
    description = "Create an empty data repository at REPO (a new directory, or an empty one).")
final class CreateCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "REPO", description = "Where to create the repository.")
  Path repo;

  @Option(
      names = "--dimension-config",
      paramLabel = "FILE",
      description = "A dimensions.yaml to use instead of the default universe.")
  Path dimensionConfig;

  @Option(
      names = "--registry-url",
      paramLabel = "URL",
      description =
          "A JDBC URL for the registry (default: a SQLite file in REPO). Give PostgreSQL"
              + " passwords in JBUTLER_DB_PASSWORD, never in the URL.")
  String registryUrl;

  @Option(
      names = "--seed-config",
      paramLabel = "FILE",
      description =
          "A YAML file of configuration (registry, datastore templates, formatters, checksum)"
              + " merged over the defaults.")
  Path seedConfig;

  @Option(
      names = "--override",
      description =
          "Let the seed config's registry.db and datastore.root stand (by default they are reset"
              + " to the new repository's own).")
  boolean override;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  @SuppressWarnings("unchecked")
  public Integer call() {
    Map<String, Object> overrides = new LinkedHashMap<>();
    if (seedConfig != null) {
      try {
        Object seed =
            new com.fasterxml.jackson.databind.ObjectMapper(
                    new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                .readValue(seedConfig.toFile(), Object.class);
        if (!(seed instanceof Map)) {
          throw new InvalidConfigException(
              "The seed config " + seedConfig + " is not a YAML mapping.");
        }
        overrides.putAll((Map<String, Object>) seed);
      } catch (java.io.IOException e) {
        throw new InvalidConfigException(
            "Cannot read the seed config " + seedConfig + ": " + e.getMessage(), e);
      }
      if (!override) {
        resetKey(overrides, "registry", "db");
        resetKey(overrides, "datastore", "root");
      }
    }
    if (registryUrl != null) {
      Map<String, Object> registry = new LinkedHashMap<>();
      if (overrides.get("registry") instanceof Map<?, ?> m) {
        registry.putAll((Map<String, Object>) m);
      }
      registry.put("db", registryUrl);
      overrides.put("registry", registry);
    }
    DimensionUniverse universe =
        dimensionConfig == null ? null : DimensionUniverse.load(dimensionConfig);
    try (Butler b = Butler.create(repo, overrides, universe)) {
      spec.commandLine().getOut().println("Created repository " + b.root());
    }
    return 0;
  }

  @SuppressWarnings("unchecked")
  private static void resetKey(Map<String, Object> config, String section, String key) {
    if (config.get(section) instanceof Map<?, ?> m && m.containsKey(key)) {
      Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) m);
      copy.remove(key);
      config.put(section, copy);
      org.slf4j.LoggerFactory.getLogger(CreateCommand.class)
          .warn(
              "The seed config's {}.{} is reset to the new repository's; --override keeps it.",
              section,
              key);
    }
  }
}
