package org.jbutler.schema.exceptions;

/**
 * A calibration lookup is ambiguous: more than one dataset is certified for the data ID within the
 * requested time window of one CALIBRATION collection.
 */
public class CalibrationLookupException extends ButlerException {

  /**
   * Creates the exception.
   *
   * @param message what went wrong and what would fix it
   */
  public CalibrationLookupException(String message) {
    super(Category.CONFLICT, message);
  }
}
