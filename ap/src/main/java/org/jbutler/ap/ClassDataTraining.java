package org.jbutler.ap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jbutler.pipetask.cli.PipetaskCommand;

/**
 * The launcher's build-time training for the {@code ap} module, which runs {@code bin/pipetask} and
 * {@code bin/demo}: the butler commands, then pipetask's help, a pipeline build and a graph of the
 * no-op task (see {@link org.jbutler.butler.cli.ClassDataTraining}).
 */
public final class ClassDataTraining {

  private ClassDataTraining() {}

  /** Runs the training in a temporary directory, which is removed afterwards. */
  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("jbutler-training");
    try {
      Path repo = org.jbutler.butler.cli.ClassDataTraining.trainButler(dir);
      org.jbutler.butler.cli.ClassDataTraining.run(PipetaskCommand::new, "--help");
      org.jbutler.butler.cli.ClassDataTraining.run(Demo::new, "--help");
      String task = org.jbutler.pipetask.tasks.NoopTask.class.getName();
      org.jbutler.butler.cli.ClassDataTraining.run(
          PipetaskCommand::new, "build", "-t", task + ":noop", "--show", "pipeline");
      org.jbutler.butler.cli.ClassDataTraining.run(
          PipetaskCommand::new,
          "qgraph",
          "-b",
          repo.toString(),
          "-t",
          task + ":noop",
          "-i",
          "SimCam/raw/all",
          "-o",
          "u/training",
          "--show",
          "summary");
    } finally {
      org.jbutler.butler.cli.ClassDataTraining.delete(dir);
    }
  }
}
