package org.jbutler.pipetask.cli;

import java.util.concurrent.Callable;
import org.jbutler.butler.cli.ExitCodes;
import org.jbutler.butler.cli.LoggingMixin;
import org.jbutler.butler.cli.Versions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/**
 * The {@code pipetask} command. Its subcommands (build, qgraph, run, report) follow pipe_base's
 * names and options and arrive with the pipeline framework.
 */
@Command(
    name = "pipetask",
    mixinStandardHelpOptions = true,
    versionProvider = Versions.class,
    description = "Build and run pipelines of tasks against a jbutler repository.",
    subcommands = {CommandLine.HelpCommand.class})
public final class PipetaskCommand implements Callable<Integer> {

  @Mixin LoggingMixin logging;

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return ExitCodes.USAGE;
  }

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    System.exit(ExitCodes.configure(new CommandLine(new PipetaskCommand())).execute(args));
  }
}
