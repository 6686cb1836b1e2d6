package org.jbutler.ap;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jbutler.butler.testing.CommandRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoTest {

  private final CommandRunner cli = new CommandRunner(Demo::new);

  private int run(String... args) {
    return cli.run(args);
  }

  @Test
  void createsTheRepositoryAndPrintsTheUniverseTwiceInARow(@TempDir Path dir) throws Exception {
    Path repo = dir.resolve("repo");
    assertThat(run("--repo", repo.toString())).isZero();
    assertThat(repo.resolve(Demo.MARKER)).exists();
    assertThat(repo.resolve("repo/butler.yaml")).exists();
    assertThat(cli.out())
        .contains("== Collections")
        .containsPattern("SimCam/calib\\s+CALIBRATION")
        .containsPattern("raw\\s+\\{[^}]*detector[^}]*exposure\\}\\s+ImageI\\s+104")
        .containsPattern("bias\\s+\\{instrument, detector\\}\\s+ImageF\\s+8")
        .containsPattern(
            "bias for exposure 110 \\(day_obs 20260228\\), detector 1\\s+found in run"
                + " SimCam/calib/bias/20260228")
        .containsPattern(
            "bias for exposure 125 \\(day_obs 20260301\\), detector 1\\s+found in run"
                + " SimCam/calib/bias/20260301")
        .contains("OK: every artifact present and recorded");
    // Two science exposures per night in r (111 and 124); detectors 0 and 1: four raws.
    assertThat(cli.out().lines().filter(l -> l.matches("\\s*1(11|24)\\s+[01]\\s+.*\\.fits")))
        .hasSize(4);
    Files.writeString(repo.resolve("leftover"), "x");
    assertThat(run("--repo", repo.toString())).isZero();
    assertThat(repo.resolve("leftover")).doesNotExist();
  }

  @Test
  void jsonOutputIsOneDocument(@TempDir Path dir) throws Exception {
    assertThat(run("--repo", dir.resolve("r").toString(), "--format", "json")).isZero();
    var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(cli.out());
    assertThat(doc.get("Collections").size()).isEqualTo(6);
    assertThat(doc.get("Reads").get(0).get("result").asText()).startsWith("first pixel");
  }

  @Test
  void badFormatIsAUsageError(@TempDir Path dir) {
    assertThat(run("--repo", dir.resolve("r").toString(), "--format", "xml")).isEqualTo(2);
    assertThat(cli.err()).contains("'xml' is not a format");
    assertThat(dir.resolve("r")).doesNotExist();
  }

  @Test
  void refusesToReplaceADirectoryItDidNotMake(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("precious.txt"), "keep me");
    assertThat(run("--repo", dir.toString())).isEqualTo(2);
    assertThat(cli.err()).contains("was not made by the demo");
    assertThat(dir.resolve("precious.txt")).hasContent("keep me");
  }
}
