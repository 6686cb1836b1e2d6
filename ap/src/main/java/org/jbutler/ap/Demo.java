package org.jbutler.ap;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jbutler.butler.cli.ExitCodes;
import org.jbutler.butler.cli.FormatMixin;
import org.jbutler.butler.cli.LoggingMixin;
import org.jbutler.butler.cli.UniversePrinter;
import org.jbutler.schema.DimensionUniverse;
import org.jbutler.schema.InvalidConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The end-to-end demo. At this stage it creates an empty repository directory and prints the
 * dimension universe the repository will use; later stages add the registry, raw ingest and the
 * Alert Production pipeline.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Create a demo repository and show what it holds.")
public final class Demo implements Callable<Integer> {

  /** Marks a directory as made by the demo, so a re-run may replace it. */
  static final String MARKER = ".jbutler-demo";

  private static final Logger LOG = LoggerFactory.getLogger(Demo.class);

  @Mixin LoggingMixin logging;

  @Option(
      names = "--repo",
      defaultValue = "demo-repo",
      description = "Repository directory to create (default: ${DEFAULT-VALUE}).")
  Path repo;

  @Mixin FormatMixin output;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    Path root = repo.toAbsolutePath().normalize();
    prepare(root);
    DimensionUniverse universe = DimensionUniverse.defaultUniverse();
    LOG.info("Created empty repository directory {}", root);
    UniversePrinter.print(universe, output.format(), spec.commandLine().getOut());
    return 0;
  }

  /** Creates the directory, replacing one an earlier demo made; refuses anything else. */
  static void prepare(Path root) throws IOException {
    if (Files.exists(root)) {
      boolean empty;
      try (Stream<Path> s = Files.list(root)) {
        empty = s.findAny().isEmpty();
      }
      if (!empty && !Files.exists(root.resolve(MARKER))) {
        throw new InvalidConfigException(
            "Directory "
                + root
                + " exists and was not made by the demo; choose another with --repo.");
      }
      deleteTree(root);
    }
    Files.createDirectories(root);
    Files.writeString(root.resolve(MARKER), "made by jbutler's demo; safe to delete\n");
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
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

  /** Runs the demo and exits with its code. */
  public static void main(String[] args) {
    System.exit(ExitCodes.configure(new CommandLine(new Demo())).execute(args));
  }
}
