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
    assertThat(cli.out()).contains("Dimension universe daf_butler version 8");
    Files.writeString(repo.resolve("leftover"), "x");
    assertThat(run("--repo", repo.toString())).isZero();
    assertThat(repo.resolve("leftover")).doesNotExist();
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
