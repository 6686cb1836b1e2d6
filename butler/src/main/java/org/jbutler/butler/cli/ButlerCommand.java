package org.jbutler.butler.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * The {@code butler} command. Subcommands (create, ingest, query-*, export/import, ...) follow
 * daf_butler's names and options and arrive with the modules that implement them.
 */
@Command(
    name = "butler",
    mixinStandardHelpOptions = true,
    versionProvider = Versions.class,
    description = "Manage a jbutler data repository.",
    subcommands = {CommandLine.HelpCommand.class, DescribeDimensionsCommand.class})
public final class ButlerCommand implements Callable<Integer> {

  @Mixin LoggingMixin logging;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    System.exit(ExitCodes.configure(new CommandLine(new ButlerCommand())).execute(args));
  }
}
