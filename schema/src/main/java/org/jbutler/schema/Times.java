package org.jbutler.schema;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jbutler.schema.exceptions.InvalidTimeException;

/**
 * Conversions between time strings and TAI nanoseconds since 1970-01-01T00:00:00 TAI, the
 * representation of every time in a registry.
 *
 * <p>Like daf_butler, results are clamped to [{@link Timespan#MIN_NSEC}, {@link Timespan#MAX_NSEC}]
 * (1970-01-01 to 2100-01-01 TAI). UTC conversions use the leap-second table, including the
 * sub-second steps and drift of 1970-1971.
 */
public final class Times {

  private static final long NS = 1_000_000_000L;
  private static final long DAY_NS = 86_400L * NS;
  private static final BigDecimal MJD_1970 = BigDecimal.valueOf(40_587);
  private static final BigDecimal JD_TO_MJD = new BigDecimal("2400000.5");
  private static final BigDecimal DAY = BigDecimal.valueOf(DAY_NS);
  private static final long TT_MINUS_TAI = 32_184_000_000L;
  private static final long TAI_MINUS_GPS = 19 * NS;

  private static final Pattern ISO =
      Pattern.compile(
          "([+-]?\\d{4,5})-(\\d{1,2})-(\\d{1,2})"
              + "(?:[ T](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d*))?)?)?"
              + "\\s*(?:Z|[+]00:?00|\\(UTC\\))?");
  private static final Pattern YDAY =
      Pattern.compile("(\\d{4}):(\\d{3})(?::(\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d*))?)?)?");
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private Times() {}

  /**
   * Parses an ISO 8601 date-time ({@code 2020-01-01}, {@code 2020-01-01 12:30}, {@code
   * 2020-01-01T12:30:00.123456789}, a trailing {@code Z} or {@code +00:00} allowed) in a scale.
   *
   * @return TAI ns since 1970-01-01 TAI, clamped
   * @throws InvalidTimeException if the text is not such a date-time, or names a leap second that
   *     did not happen
   */
  public static long parseIso(String text, TimeScale scale) {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(scale, "scale");
    Matcher m = ISO.matcher(text.trim());
    if (!m.matches()) {
      throw new InvalidTimeException(
          "Cannot parse time '"
              + text
              + "'; expected ISO 8601 such as 2020-01-01T12:30:00.5 or 2020-01-01 12:30:00.");
    }
    return fromCalendar(
        text,
        parseInt(m.group(1)),
        parseInt(m.group(2)),
        parseInt(m.group(3)),
        m.group(4),
        m.group(5),
        m.group(6),
        m.group(7),
        scale);
  }

  private static int parseInt(String s) {
    return Integer.parseInt(s.startsWith("+") ? s.substring(1) : s);
  }

  private static long fromCalendar(
      String text,
      int year,
      int month,
      int day,
      String hour,
      String minute,
      String second,
      String fraction,
      TimeScale scale) {
    LocalDate date;
    try {
      date = LocalDate.of(year, month, day);
    } catch (DateTimeException e) {
      throw new InvalidTimeException("Invalid date in time '" + text + "': " + e.getMessage());
    }
    int h = hour == null ? 0 : Integer.parseInt(hour);
    int min = minute == null ? 0 : Integer.parseInt(minute);
    int s = second == null ? 0 : Integer.parseInt(second);
    if (h > 23 || min > 59 || s > 60) {
      throw new InvalidTimeException("Invalid time of day in '" + text + "'.");
    }
    long frac = 0;
    if (fraction != null && !fraction.isEmpty()) {
      String digits = (fraction + "000000000").substring(0, 9);
      frac = Long.parseLong(digits);
    }
    boolean leap = s == 60;
    long naiveDays = date.toEpochDay();
    if (leap) {
      if (scale != TimeScale.UTC) {
        throw new InvalidTimeException("Seconds = 60 is only valid in UTC: '" + text + "'.");
      }
      if (h != 23 || min != 59 || !LeapSeconds.isLeapSecondBoundary(safeNs(naiveDays + 1, 0))) {
        throw new InvalidTimeException(
            "'"
                + text
                + "' names a leap second, but none was inserted at the end of "
                + date
                + ".");
      }
    }
    long secondsOfDay = h * 3600L + min * 60L + s;
    long naive = safeNs(naiveDays, secondsOfDay);
    if (naive == Long.MIN_VALUE || naive == Long.MAX_VALUE) {
      return clamp(naive);
    }
    naive += frac;
    return clamp(toTai(naive, scale, leap));
  }

