package org.jbutler.pipetask;

import org.jbutler.schema.exceptions.ButlerException;

/** A required prerequisite input was not found (pipe_base raises FileNotFoundError). */
public class PrerequisiteMissingException extends ButlerException {

  /** With a message naming the task, data ID and what was missing. */
  public PrerequisiteMissingException(String message) {
    super(Category.MISSING, message);
  }
}
