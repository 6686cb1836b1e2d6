package org.jbutler.butler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.jbutler.butler.Butler;
import org.jbutler.butler.testing.CommandRunner;
import org.jbutler.butler.testing.Records;
import org.jbutler.testing.ExternalResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A repository whose registry is on the PostgreSQL server, created and queried through the CLI. */
class PostgresRepositoryTest {

  @TempDir Path dir;

  @Test
  void createFillAndQueryOnPostgres() throws Exception {
    String url = ExternalResources.newPostgresDatabase();
    CommandRunner cli = new CommandRunner(ButlerCommand::new);
    String repo = dir.resolve("pgrepo").toString();
    assertThat(cli.run("create", repo, "--registry-url", url)).isZero();
    assertThat(Files.readString(dir.resolve("pgrepo/butler.yaml"))).contains("jdbc:postgresql:");
    assertThat(cli.run("register-dataset-type", repo, "notes", "StructuredDataDict", "detector"))
        .isZero();
    try (Butler b = Butler.open(Path.of(repo), Butler.Options.run("run/pg"))) {
      Records.insert(b.registry(), "instrument", Map.of("name", "Cam1"));
      Records.insert(
          b.registry(), "detector", Map.of("instrument", "Cam1", "id", 7, "full_name", "D7"));
      b.put(Map.of("x", 1), "notes", Map.of("instrument", "Cam1", "detector", 7));
    }
    assertThat(
            cli.run(
                "query-datasets",
                repo,
                "notes",
                "--collections",
                "run/pg",
                "--where",
                "instrument = 'Cam1' AND detector.full_name = 'D7'",
                "--format",
                "csv"))
        .isZero();
    assertThat(cli.out()).contains("notes,run/pg,");
    assertThat(cli.run("verify", repo)).isZero();
  }
}
