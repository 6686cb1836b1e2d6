package org.jbutler.butler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jbutler.butler.testing.CommandRunner;
import org.jbutler.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ButlerCommandTest {

  private final CommandRunner cli = new CommandRunner(ButlerCommand::new);

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void helpListsSubcommands() {
    assertThat(run("--help")).isZero();
    assertThat(cli.out()).contains("Usage: butler").contains("describe-dimensions");
    assertThat(run("describe-dimensions", "--help")).isZero();
    assertThat(cli.out()).contains("--format");
  }

  @Test
  void anUnknownCommandIsAnErrorNamingItWithOrWithoutHelp() {
    assertThat(run("nosuch", "--help")).isEqualTo(2);
    assertThat(cli.lastErr()).contains("Unknown command 'nosuch'").contains("butler --help");
    assertThat(cli.lastOut()).doesNotContain("Usage: butler");
    assertThat(run("nosuch")).isEqualTo(2);
    assertThat(cli.lastErr()).contains("Unknown command 'nosuch'");
    assertThat(run("query-dataset", "REPO")).isEqualTo(2);
    assertThat(cli.lastErr()).contains("Did you mean 'query-datasets'?");
  }

  @Test
  void everyHelpEndsWithTheExitCodeTable() {
    assertThat(run("--help")).isZero();
    assertThat(cli.lastOut()).contains("Exit codes:").contains("5    stored data is damaged");
    assertThat(run("query-datasets", "--help")).isZero();
    assertThat(cli.lastOut()).contains("Exit codes:").contains("4    something named");
  }

  @Test
  void everyExitCodeOfTheTable(@TempDir Path dir) throws Exception {
    String repo = dir.resolve("repo").toString();
    assertThat(run("create", repo)).isEqualTo(ExitCodes.OK);
    assertThat(run("query-datasets", repo, "--nosuch-option")).isEqualTo(ExitCodes.USAGE);
    assertThat(run("query-data-ids", repo, "detector", "--where", "instrument ="))
        .isEqualTo(ExitCodes.USAGE);
    assertThat(run("create", repo)).isEqualTo(ExitCodes.CONFLICT);
    assertThat(run("query-datasets", repo, "--collections", "nosuch")).isEqualTo(ExitCodes.MISSING);
    assertThat(run("query-collections", dir.resolve("nowhere").toString()))
        .isEqualTo(ExitCodes.MISSING);
    // A registry file that is not a database: damaged, and left as it was.
    Path db = dir.resolve("repo/gen3.sqlite3");
    Files.writeString(db, "this is not a database\n".repeat(300));
    byte[] before = Files.readAllBytes(db);
    assertThat(run("query-collections", repo)).isEqualTo(ExitCodes.DAMAGED);
    assertThat(cli.lastErr()).contains("damaged or not a database");
    assertThat(Files.readAllBytes(db)).isEqualTo(before);
    ExitCodes codes = new ExitCodes();
    assertThat(codes.getExitCode(new IllegalStateException("a bug"))).isEqualTo(ExitCodes.INTERNAL);
    assertThat(
            codes.getExitCode(
                new org.jbutler.schema.exceptions.ButlerException(
                    org.jbutler.schema.exceptions.ButlerException.Category.INTERNAL,
                    "the disk went away")))
        .isEqualTo(ExitCodes.INTERNAL);
  }

  @Test
  void noSubcommandPrintsUsageAndFails() {
    assertThat(run()).isEqualTo(2);
    assertThat(cli.err()).contains("Usage: butler");
  }

  @Test
  void describesTheDefaultUniverseAsATable() {
    assertThat(run("describe-dimensions")).isZero();
    assertThat(cli.out())
        .contains("Dimension universe daf_butler version 8")
        .containsPattern("visit_detector_region\\s+instrument,detector,visit")
        .contains("skypix htm: levels up to 24");
  }

  @Test
  void describesAsJson() throws Exception {
    assertThat(run("describe-dimensions", "--format", "json")).isZero();
    JsonNode doc = new ObjectMapper().readTree(cli.out());
    assertThat(doc.get("version").asInt()).isEqualTo(8);
    assertThat(doc.get("elements").get(0).get("name").asText()).isEqualTo("instrument");
  }

  @Test
  void badConfigFileGivesAClearErrorAndExitCode2(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("dimensions.yaml");
    Files.writeString(bad, "version: 1\nelements:\n  a:\n    requires: [b]\n");
    assertThat(run("describe-dimensions", bad.toString())).isEqualTo(2);
    assertThat(cli.err()).startsWith("Error: Dimension config").contains("element 'a'");
    assertThat(cli.err()).doesNotContain("\tat ");
  }

  @Test
  void badOptionsAreUsageErrors() {
    assertThat(run("describe-dimensions", "--format", "xml")).isEqualTo(2);
    assertThat(cli.err()).contains("'xml' is not a format");
    assertThat(run("--log-level", "LOUD", "describe-dimensions")).isEqualTo(2);
    assertThat(cli.err()).contains("--log-level").contains("'LOUD'");
    assertThat(run("--log-level", "warn", "describe-dimensions")).isZero();
  }
}
