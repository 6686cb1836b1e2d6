package org.jbutler.schema.exceptions;

/**
 * Stored data is damaged: a truncated or corrupt file, a file of another kind where one of ours was
 * expected, a checksum that disagrees. The message names the file and what is wrong with it.
 */
public class DamagedDataException extends ButlerException {

  /**
   * Creates the exception.
   *
   * @param message what is damaged, how, and what to do about it
   */
  public DamagedDataException(String message) {
    super(Category.DAMAGED, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what is damaged, how, and what to do about it
   * @param cause the underlying failure
   */
  public DamagedDataException(String message, Throwable cause) {
    super(Category.DAMAGED, message, cause);
  }
}
