package org.jbutler.pipetask;

/**
 * Not an error: the quantum succeeded with nothing to do (pipe_base's {@code NoWorkFound}). Its
 * metadata is written; outputs may be absent, and downstream quanta that lack them are skipped as
 * no-work too.
 */
public class NoWorkFound extends RuntimeException {

  /** With a reason. */
  public NoWorkFound(String message) {
    super(message);
  }

  /** The caveats this outcome records. */
  public java.util.Set<QuantumSuccessCaveat> caveats() {
    return java.util.EnumSet.of(QuantumSuccessCaveat.NO_WORK);
  }
}
