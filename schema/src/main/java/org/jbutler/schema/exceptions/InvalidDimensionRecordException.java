package org.jbutler.schema.exceptions;

/** A dimension record has unknown, missing or ill-typed fields. */
public class InvalidDimensionRecordException extends ButlerException {

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what would fix it
   */
  public InvalidDimensionRecordException(String message) {
    super(Category.USER_ERROR, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what went wrong and what would fix it
   * @param cause the underlying failure
   */
  public InvalidDimensionRecordException(String message, Throwable cause) {
    super(Category.USER_ERROR, message, cause);
  }
}
