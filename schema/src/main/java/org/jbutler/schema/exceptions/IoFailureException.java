package org.jbutler.schema.exceptions;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;

/**
 * Reading or writing a file failed for a reason outside jbutler: a file that is not there (category
 * MISSING); a path that cannot be used as given (no permission, a file where a directory should be,
 * a file that exists: USER_ERROR); or the environment (a full disk, a device: INTERNAL). Not a
 * configuration error: the configuration itself may be right.
 */
public class IoFailureException extends ButlerException {

  private IoFailureException(Category category, String message, Throwable cause) {
    super(category, message, cause);
  }

  /**
   * The exception for an I/O failure.
   *
   * @param what what was being done, e.g. "Cannot write the export to /data/x"
   * @param cause the failure
   */
  public static IoFailureException of(String what, IOException cause) {
    boolean missing =
        cause instanceof NoSuchFileException || cause instanceof FileNotFoundException;
    boolean badPath =
        cause instanceof java.nio.file.AccessDeniedException
            || cause instanceof java.nio.file.FileAlreadyExistsException
            || cause instanceof java.nio.file.NotDirectoryException
            || cause instanceof java.nio.file.DirectoryNotEmptyException
            || (cause instanceof java.nio.file.FileSystemException f
                && String.valueOf(f.getReason()).contains("Not a directory"));
    String detail =
        missing
            ? "no such file: " + cause.getMessage()
            : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    Category category =
        missing ? Category.MISSING : badPath ? Category.USER_ERROR : Category.INTERNAL;
    return new IoFailureException(category, what + " (" + detail + ").", cause);
  }

  /** The exception for a thread interrupted while waiting (INTERNAL). */
  public static IoFailureException interrupted(String what, InterruptedException cause) {
    return new IoFailureException(Category.INTERNAL, what + " (interrupted).", cause);
  }
}
