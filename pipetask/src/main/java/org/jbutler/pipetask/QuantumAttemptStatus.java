package org.jbutler.pipetask;

/** pipe_base's {@code QuantumAttemptStatus}, with its numeric codes. */
public enum QuantumAttemptStatus {
  ABORTED(-4),
  UNKNOWN(-3),
  ABORTED_SUCCESS(-2),
  FAILED(-1),
  BLOCKED(0),
  SUCCESSFUL(1);

  private final int code;

  QuantumAttemptStatus(int code) {
    this.code = code;
  }

  /** pipe_base's number for it. */
  public int code() {
    return code;
  }
}
