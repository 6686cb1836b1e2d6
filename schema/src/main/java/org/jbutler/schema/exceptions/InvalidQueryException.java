package org.jbutler.schema.exceptions;

import java.util.OptionalInt;

/**
 * A query, or its {@code where} expression, is malformed or cannot be bound.
 *
 * <p>Parse errors carry the 1-based line and column of the offending token.
 */
public class InvalidQueryException extends ButlerException {

  private final int line;
  private final int column;

  /**
   * Creates the exception without a position.
   *
   * @param message what went wrong and what would fix it
   */
  public InvalidQueryException(String message) {
    super(Category.USER_ERROR, message);
    this.line = -1;
    this.column = -1;
  }

  /**
   * Creates the exception for a position in an expression.
   *
   * @param message what went wrong, including the expression and a caret under the position
   * @param line 1-based line of the offending token
   * @param column 1-based column of the offending token
   */
  public InvalidQueryException(String message, int line, int column) {
    super(Category.USER_ERROR, message);
    this.line = line;
    this.column = column;
  }

  /** Returns the 1-based line of the offending token, if known. */
  public OptionalInt line() {
    return line < 0 ? OptionalInt.empty() : OptionalInt.of(line);
  }

  /** Returns the 1-based column of the offending token, if known. */
  public OptionalInt column() {
    return column < 0 ? OptionalInt.empty() : OptionalInt.of(column);
  }
}
