package org.jbutler.datastore;

import org.jbutler.schema.exceptions.ButlerException;

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

  private ArtifactException(Category category, String message, Throwable cause) {
    super(category, message, cause);
  }

  /**
   * An artifact that is damaged: truncated, corrupt, or not of the format its formatter reads.
   *
   * @param message what is damaged and how, naming the file
   * @param cause the underlying failure, or null
   */
  public static ArtifactException damaged(String message, Throwable cause) {
    return new ArtifactException(Category.DAMAGED, message, cause);
  }
}
