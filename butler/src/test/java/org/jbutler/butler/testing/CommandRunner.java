package org.jbutler.butler.testing;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.function.Supplier;
import org.jbutler.cli.ExitCodes;
import picocli.CommandLine;

/**
 * Runs a picocli command in-process the way its {@code main} would, capturing standard output and
 * error for assertions.
 */
public final class CommandRunner {

  private final Supplier<Object> commandFactory;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private int outMark;
  private int errMark;

  /** Creates a runner that builds a fresh command object for every run. */
  public CommandRunner(Supplier<Object> commandFactory) {
    this.commandFactory = commandFactory;
  }

  /** Runs the command with these arguments and returns its exit code. */
  public int run(String... args) {
    CommandLine cmd = ExitCodes.configure(new CommandLine(commandFactory.get()));
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    outMark = out.getBuffer().length();
    errMark = err.getBuffer().length();
    return cmd.execute(args);
  }

  /** Returns everything printed to standard output so far. */
  public String out() {
    return out.toString();
  }

  /** Returns what the last run printed to standard output. */
  public String lastOut() {
    return out.getBuffer().substring(outMark);
  }

  /** Returns what the last run printed to standard error. */
  public String lastErr() {
    return err.getBuffer().substring(errMark);
  }

  /** Returns everything printed to standard error so far. */
  public String err() {
    return err.toString();
  }
}
