package org.jbutler.schema;

/**
 * The TAI-UTC table (ERFA's {@code eraDat}: IERS Bulletin C up to the leap second of 2017-01-01),
 * including the pre-1972 drift formulas.
 *
 * <p>"Naive" UTC nanoseconds count calendar days of 86,400 s since 1970-01-01T00:00:00 UTC, so a
 * leap second 23:59:60 has the same naive value as the following midnight and is told apart by a
 * flag.
 */
final class LeapSeconds {

  private static final long NS = 1_000_000_000L;
  private static final long DAY_NS = 86_400L * NS;
  private static final int MJD_1970 = 40_587;

  // {year, month, TAI-UTC in ns at the start, drift reference MJD, drift in ns per day}
  private static final long[][] TABLE = {
    {1960, 1, 1_417_818_000L, 37_300, 1_296_000L},
    {1961, 1, 1_422_818_000L, 37_300, 1_296_000L},
    {1961, 8, 1_372_818_000L, 37_300, 1_296_000L},
    {1962, 1, 1_845_858_000L, 37_665, 1_123_200L},
    {1963, 11, 1_945_858_000L, 37_665, 1_123_200L},
    {1964, 1, 3_240_130_000L, 38_761, 1_296_000L},
    {1964, 4, 3_340_130_000L, 38_761, 1_296_000L},
    {1964, 9, 3_440_130_000L, 38_761, 1_296_000L},
    {1965, 1, 3_540_130_000L, 38_761, 1_296_000L},
    {1965, 3, 3_640_130_000L, 38_761, 1_296_000L},
    {1965, 7, 3_740_130_000L, 38_761, 1_296_000L},
    {1965, 9, 3_840_130_000L, 38_761, 1_296_000L},
    {1966, 1, 4_313_170_000L, 39_126, 2_592_000L},
    {1968, 2, 4_213_170_000L, 39_126, 2_592_000L},
    {1972, 1, 10 * NS, 0, 0},
    {1972, 7, 11 * NS, 0, 0},
    {1973, 1, 12 * NS, 0, 0},
    {1974, 1, 13 * NS, 0, 0},
    {1975, 1, 14 * NS, 0, 0},
    {1976, 1, 15 * NS, 0, 0},
    {1977, 1, 16 * NS, 0, 0},
    {1978, 1, 17 * NS, 0, 0},
    {1979, 1, 18 * NS, 0, 0},
    {1980, 1, 19 * NS, 0, 0},
    {1981, 7, 20 * NS, 0, 0},
    {1982, 7, 21 * NS, 0, 0},
    {1983, 7, 22 * NS, 0, 0},
    {1985, 7, 23 * NS, 0, 0},
    {1988, 1, 24 * NS, 0, 0},
    {1990, 1, 25 * NS, 0, 0},
    {1991, 1, 26 * NS, 0, 0},
    {1992, 7, 27 * NS, 0, 0},
    {1993, 7, 28 * NS, 0, 0},
    {1994, 7, 29 * NS, 0, 0},
    {1996, 1, 30 * NS, 0, 0},
    {1997, 7, 31 * NS, 0, 0},
    {1999, 1, 32 * NS, 0, 0},
    {2006, 1, 33 * NS, 0, 0},
    {2009, 1, 34 * NS, 0, 0},
    {2012, 7, 35 * NS, 0, 0},
    {2015, 7, 36 * NS, 0, 0},
    {2017, 1, 37 * NS, 0, 0},
  };

  /** Naive UTC ns at which each entry starts. */
  private static final long[] START = new long[TABLE.length];

  static {
    for (int i = 0; i < TABLE.length; i++) {
      long days = java.time.LocalDate.of((int) TABLE[i][0], (int) TABLE[i][1], 1).toEpochDay();
      START[i] = days * DAY_NS;
    }
  }

  private LeapSeconds() {}

  /** Returns the index of the entry in force at a naive UTC time, or -1 before 1960. */
  private static int entryAt(long naiveUtc) {
    int lo = 0;
    int hi = START.length - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (START[mid] <= naiveUtc) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  private static long dat(int entry, long naiveUtc) {
    if (entry < 0) {
      return 0;
    }
    long[] row = TABLE[entry];
    long base = row[2];
    if (row[4] == 0) {
      return base;
    }
    // Drift era: TAI-UTC grows linearly with the UTC MJD (including its fraction).
    double mjd = MJD_1970 + (double) naiveUtc / DAY_NS;
    return base + Math.round((mjd - row[3]) * row[4]);
  }

  /** Returns TAI-UTC in ns at a naive UTC time (the value before a leap second, during it). */
  static long taiMinusUtc(long naiveUtc) {
    return dat(entryAt(naiveUtc), naiveUtc);
  }

  /**
   * Converts UTC to TAI ns.
   *
   * @param naiveUtc naive UTC ns; for a leap second, the naive value of 23:59:59 plus the fraction
   *     plus one second
   * @param inLeapSecond whether the time was written with a seconds field of 60
   */
  static long utcToTai(long naiveUtc, boolean inLeapSecond) {
    long reference = inLeapSecond ? naiveUtc - NS : naiveUtc;
    return Math.addExact(naiveUtc, taiMinusUtc(reference));
  }

  /** Whether a leap second (or pre-1972 step) is inserted just before this naive UTC midnight. */
  static boolean isLeapSecondBoundary(long naiveUtcMidnight) {
    int e = entryAt(naiveUtcMidnight);
    return e > 0
        && START[e] == naiveUtcMidnight
        && dat(e, naiveUtcMidnight) > dat(e - 1, naiveUtcMidnight);
  }

  /**
   * Converts TAI ns to UTC.
   *
   * @return {naive UTC ns, 1 if the instant falls inside an inserted leap second else 0}; inside a
   *     leap second the naive value is that of 23:59:59 plus the elapsed part of the leap second
   */
  static long[] taiToUtc(long tai) {
    // Inside an inserted step: TAI in [start + datBefore, start + datAfter).
    for (int e = TABLE.length - 1; e > 0; e--) {
      long start = START[e];
      long before = dat(e - 1, start);
      long after = dat(e, start);
      if (tai >= start + after) {
        break;
      }
      if (after > before && tai >= start + before && tai < start + after) {
        return new long[] {start - NS + (tai - start - before), 1};
      }
    }
    long utc = tai - taiMinusUtc(tai);
    for (int i = 0; i < 3; i++) {
      utc = tai - taiMinusUtc(utc);
    }
    return new long[] {utc, 0};
  }
}
