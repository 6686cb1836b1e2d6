package org.jbutler.pipetask;

/** A config or logic bug: execution stops at once (exit code 21, as pipe_base). */
public class InvalidQuantumError extends RuntimeException {

  /**
   * The exit code a process running this one quantum exits with, for batch systems (the in-process
   * executor records the failure against the quantum and goes on).
   */
  public static final int EXIT_CODE = 21;

  /** With a reason. */
  public InvalidQuantumError(String message) {
    super(message);
  }
}
