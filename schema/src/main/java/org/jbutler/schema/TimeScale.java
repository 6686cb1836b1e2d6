package org.jbutler.schema;

import java.util.Locale;
import org.jbutler.schema.exceptions.InvalidTimeException;

/** The time scales jbutler converts between; timespans are always stored in TAI. */
public enum TimeScale {
  /** International Atomic Time: the storage scale. */
  TAI,
  /** Coordinated Universal Time, with leap seconds. */
  UTC,
  /** Terrestrial Time: TAI + 32.184 s. */
  TT,
  /** GPS time: TAI - 19 s. */
  GPS;

  /**
   * Returns the scale with this name, ignoring case.
   *
   * @throws InvalidTimeException naming the supported scales
   */
  public static TimeScale fromName(String name) {
    try {
      return valueOf(name.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidTimeException(
          "Unknown time scale '" + name + "'; supported scales are tai, utc, tt and gps.");
    }
  }
}
