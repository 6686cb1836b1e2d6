package org.jbutler.schema.exceptions;

/** A dataset type definition is malformed, or a dataset type is used where it cannot be. */
public class DatasetTypeException extends ButlerException {

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what would fix it
   */
  public DatasetTypeException(String message) {
    super(Category.USER_ERROR, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what went wrong and what would fix it
   * @param cause the underlying failure
   */
  public DatasetTypeException(String message, Throwable cause) {
    super(Category.USER_ERROR, message, cause);
  }
}
