package org.jbutler.butler.cli;

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
