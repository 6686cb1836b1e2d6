package org.jbutler.pipetask;

/** No work because an upstream quantum failed to produce optional inputs. */
public class UpstreamFailureNoWorkFound extends NoWorkFound {

  /** With a reason. */
  public UpstreamFailureNoWorkFound(String message) {
    super(message);
  }

  @Override
  public java.util.Set<QuantumSuccessCaveat> caveats() {
    return java.util.EnumSet.of(
        QuantumSuccessCaveat.NO_WORK, QuantumSuccessCaveat.UPSTREAM_FAILURE_NO_WORK);
  }
}