  /** Returns days * 86400 s + seconds in ns, saturating to Long.MIN/MAX_VALUE on overflow. */
  private static long safeNs(long days, long seconds) {
    try {
      return Math.addExact(Math.multiplyExact(days, DAY_NS), Math.multiplyExact(seconds, NS));
    } catch (ArithmeticException e) {
      return days < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  private static long toTai(long naive, TimeScale scale, boolean leap) {
    return switch (scale) {
      case TAI -> naive;
      case UTC -> LeapSeconds.utcToTai(naive, leap);
      case TT -> naive - TT_MINUS_TAI;
      case GPS -> naive + TAI_MINUS_GPS;
    };
  }

  private static long fromTai(long tai, TimeScale scale) {
    return switch (scale) {
      case TAI -> tai;
      case UTC -> LeapSeconds.taiToUtc(tai)[0];
      case TT -> tai + TT_MINUS_TAI;
      case GPS -> tai - TAI_MINUS_GPS;
    };
  }

  /** Returns the current time as TAI ns, converted from the system's UTC clock. */
  public static long now() {
    return clamp(LeapSeconds.utcToTai(System.currentTimeMillis() * 1_000_000L, false));
  }

  /** Clamps TAI ns to the representable range, as daf_butler does. */
  public static long clamp(long tai) {
    return Math.max(Timespan.MIN_NSEC, Math.min(Timespan.MAX_NSEC, tai));
  }

  /**
   * Converts a modified Julian date in a scale to TAI ns, exactly (no floating point).
   *
   * @throws InvalidTimeException if the text is not a decimal number
   */
  public static long parseMjd(String text, TimeScale scale) {
    BigDecimal mjd = decimal(text, "an MJD");
    return fromMjd(mjd, scale);
  }

  private static long fromMjd(BigDecimal mjd, TimeScale scale) {
    BigDecimal ns = mjd.subtract(MJD_1970).multiply(DAY).setScale(0, RoundingMode.HALF_EVEN);
    if (ns.compareTo(BigDecimal.valueOf(Timespan.MAX_NSEC).add(BigDecimal.valueOf(DAY_NS))) > 0) {
      return Timespan.MAX_NSEC;
    }
    if (ns.compareTo(BigDecimal.valueOf(-DAY_NS)) < 0) {
      return Timespan.MIN_NSEC;
    }
    return clamp(toTai(ns.longValueExact(), scale, false));
  }

  private static BigDecimal decimal(String text, String what) {
    Objects.requireNonNull(text, "text");
    String t = text.trim();
    if (!NUMBER.matcher(t).matches()) {
      throw new InvalidTimeException("Cannot parse '" + text + "' as " + what + ".");
    }
    return new BigDecimal(t);
  }

  /** Returns the modified Julian date of TAI ns in a scale, to nanosecond precision. */
  public static BigDecimal toMjd(long tai, TimeScale scale) {
    long naive = fromTai(tai, scale);
    return BigDecimal.valueOf(naive)
        .divide(DAY, 15, RoundingMode.HALF_EVEN)
        .add(MJD_1970)
        .stripTrailingZeros();
  }

  /**
   * Formats TAI ns as ISO 8601 in a scale: {@code 2020-01-01T00:00:37.000000000}. A time inside a
   * UTC leap second prints with seconds = 60.
   *
   * @param fractionDigits digits after the decimal point, 0 to 9 (truncated)
   */
  public static String formatIso(long tai, TimeScale scale, int fractionDigits) {
    if (fractionDigits < 0 || fractionDigits > 9) {
      throw new IllegalArgumentException("fractionDigits must be 0-9, not " + fractionDigits);
    }
    long naive;
    boolean leap = false;
    if (scale == TimeScale.UTC) {
      long[] utc = LeapSeconds.taiToUtc(tai);
      naive = utc[0];
      leap = utc[1] == 1;
    } else {
      naive = fromTai(tai, scale);
    }
    long days = Math.floorDiv(naive, DAY_NS);
    long rest = Math.floorMod(naive, DAY_NS);
    long secondsOfDay = rest / NS;
    long frac = rest % NS;
    LocalDate date = LocalDate.ofEpochDay(days);
    int second = (int) (secondsOfDay % 60) + (leap ? 1 : 0);
    StringBuilder sb =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%04d-%02d-%02dT%02d:%02d:%02d",
                date.getYear(),
                date.getMonthValue(),
                date.getDayOfMonth(),
                secondsOfDay / 3600,
                (secondsOfDay / 60) % 60,
                second));
    if (fractionDigits > 0) {
      String f = String.format(Locale.ROOT, "%09d", frac);
      sb.append('.').append(f, 0, fractionDigits);
    }
    return sb.toString();
  }

