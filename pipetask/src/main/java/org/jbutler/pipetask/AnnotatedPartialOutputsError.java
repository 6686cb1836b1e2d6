package org.jbutler.pipetask;

/**
 * Raised from the real error after a task wrote annotated partial outputs; with {@code
 * --no-raise-on-partial-outputs} the quantum counts as a qualified success.
 */
public class AnnotatedPartialOutputsError extends RepeatableQuantumError {

  /** With the error that stopped the task. */
  public AnnotatedPartialOutputsError(String message, Throwable cause) {
    super(message, cause);
  }
}
