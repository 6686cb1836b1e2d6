package org.jbutler.butler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ButlerCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cmd = ExitCodes.configure(new CommandLine(new ButlerCommand()));
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void helpListsSubcommands() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("Usage: butler").contains("describe-dimensions");
    assertThat(run("describe-dimensions", "--help")).isZero();
    assertThat(out.toString()).contains("--format");
  }

  @Test
  void noSubcommandPrintsUsageAndFails() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Usage: butler");
  }

  @Test
  void describesTheDefaultUniverseAsATable() {
    assertThat(run("describe-dimensions")).isZero();
    assertThat(out.toString())
        .contains("Dimension universe daf_butler version 8")
        .containsPattern("visit_detector_region\\s+instrument,detector,visit")
        .contains("skypix htm: levels up to 24");
  }

  @Test
  void describesAsJson() throws Exception {
    assertThat(run("describe-dimensions", "--format", "json")).isZero();
    JsonNode doc = new ObjectMapper().readTree(out.toString());
    assertThat(doc.get("version").asInt()).isEqualTo(8);
    assertThat(doc.get("elements").get(0).get("name").asText()).isEqualTo("instrument");
  }

  @Test
  void badConfigFileGivesAClearErrorAndExitCode2(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("dimensions.yaml");
    Files.writeString(bad, "version: 1\nelements:\n  a:\n    requires: [b]\n");
    assertThat(run("describe-dimensions", bad.toString())).isEqualTo(2);
    assertThat(err.toString()).startsWith("Error: Dimension config").contains("element 'a'");
    assertThat(err.toString()).doesNotContain("\tat ");
  }

  @Test
  void badOptionsAreUsageErrors() {
    assertThat(run("describe-dimensions", "--format", "xml")).isEqualTo(2);
    assertThat(err.toString()).contains("'xml' is not a format");
    assertThat(run("--log-level", "LOUD", "describe-dimensions")).isEqualTo(2);
    assertThat(err.toString()).contains("--log-level").contains("'LOUD'");
    assertThat(run("--log-level", "warn", "describe-dimensions")).isZero();
  }
}
