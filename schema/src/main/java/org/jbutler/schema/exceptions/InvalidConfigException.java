package org.jbutler.schema.exceptions;

/** A configuration (dimension universe, storage classes, repository config) is malformed. */
public class InvalidConfigException extends ButlerException {

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what would fix it
   */
  public InvalidConfigException(String message) {
    super(Category.USER_ERROR, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what went wrong and what would fix it
   * @param cause the underlying failure
   */
  public InvalidConfigException(String message, Throwable cause) {
    super(Category.USER_ERROR, message, cause);
  }
}
