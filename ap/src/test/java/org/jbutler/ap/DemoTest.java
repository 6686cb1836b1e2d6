package org.jbutler.ap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jbutler.butler.cli.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DemoTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cmd = ExitCodes.configure(new CommandLine(new Demo()));
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  @Test
  void createsTheRepositoryAndPrintsTheUniverseTwiceInARow(@TempDir Path dir) throws Exception {
    Path repo = dir.resolve("repo");
    assertThat(run("--repo", repo.toString())).isZero();
    assertThat(repo.resolve(Demo.MARKER)).exists();
    assertThat(out.toString()).contains("Dimension universe daf_butler version 8");
    Files.writeString(repo.resolve("leftover"), "x");
    assertThat(run("--repo", repo.toString())).isZero();
    assertThat(repo.resolve("leftover")).doesNotExist();
  }

  @Test
  void refusesToReplaceADirectoryItDidNotMake(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("precious.txt"), "keep me");
    assertThat(run("--repo", dir.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("was not made by the demo");
    assertThat(dir.resolve("precious.txt")).hasContent("keep me");
  }
}
