package org.jbutler.schema.exceptions;

import java.util.Objects;

/**
 * The root of every exception jbutler throws on purpose.
 *
 * <p>Each exception carries a {@link Category} that tells a caller (and the command-line tools,
 * which map categories to exit codes) what kind of failure it is. Messages name the offending value
 * and say what would fix it.
 */
public class ButlerException extends RuntimeException {

  /** What kind of failure an exception reports. */
  public enum Category {
    /** The caller's input is wrong: a bad expression, an unknown name, a malformed value. */
    USER_ERROR,
    /** The input contradicts something already recorded. */
    CONFLICT,
    /** Something the caller asked for does not exist. */
    MISSING,
    /**
     * Stored data is damaged: a truncated or corrupt file, a graph file whose checksums disagree, a
     * database file that cannot be read.
     */
    DAMAGED,
    /** A bug or an environment failure: nothing the caller did caused it. */
    INTERNAL
  }

  private final Category category;

  /**
   * Creates an exception.
   *
   * @param category what kind of failure this is
   * @param message what went wrong and what would fix it
   */
  public ButlerException(Category category, String message) {
    super(message);
    this.category = Objects.requireNonNull(category, "category");
  }

  /**
   * Creates an exception with a cause.
   *
   * @param category what kind of failure this is
   * @param message what went wrong and what would fix it
   * @param cause the underlying failure
   */
  public ButlerException(Category category, String message, Throwable cause) {
    super(message, cause);
    this.category = Objects.requireNonNull(category, "category");
  }

  /** Returns what kind of failure this is. */
  public Category category() {
    return category;
  }
}
