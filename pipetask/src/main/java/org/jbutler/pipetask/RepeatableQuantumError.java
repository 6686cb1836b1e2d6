package org.jbutler.pipetask;

/** A failure that retrying will not fix (exit code 20, as pipe_base). */
public class RepeatableQuantumError extends RuntimeException {

  /**
   * The exit code a process running this one quantum exits with, for batch systems (the in-process
   * executor records the failure against the quantum and goes on).
   */
  public static final int EXIT_CODE = 20;

  /** With a reason and cause. */
  public RepeatableQuantumError(String message, Throwable cause) {
    super(message, cause);
  }

  /** With a reason. */
  public RepeatableQuantumError(String message) {
    super(message);
  }
}
