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
      train(dir, new java.util.ArrayList<>());
    } finally {
      org.jbutler.butler.cli.ClassDataTraining.deleteTree(dir);
    }
  }

  /**
   * The training's commands, in {@code dir}.
   *
   * @param failed where the command lines that did not exit 0 are added
   */
  static void train(Path dir, java.util.List<String> failed) {
    Path repo = org.jbutler.butler.cli.ClassDataTraining.trainButler(dir, failed);
    // A few generated raws, ingested: FITS reading, the structure checks, raw ingest, visits.
    org.jbutler.testdata.SimCam.generate(
        new org.jbutler.testdata.SimCam.Config(1, 1, 2, 2, 32, 32, 4, 5), dir.resolve("data"));
    org.jbutler.butler.cli.ClassDataTraining.run(
        failed,
        org.jbutler.butler.cli.ButlerCommand::new,
        "ingest-raws",
        repo.toString(),
        dir.resolve("data/raw").toString(),
        "--instrument",
        "SimCam",
        "--transfer",
        "direct");
    org.jbutler.butler.cli.ClassDataTraining.run(
        failed,
        org.jbutler.butler.cli.ButlerCommand::new,
        "define-visits",
        repo.toString(),
        "SimCam");
    org.jbutler.butler.cli.ClassDataTraining.run(failed, PipetaskCommand::new, "--help");
    org.jbutler.butler.cli.ClassDataTraining.run(failed, Demo::new, "--help");
    String task = org.jbutler.pipetask.tasks.NoopTask.class.getName();
    org.jbutler.butler.cli.ClassDataTraining.run(
        failed, PipetaskCommand::new, "build", "-t", task + ":noop", "--show", "pipeline");
    org.jbutler.butler.cli.ClassDataTraining.run(
        failed,
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
  }
}
