package org.jbutler.datastore;

import org.jbutler.schema.ButlerException;

/**
 * An artifact cannot be written or read: a corrupt or foreign file, a missing part of it, or a read
 * parameter it cannot satisfy. The message names the file.
 */
public class ArtifactException extends ButlerException {

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what would fix it
   */
  public ArtifactException(String message) {
    super(Category.USER_ERROR, message);
  }

  /**
   * Creates the exception with a cause.
   *
   * @param message what went wrong and what would fix it
   * @param cause the underlying failure
   */
  public ArtifactException(String message, Throwable cause) {
    super(Category.USER_ERROR, message, cause);
  }
}
