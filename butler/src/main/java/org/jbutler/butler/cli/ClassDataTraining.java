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
      trainButler(dir);
    } finally {
      delete(dir);
    }
  }

  /**
   * Creates a small repository in {@code dir} and runs the common repository commands on it.
   *
   * @return the repository's path
   */
  public static Path trainButler(Path dir) {
    Path repo = dir.resolve("repo");
    String r = repo.toString();
    run(ButlerCommand::new, "--help");
    run(ButlerCommand::new, "create", r);
    run(ButlerCommand::new, "register-instrument", r, "SimCam");
    run(ButlerCommand::new, "register-dataset-type", r, "notes", "StructuredDataDict", "detector");
    run(ButlerCommand::new, "query-collections", r);
    run(ButlerCommand::new, "query-dataset-types", r);
    run(
        ButlerCommand::new,
        "query-datasets",
        r,
        "--collections",
        "*",
        "--where",
        "instrument = 'SimCam' AND detector IN (:dets) AND band = 'r'",
        "--bind",
        "dets=1,2");
    run(ButlerCommand::new, "query-data-ids", r, "detector", "--where", "instrument = 'SimCam'");
    run(
        ButlerCommand::new,
        "query-dimension-records",
        r,
        "detector",
        "--where",
        "instrument = 'SimCam'",
        "--format",
        "json");
    run(ButlerCommand::new, "describe-dimensions", "--format", "csv");
    return repo;
  }

  /** Runs one command with its output discarded; failures are ignored (this is only training). */
  public static void run(Supplier<Object> command, String... args) {
    CommandLine cmd = ExitCodes.configure(new CommandLine(command.get()));
    PrintWriter sink = new PrintWriter(Writer.nullWriter());
    cmd.setOut(sink);
    cmd.setErr(sink);
    cmd.execute(args);
  }

  /** Removes a directory tree. */
  public static void delete(Path dir) throws IOException {
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
