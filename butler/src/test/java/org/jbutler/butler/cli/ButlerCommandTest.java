package org.jbutler.butler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jbutler.butler.testing.CommandRunner;
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
