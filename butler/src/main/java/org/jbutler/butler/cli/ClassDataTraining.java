package org.jbutler.butler.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jbutler.cli.ExitCodes;
import picocli.CommandLine;

/**
 * A fixed, representative run of the {@code butler} commands that the launcher ({@code
 * bin/_launch}) records into its class-data archive right after a build. The archive then holds
 * what every command needs (the registry, the query engine, the CLI), whatever command a user runs
 * first; it is never recorded from a user's own command.
 */
public final class ClassDataTraining {

  private ClassDataTraining() {}

  /** Runs the training in a temporary directory, which is removed afterwards. */
  public static void main(String[] args) throws IOException {
    Path dir = Files.createTempDirectory("jbutler-training");
    try {
      trainButler(dir, new java.util.ArrayList<>());
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * Creates a small repository in {@code dir} and runs the common repository commands on it.
   *
   * @param failed where the command lines that did not exit 0 are added
   * @return the repository's path
   */
  public static Path trainButler(Path dir, java.util.List<String> failed) {
    Path repo = dir.resolve("repo");
    String r = repo.toString();
    run(failed, ButlerCommand::new, "--help");
    run(failed, ButlerCommand::new, "create", r);
    run(failed, ButlerCommand::new, "register-instrument", r, "SimCam");
    run(
        failed,
        ButlerCommand::new,
        "register-dataset-type",
        r,
        "notes",
        "StructuredDataDict",
        "detector");
    run(failed, ButlerCommand::new, "query-collections", r);
    run(failed, ButlerCommand::new, "query-dataset-types", r);
    run(
        failed,
        ButlerCommand::new,
        "query-datasets",
        r,
        "--collections",
        "*",
        "--where",
        "instrument = 'SimCam' AND detector IN (:dets) AND band = 'r'",
        "--bind",
        "dets=0,1");
    run(
        failed,
        ButlerCommand::new,
        "query-data-ids",
        r,
        "detector",
        "--where",
        "instrument = 'SimCam'");
    run(
        failed,
        ButlerCommand::new,
        "query-dimension-records",
        r,
        "detector",
        "--where",
        "instrument = 'SimCam'",
        "--format",
        "json");
    run(failed, ButlerCommand::new, "describe-dimensions", "--format", "csv");
    return repo;
  }

  /**
   * Runs one command with its output discarded. A failure does not stop the training (its archive
   * only lacks what the rest would have loaded); it is added to {@code failed}, which the tests
   * check.
   */
  public static void run(java.util.List<String> failed, Supplier<Object> command, String... args) {
    CommandLine cmd = ExitCodes.configure(new CommandLine(command.get()));
    PrintWriter sink = new PrintWriter(Writer.nullWriter());
    cmd.setOut(sink);
    cmd.setErr(sink);
    if (cmd.execute(args) != 0) {
      failed.add(String.join(" ", args));
    }
  }

  /** Removes a directory tree (the demo's and the training's scratch directories). */
  public static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }
}
