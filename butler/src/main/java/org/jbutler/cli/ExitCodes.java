package org.jbutler.cli;

import java.util.List;
import org.jbutler.schema.exceptions.ButlerException;
import picocli.CommandLine;

/**
 * Maps failures to exit codes, the same for every jbutler command ({@code butler}, {@code
 * pipetask}, the demo), printed by each top-level {@code --help}:
 *
 * <ul>
 *   <li>0: success
 *   <li>1: the work itself failed (a quantum failed or was blocked, a file was not ingested, verify
 *       found problems)
 *   <li>2: bad usage or bad input (an unknown option or command, a malformed expression or value)
 *   <li>3: a conflict with recorded state (a definition that differs, a run that exists)
 *   <li>4: something named does not exist (a repository, collection, dataset type, dataset)
 *   <li>5: stored data is damaged (a truncated or corrupt file, a graph file that fails its
 *       checksums, a database file that cannot be read)
 *   <li>70: an internal error (a bug, or the environment failed)
 *   <li>130: interrupted (Ctrl-C or SIGTERM)
 * </ul>
 */
public final class ExitCodes implements CommandLine.IExitCodeExceptionMapper {

  /** Success. */
  public static final int OK = 0;

  /** The work itself failed. */
  public static final int FAILED = 1;

  /** Bad usage or bad input. */
  public static final int USAGE = 2;

  /** A conflict with recorded state. */
  public static final int CONFLICT = 3;

  /** Something named does not exist. */
  public static final int MISSING = 4;

  /** Stored data is damaged. */
  public static final int DAMAGED = 5;

  /** An internal error. */
  public static final int INTERNAL = 70;

  /** Interrupted by a signal. */
  public static final int INTERRUPTED = 130;

  /** The table above, for help footers. */
  public static final String[] HELP_TABLE = {
    "",
    "Exit codes:",
    "  0    success",
    "  1    the work failed (a quantum failed or was blocked, a file was not",
    "       ingested, verify found problems)",
    "  2    bad usage or bad input",
    "  3    a conflict with recorded state (a definition that differs, a run",
    "       that exists)",
    "  4    something named does not exist (repository, collection, dataset",
    "       type, dataset)",
    "  5    stored data is damaged (a truncated or corrupt file, a graph file",
    "       that fails its checksums, a database that cannot be read)",
    "  70   internal error (a bug, or the environment failed)",
    "  130  interrupted (Ctrl-C; 143 for SIGTERM)"
  };

  /** The exit code of a category of failure. */
  public static int of(ButlerException.Category category) {
    return switch (category) {
      case USER_ERROR -> USAGE;
      case CONFLICT -> CONFLICT;
      case MISSING -> MISSING;
      case DAMAGED -> DAMAGED;
      case INTERNAL -> INTERNAL;
    };
  }

  /** A group's help lists its subcommands alphabetically, whatever order they were declared in. */
  private static void sortSubcommands(CommandLine cmd) {
    if (cmd.getSubcommands().isEmpty()) {
      return;
    }
    cmd.getHelpSectionMap()
        .put(
            CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
            help -> help.commandList(new java.util.TreeMap<>(help.subcommands())));
  }

  /** Every command's help ends with the exit-code table (after its own footer, if it has one). */
  private static void addExitCodeTable(CommandLine cmd) {
    var usage = cmd.getCommandSpec().usageMessage();
    if (!java.util.Arrays.asList(usage.footer()).contains(HELP_TABLE[1])) {
      String[] footer =
          java.util.Arrays.copyOf(usage.footer(), usage.footer().length + HELP_TABLE.length);
      System.arraycopy(HELP_TABLE, 0, footer, usage.footer().length, HELP_TABLE.length);
      usage.footer(footer);
    }
    for (CommandLine sub : cmd.getSubcommands().values()) {
      addExitCodeTable(sub);
    }
  }

  @Override
  public int getExitCode(Throwable t) {
    if (t instanceof CommandLine.ParameterException) {
      return USAGE;
    }
    if (t instanceof ButlerException b) {
      return of(b.category());
    }
    return INTERNAL; // not one of ours: a bug, or the environment failed
  }

  /**
   * Configures a command line with jbutler's exit codes and a one-line message (no stack trace) for
   * jbutler's own exceptions.
   */
  public static CommandLine configure(CommandLine cmd) {
    sortSubcommands(cmd);
    cmd.setExitCodeExceptionMapper(new ExitCodes());
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    // A repeated single-valued option: the last one wins (as click does); options that are
    // setters (pipetask's -c/-C/-t/--delete) see every occurrence, in order.
    cmd.setOverwrittenOptionsAllowed(true);
    if (cmd.getCommand() instanceof CommandGroup group) {
      cmd.setDefaultValueProvider(group.optionDefaults());
    }
    addExitCodeTable(cmd);
    // An unknown command is an error naming it, even with --help (picocli would print the
    // top-level usage and exit 0): a group takes unmatched words, and running one with any is an
    // error. Subcommands keep picocli's own check of unmatched arguments.
    if (cmd.getCommand() instanceof CommandGroup) {
      cmd.setUnmatchedArgumentsAllowed(true);
      for (CommandLine sub : cmd.getSubcommands().values()) {
        sub.setUnmatchedArgumentsAllowed(false);
      }
    }
    cmd.setExecutionStrategy(
        parseResult -> {
          CommandLine.ParseResult last = parseResult;
          while (last.subcommand() != null) {
            last = last.subcommand();
          }
          if (last.commandSpec().userObject() instanceof CommandGroup
              && !last.unmatched().isEmpty()) {
            String name = last.unmatched().get(0);
            List<String> commands =
                new java.util.ArrayList<>(last.commandSpec().subcommands().keySet());
            commands.remove("help");
            throw new CommandLine.ParameterException(
                last.commandSpec().commandLine(),
                "Unknown command '"
                    + name
                    + "'."
                    + org.jbutler.schema.Values.suggestion(name, commands)
                    + " '"
                    + last.commandSpec().qualifiedName()
                    + " --help' lists the commands.");
          }
          return new CommandLine.RunLast().execute(parseResult);
        });
    cmd.setExecutionExceptionHandler(
        (ex, commandLine, parseResult) -> {
          boolean debug =
              org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).isDebugEnabled();
          if (ex instanceof ButlerException && !debug) {
            commandLine.getErr().println("Error: " + ex.getMessage());
          } else if (!debug) {
            commandLine
                .getErr()
                .println(
                    "Error: "
                        + ex
                        + " (an unexpected failure; --log-level DEBUG shows where it happened).");
          } else {
            ex.printStackTrace(commandLine.getErr());
          }
          return new ExitCodes().getExitCode(ex);
        });
    return cmd;
  }
}
