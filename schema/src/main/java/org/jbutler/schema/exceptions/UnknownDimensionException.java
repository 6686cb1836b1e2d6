package org.jbutler.schema.exceptions;

/** A name that should be a dimension or dimension element is not in the universe. */
public class UnknownDimensionException extends ButlerException {

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what would fix it
   */
  public UnknownDimensionException(String message) {
    super(Category.USER_ERROR, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what went wrong and what would fix it
   * @param cause the underlying failure
   */
  public UnknownDimensionException(String message, Throwable cause) {
    super(Category.USER_ERROR, message, cause);
  }
}
