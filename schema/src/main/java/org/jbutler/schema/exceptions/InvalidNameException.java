package org.jbutler.schema.exceptions;

/** A name (of a collection, for instance) is empty, too long, or uses characters it may not. */
public class InvalidNameException extends ButlerException {

  /**
   * Creates the exception.
   *
   * @param message the name, what is wrong with it and the rule it must follow
   */
  public InvalidNameException(String message) {
    super(Category.USER_ERROR, message);
  }
}
