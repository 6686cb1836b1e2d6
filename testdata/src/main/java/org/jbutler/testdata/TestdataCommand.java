package org.jbutler.testdata;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code testdata generate --out DIR ...}: the synthetic camera's files. */
@Command(
    name = "testdata",
    mixinStandardHelpOptions = true,
    description = "Synthetic test data.",
    subcommands = {CommandLine.HelpCommand.class, TestdataCommand.Generate.class})
public final class TestdataCommand implements Callable<Integer> {

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** {@code testdata generate}. */
  @Command(
      name = "generate",
      mixinStandardHelpOptions = true,
      description = {
        "Write SimCam raw frames (bias, dark, flat and science, with overscan), a reference"
            + " catalogue (refcat.fits) and the truth table of injected sources (truth.fits).",
        "The same options always give the same bytes."
      })
  static final class Generate implements Callable<Integer> {

    @Option(names = "--out", required = true, description = "Directory to write into.")
    Path out;

    @Option(
        names = "--seed",
        defaultValue = "1",
        description = "Random seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(
        names = "--nights",
        defaultValue = "2",
        description = "Nights (default ${DEFAULT-VALUE}).")
    int nights;

    @Option(
        names = "--exposures",
        defaultValue = "3",
        description = "Science exposures per night (default ${DEFAULT-VALUE}).")
    int exposures;

    @Option(
        names = "--detectors",
        defaultValue = "4",
        description = "Detectors (default ${DEFAULT-VALUE}).")
    int detectors;

    @Option(
        names = "--size",
        defaultValue = "128",
        description = "Science pixels per side (default ${DEFAULT-VALUE}).")
    int size;

    @Option(
        names = "--overscan",
        defaultValue = "8",
        description = "Overscan columns (default ${DEFAULT-VALUE}).")
    int overscan;

    @Option(
        names = "--stars",
        defaultValue = "60",
        description = "Reference catalogue stars (default ${DEFAULT-VALUE}).")
    int stars;

    @Option(
        names = "--multi-extension",
        description =
            "One file per exposure with a detector per HDU (default: a file per detector).")
    boolean multiExtension;

    @Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
      SimCam.Config config =
          new SimCam.Config(seed, nights, exposures, detectors, size, size, overscan, stars);
      SimCam.Result r = SimCam.generate(multiExtension ? config.asMultiExtension() : config, out);
      spec.commandLine()
          .getOut()
          .printf(
              "Wrote %d raw files for %d exposures, %s and %s.%n",
              r.raws().size(), r.exposures().size(), r.referenceCatalog(), r.truth());
      return 0;
    }
  }

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    CommandLine cmd = new CommandLine(new TestdataCommand());
    cmd.setExecutionExceptionHandler(
        (e, c, p) -> {
          c.getErr().println("testdata: " + e.getMessage());
          return e instanceof IllegalArgumentException ? 2 : 1;
        });
    System.exit(cmd.execute(args));
  }
}
