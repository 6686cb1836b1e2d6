package org.jbutler.schema.exceptions;

/** A dataset type is not registered. */
public class MissingDatasetTypeException extends ButlerException {

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what would fix it
   */
  public MissingDatasetTypeException(String message) {
    super(Category.MISSING, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what went wrong and what would fix it
   * @param cause the underlying failure
   */
  public MissingDatasetTypeException(String message, Throwable cause) {
    super(Category.MISSING, message, cause);
  }
}
