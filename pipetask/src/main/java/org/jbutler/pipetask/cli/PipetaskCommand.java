package org.jbutler.pipetask.cli;

import org.jbutler.cli.CommandGroup;
import org.jbutler.cli.Versions;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code pipetask} command: {@code build} now; qgraph, run and report follow pipe_base's names
 * and options as they arrive.
 */
@Command(
    name = "pipetask",
    mixinStandardHelpOptions = true,
    versionProvider = Versions.class,
    description = "Build and run pipelines of tasks against a jbutler repository.",
    subcommands = {
      CommandLine.HelpCommand.class,
      BuildCommand.class,
      QgraphCommand.class,
      RunCommand.class,
      ReportCommand.class
    })
public final class PipetaskCommand extends CommandGroup {

  /** Runs the command and exits with its code. */
  public static void main(String[] args) {
    runAndExit(new PipetaskCommand(), args);
  }
}
