package org.jbutler.pipetask.cli;

import org.jbutler.butler.cli.CommandGroup;
import org.jbutler.butler.cli.Versions;
import picocli.CommandLine;
import picocli.CommandLine.Command;

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
public final class PipetaskCommand extends CommandGroup {

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    runAndExit(new PipetaskCommand(), args);
  }
}
