package org.jbutler.pipetask.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jbutler.butler.testing.CommandRunner;
import org.jbutler.pipetask.examples.ScaleTask;
import org.jbutler.pipetask.examples.SumTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pipetask build} through picocli with captured output. */
class BuildCommandTest {

  @TempDir Path dir;
  private final CommandRunner cli = new CommandRunner(PipetaskCommand::new);

  private Path pipeline() throws Exception {
    Path p = dir.resolve("p.yaml");
    Files.writeString(
        p,
        "description: demo\nparameters: {factor: 4}\ntasks:\n  scale:\n    class: "
            + ScaleTask.class.getName()
            + "\n    config: {factor: parameters.factor}\n  sum: "
            + SumTask.class.getName()
            + "\nsubsets:\n  first: [scale]\n");
    return p;
  }

  @Test
  void buildsShowsSavesAndEditsInOrder() throws Exception {
    Path p = pipeline();
    assertThat(cli.run("build", "-p", p.toString())).as(cli.err()).isZero();
    assertThat(cli.out()).contains("Pipeline OK: 2 task(s)");
    Path limits = dir.resolve("limits.yaml");
    Files.writeString(limits, "limits.high: 9\n");
    Path saved = dir.resolve("saved.yaml");
    Path dot = dir.resolve("p.dot");
    assertThat(
            cli.run(
                "build",
                "-p",
                p.toString(),
                "-c",
                "scale:factor=2",
                "-c",
                "scale:factor=3", // later wins
                "-C",
                "scale:" + limits,
                "-c",
                "parameters:factor=8",
                "--delete",
                "sum",
                "-t",
                SumTask.class.getName() + ":total",
                "--show",
                "config=scale",
                "--show",
                "tasks",
                "--show",
                "graph",
                "-s",
                saved.toString(),
                "--pipeline-dot",
                dot.toString()))
        .as(cli.err())
        .isZero();
    assertThat(cli.out())
        .contains("factor: 3.0")
        .contains("high: 9.0")
        .containsPattern("total\\s+" + SumTask.class.getName().replace(".", "\\."))
        .contains("dataset type scaled")
        .contains("<- scale");
    assertThat(Files.readString(dot)).startsWith("digraph pipeline");
    // The saved pipeline loads back to the same graph.
    assertThat(cli.run("build", "-p", saved.toString(), "--show", "graph")).isZero();
    String again = cli.out();
    assertThat(again).contains("dataset type total_metadata").contains("factor");
  }

  @Test
  void errorsAreOneLineWithExitCodeTwo() throws Exception {
    Path p = pipeline();
    assertThat(cli.run("build", "-p", p.toString(), "-c", "scale:factr=2")).isEqualTo(2);
    assertThat(cli.err())
        .contains("Task 'scale': unknown config field 'factr'")
        .doesNotContain("at org.");
    assertThat(cli.run("build", "-p", p.toString(), "-c", "nonsense")).isEqualTo(2);
    assertThat(cli.err()).contains("give LABEL:NAME=VALUE");
    assertThat(cli.run("build", "-p", p + "#nope")).isEqualTo(2);
    assertThat(cli.err()).contains("'nope' is not a task label");
    assertThat(cli.run("build")).isEqualTo(2);
    assertThat(cli.err()).contains("Give a pipeline with -p FILE");
    assertThat(cli.run("build", "-p", p.toString(), "--show", "everything")).isEqualTo(2);
    assertThat(cli.err()).contains("--show everything: not known");
  }

  @Test
  void checksAgainstARepository() throws Exception {
    Path repo = dir.resolve("repo");
    var butler =
        new org.jbutler.butler.testing.CommandRunner(org.jbutler.butler.cli.ButlerCommand::new);
    assertThat(butler.run("create", repo.toString())).isZero();
    assertThat(butler.run("register-dataset-type", repo.toString(), "scaled", "ImageF", "detector"))
        .isZero();
    assertThat(cli.run("build", "-p", pipeline().toString(), "-b", repo.toString())).isEqualTo(2);
    assertThat(cli.err()).contains("Dataset type 'scaled' has dimensions").contains("repository");
  }
}
