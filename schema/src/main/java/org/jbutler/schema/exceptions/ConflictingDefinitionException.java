package org.jbutler.schema.exceptions;

/** A definition contradicts one already recorded under the same name or identity. */
public class ConflictingDefinitionException extends ButlerException {

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what would fix it
   */
  public ConflictingDefinitionException(String message) {
    super(Category.CONFLICT, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what went wrong and what would fix it
   * @param cause the underlying failure
   */
  public ConflictingDefinitionException(String message, Throwable cause) {
    super(Category.CONFLICT, message, cause);
  }
}
