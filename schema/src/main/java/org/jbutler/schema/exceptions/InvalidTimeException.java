package org.jbutler.schema.exceptions;

/** A time string or value cannot be parsed or is out of range. */
public class InvalidTimeException extends ButlerException {

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what would fix it
   */
  public InvalidTimeException(String message) {
    super(Category.USER_ERROR, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what went wrong and what would fix it
   * @param cause the underlying failure
   */
  public InvalidTimeException(String message, Throwable cause) {
    super(Category.USER_ERROR, message, cause);
  }
}
