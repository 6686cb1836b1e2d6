package org.jbutler.pipetask;

/** pipe_base's {@code QuantumSuccessCaveats}: why a successful quantum may have written less. */
public enum QuantumSuccessCaveat {
  ANY_OUTPUTS_MISSING,
  ALL_OUTPUTS_MISSING,
  NO_WORK,
  ADJUST_QUANTUM_RAISED,
  UPSTREAM_FAILURE_NO_WORK,
  UNPROCESSABLE_DATA,
  PARTIAL_OUTPUTS_ERROR
}
