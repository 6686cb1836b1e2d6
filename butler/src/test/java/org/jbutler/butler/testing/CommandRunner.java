package org.jbutler.butler.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;
import org.jbutler.butler.cli.ExitCodes;
import picocli.CommandLine;

/**
 * Runs a picocli command in-process the way its {@code main} would, capturing standard output and
 * error for assertions.
 */
public final class CommandRunner {

  private final Supplier<Object> commandFactory;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Creates a runner that builds a fresh command object for every run. */
  public CommandRunner(Supplier<Object> commandFactory) {
    this.commandFactory = commandFactory;
  }

  /** Runs the command with these arguments and returns its exit code. */
  public int run(String... args) {
    CommandLine cmd = ExitCodes.configure(new CommandLine(commandFactory.get()));
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    return cmd.execute(args);
  }

  /** Returns everything printed to standard output so far. */
  public String out() {
    return out.toString();
  }

  /** Returns everything printed to standard error so far. */
  public String err() {
    return err.toString();
  }
}
