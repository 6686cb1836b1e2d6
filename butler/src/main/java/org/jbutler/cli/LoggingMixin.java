package org.jbutler.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code --log-level} option every jbutler command shares. */
public final class LoggingMixin {

  /** The levels {@code --log-level} accepts. */
  public enum LogLevel {
    TRACE,
    DEBUG,
    INFO,
    WARN,
    ERROR
  }

  /**
   * Sets the root log level, e.g. {@code --log-level DEBUG}.
   *
   * @param level the new root level
   */
  @Option(
      names = "--log-level",
      paramLabel = "LEVEL",
      description = "Root log level: ${COMPLETION-CANDIDATES} (default INFO).",
      scope = ScopeType.INHERIT)
  public void setLogLevel(LogLevel level) {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.toLevel(level.name()));
  }
}
