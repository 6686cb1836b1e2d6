package org.jbutler.schema.exceptions;

/** A collection of one type is used where another type is required. */
public class CollectionTypeException extends ButlerException {

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what would fix it
   */
  public CollectionTypeException(String message) {
    super(Category.USER_ERROR, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what went wrong and what would fix it
   * @param cause the underlying failure
   */
  public CollectionTypeException(String message, Throwable cause) {
    super(Category.USER_ERROR, message, cause);
  }
}
