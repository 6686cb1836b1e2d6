package org.jbutler.pipetask;

/** The data should never be processed (a no-work outcome, not a failure). */
public class UnprocessableDataError extends NoWorkFound {

  /** With a reason. */
  public UnprocessableDataError(String message) {
    super(message);
  }

  @Override
  public java.util.Set<QuantumSuccessCaveat> caveats() {
    return java.util.EnumSet.of(
        QuantumSuccessCaveat.NO_WORK, QuantumSuccessCaveat.UNPROCESSABLE_DATA);
  }
}
