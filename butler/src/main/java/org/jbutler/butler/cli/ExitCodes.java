package org.jbutler.butler.cli;

import org.jbutler.schema.ButlerException;
import picocli.CommandLine;

/**
 * Maps failures to exit codes, the same for every jbutler command: 0 success, 1 a failure of the
 * work itself, 2 bad usage or bad input, 3 a conflict with recorded state, 4 something missing, 70
 * an internal error.
 */
public final class ExitCodes implements CommandLine.IExitCodeExceptionMapper {

  /** Bad usage or bad input. */
  public static final int USAGE = 2;

  @Override
  public int getExitCode(Throwable t) {
    if (t instanceof CommandLine.ParameterException) {
      return USAGE;
    }
    if (t instanceof ButlerException b) {
      return switch (b.category()) {
        case USER_ERROR -> USAGE;
        case CONFLICT -> 3;
        case MISSING -> 4;
        case INTERNAL -> 70;
      };
    }
    return 1;
  }

  /**
   * Configures a command line with jbutler's exit codes and a one-line message (no stack trace) for
   * jbutler's own exceptions.
   */
  public static CommandLine configure(CommandLine cmd) {
    cmd.setExitCodeExceptionMapper(new ExitCodes());
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    // A repeated single-valued option: the last one wins (as click does); options that are
    // setters (pipetask's -c/-C/-t/--delete) see every occurrence, in order.
    cmd.setOverwrittenOptionsAllowed(true);
    if (cmd.getCommand() instanceof CommandGroup group) {
      cmd.setDefaultValueProvider(group.optionDefaults());
    }
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
