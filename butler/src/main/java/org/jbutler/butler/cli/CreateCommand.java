package org.jbutler.butler.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jbutler.butler.Butler;
import org.jbutler.schema.DimensionUniverse;
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

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    Map<String, Object> overrides = new LinkedHashMap<>();
    if (registryUrl != null) {
      overrides.put("registry", Map.of("db", registryUrl));
    }
    DimensionUniverse universe =
        dimensionConfig == null ? null : DimensionUniverse.load(dimensionConfig);
    try (Butler b = Butler.create(repo, overrides, universe)) {
      spec.commandLine().getOut().println("Created repository " + b.root());
    }
    return 0;
  }
}
