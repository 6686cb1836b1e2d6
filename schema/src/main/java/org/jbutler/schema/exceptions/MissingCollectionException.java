package org.jbutler.schema.exceptions;

/** A collection does not exist. */
public class MissingCollectionException extends ButlerException {

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what would fix it
   */
  public MissingCollectionException(String message) {
    super(Category.MISSING, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what went wrong and what would fix it
   * @param cause the underlying failure
   */
  public MissingCollectionException(String message, Throwable cause) {
    super(Category.MISSING, message, cause);
  }
}