  /** Formats TAI ns as ISO 8601 TAI with nanoseconds. */
  public static String formatIso(long tai) {
    return formatIso(tai, TimeScale.TAI, 9);
  }

  /**
   * Parses a time in daf_butler's literal syntax ({@code T'...'} without the quotes): an optional
   * {@code format/} prefix and {@code /scale} suffix around the value. Without a format, a bare
   * number is an MJD, {@code YYYY-MM-DD[ hh:mm[:ss[.fff]]]} is iso, a value with {@code T} is isot,
   * {@code YYYY:DDD[...]} is yday. The default scale is UTC for iso, isot, fits, yday and unix, and
   * TAI for mjd and jd.
   *
   * @return TAI ns, clamped
   * @throws InvalidTimeException naming the text and the accepted forms
   */
  public static long parseLiteral(String literal) {
    Objects.requireNonNull(literal, "literal");
    String value = literal.trim();
    String format = null;
    TimeScale scale = null;
    int slash = value.indexOf('/');
    if (slash >= 0) {
      String[] parts = value.split("/", -1);
      if (parts.length > 3) {
        throw new InvalidTimeException("Cannot parse time '" + literal + "': too many '/'.");
      }
      if (parts.length == 3) {
        format = parts[0];
        value = parts[1];
        scale = TimeScale.fromName(parts[2]);
      } else if (isFormat(parts[0])) {
        format = parts[0];
        value = parts[1];
      } else {
        value = parts[0];
        scale = TimeScale.fromName(parts[1]);
      }
    }
    value = value.trim();
    if (format == null) {
      if (NUMBER.matcher(value).matches()) {
        format = "mjd";
      } else if (YDAY.matcher(value).matches()) {
        format = "yday";
      } else if (value.contains("T")) {
        format = "isot";
      } else {
        format = "iso";
      }
    }
    format = format.trim().toLowerCase(Locale.ROOT);
    if (!isFormat(format)) {
      throw new InvalidTimeException(
          "Unknown time format '"
              + format
              + "' in '"
              + literal
              + "'; supported formats are iso, isot, fits, yday, mjd, jd and unix.");
    }
    if (scale == null) {
      scale = format.equals("mjd") || format.equals("jd") ? TimeScale.TAI : TimeScale.UTC;
    }
    return switch (format) {
      case "mjd" -> fromMjd(decimal(value, "an MJD"), scale);
      case "jd" -> fromMjd(decimal(value, "a JD").subtract(JD_TO_MJD), scale);
      case "unix" -> fromUnix(decimal(value, "Unix seconds"), scale);
      case "yday" -> parseYday(value, literal, scale);
      default -> parseIso(value, scale);
    };
  }

  private static boolean isFormat(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "iso", "isot", "fits", "yday", "mjd", "jd", "unix" -> true;
      default -> false;
    };
  }

  private static long fromUnix(BigDecimal seconds, TimeScale scale) {
    BigDecimal ns = seconds.multiply(BigDecimal.valueOf(NS)).setScale(0, RoundingMode.HALF_EVEN);
    if (ns.compareTo(BigDecimal.valueOf(Timespan.MAX_NSEC)) > 0) {
      return Timespan.MAX_NSEC;
    }
    if (ns.signum() < 0 && ns.compareTo(BigDecimal.valueOf(-DAY_NS)) < 0) {
      return Timespan.MIN_NSEC;
    }
    return clamp(toTai(ns.longValueExact(), scale, false));
  }

  private static long parseYday(String value, String literal, TimeScale scale) {
    Matcher m = YDAY.matcher(value);
    if (!m.matches()) {
      throw new InvalidTimeException(
          "Cannot parse '" + literal + "' as a day-of-year time YYYY:DDD[:hh:mm[:ss[.fff]]].");
    }
    int year = Integer.parseInt(m.group(1));
    int dayOfYear = Integer.parseInt(m.group(2));
    LocalDate date;
    try {
      date = LocalDate.ofYearDay(year, dayOfYear);
    } catch (DateTimeException e) {
      throw new InvalidTimeException("Invalid day of year in '" + literal + "': " + e.getMessage());
    }
    return fromCalendar(
        literal,
        date.getYear(),
        date.getMonthValue(),
        date.getDayOfMonth(),
        m.group(3),
        m.group(4),
        m.group(5),
        m.group(6),
        scale);
  }
}
