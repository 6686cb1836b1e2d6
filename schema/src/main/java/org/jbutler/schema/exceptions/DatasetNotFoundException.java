package org.jbutler.schema.exceptions;

/** A dataset, or its artifact, cannot be found. */
public class DatasetNotFoundException extends ButlerException {

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what would fix it
   */
  public DatasetNotFoundException(String message) {
    super(Category.MISSING, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what went wrong and what would fix it
   * @param cause the underlying failure
   */
  public DatasetNotFoundException(String message, Throwable cause) {
    super(Category.MISSING, message, cause);
  }
}
