package org.jbutler.schema.exceptions;

/** A data ID names an unknown dimension, lacks a required one, or has a value of the wrong type. */
public class InvalidDataIdException extends ButlerException {

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what would fix it
   */
  public InvalidDataIdException(String message) {
    super(Category.USER_ERROR, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what went wrong and what would fix it
   * @param cause the underlying failure
   */
  public InvalidDataIdException(String message, Throwable cause) {
    super(Category.USER_ERROR, message, cause);
  }
}
