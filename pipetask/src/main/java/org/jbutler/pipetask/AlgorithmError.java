package org.jbutler.pipetask;

import java.util.Map;

/** An algorithm's failure on this data, with values describing it for the quantum's metadata. */
public abstract class AlgorithmError extends RepeatableQuantumError {

  /** With a reason. */
  protected AlgorithmError(String message) {
    super(message);
  }

  /** What to record about the failure. */
  public abstract Map<String, Object> metadata();
}
