package org.jbutler.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * Base of a top-level command that only groups subcommands ({@code butler}, {@code pipetask}): it
 * shares {@code --log-level}, and called without a subcommand it prints its usage and exits with
 * the usage code.
 */
public abstract class CommandGroup implements Callable<Integer> {

  @Mixin LoggingMixin logging;

  @Spec CommandLine.Model.CommandSpec spec;

  private final OptionsFile optionsFile = new OptionsFile();

  /**
   * Reads default option values for the subcommands, as daf_butler's {@code --options-file}.
   *
   * @param file a YAML file: subcommand name → option name → value
   */
  @CommandLine.Option(
      names = {"--options-file", "-@"},
      paramLabel = "FILE",
      description =
          "A YAML file of default options for the subcommands ({SUBCOMMAND: {OPTION:"
              + " VALUE}}, as daf_butler's --options-file); the command line wins.")
  void setOptionsFile(java.nio.file.Path file) {
    try {
      optionsFile.load(file, spec);
    } catch (org.jbutler.schema.exceptions.ButlerException e) {
      // As a ParameterException, picocli reports it as it is (else: "Could not invoke ...").
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** The default values read by {@code --options-file}, for {@link ExitCodes#configure}. */
  CommandLine.IDefaultValueProvider optionDefaults() {
    return optionsFile;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** Runs {@code command} with jbutler's exit codes and error handling, then exits. */
  protected static void runAndExit(Object command, String[] args) {
    System.exit(ExitCodes.configure(new CommandLine(command)).execute(args));
  }
}
