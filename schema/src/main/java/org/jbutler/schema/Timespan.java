package org.jbutler.schema;

import java.util.List;

/**
 * A half-open interval of time {@code [begin, end)} in TAI nanoseconds since 1970-01-01 TAI.
 *
 * <p>As in daf_butler, times are clamped to [{@link #MIN_NSEC}, {@link #MAX_NSEC}]: a begin of
 * {@code MIN_NSEC} means "unbounded below" and an end of {@code MAX_NSEC} "unbounded above". A
 * timespan whose begin is not before its end is empty, and every empty timespan is normalised to
 * {@code (MAX_NSEC, MIN_NSEC)}, so the overlap test {@code a.end > b.begin && b.end > a.begin}
 * works on the stored integers unchanged.
 *
 * @param begin the inclusive lower bound, TAI ns
 * @param end the exclusive upper bound, TAI ns
 */
public record Timespan(long begin, long end) {

  /** The smallest time: 1970-01-01T00:00:00 TAI; also the "unbounded begin" sentinel. */
  public static final long MIN_NSEC = 0L;

  /** The largest time: 2100-01-01T00:00:00 TAI; also the "unbounded end" sentinel. */
  public static final long MAX_NSEC = 47_482L * 86_400L * 1_000_000_000L;

  private static final Timespan EMPTY = new Timespan(MAX_NSEC, MIN_NSEC);
  private static final Timespan UNBOUNDED = new Timespan(MIN_NSEC, MAX_NSEC);

  /** Clamps the bounds and normalises an empty interval. */
  public Timespan {
    begin = Times.clamp(begin);
    end = Times.clamp(end);
    if (begin >= end) {
      begin = MAX_NSEC;
      end = MIN_NSEC;
    }
  }

  /** Returns {@code [begin, end)}, clamped; empty if {@code begin >= end}. */
  public static Timespan of(long begin, long end) {
    return new Timespan(begin, end);
  }

  /** Returns the timespan that contains every time. */
  public static Timespan unbounded() {
    return UNBOUNDED;
  }

  /** Returns the empty timespan, which overlaps nothing. */
  public static Timespan empty() {
    return EMPTY;
  }

  /** Returns {@code [begin, unbounded)}. */
  public static Timespan from(long begin) {
    return new Timespan(begin, MAX_NSEC);
  }

  /** Returns {@code [unbounded, end)}. */
  public static Timespan until(long end) {
    return new Timespan(MIN_NSEC, end);
  }

  /** Returns the one-nanosecond timespan {@code [t, t + 1)} that stands for an instant. */
  public static Timespan instant(long t) {
    long c = Times.clamp(t);
    return new Timespan(c, c == MAX_NSEC ? c : c + 1);
  }

  /** Returns whether this timespan contains no time. */
  public boolean isEmpty() {
    return begin >= end;
  }

  /** Returns whether the begin is unbounded. */
  public boolean hasUnboundedBegin() {
    return !isEmpty() && begin == MIN_NSEC;
  }

  /** Returns whether the end is unbounded. */
  public boolean hasUnboundedEnd() {
    return !isEmpty() && end == MAX_NSEC;
  }

  /** Returns whether the two share any time; empty timespans overlap nothing. */
  public boolean overlaps(Timespan other) {
    return end > other.begin && other.end > begin;
  }

  /** Returns whether {@code begin <= t < end}. */
  public boolean contains(long t) {
    return begin <= t && t < end;
  }

  /** Returns whether every time in {@code other} is in this timespan; true for empty others. */
  public boolean contains(Timespan other) {
    return other.isEmpty() || (begin <= other.begin && other.end <= end);
  }

  /** Returns the time in both timespans (possibly empty). */
  public Timespan intersection(Timespan other) {
    return new Timespan(Math.max(begin, other.begin), Math.min(end, other.end));
  }

  /**
   * Returns the time in this timespan but not in {@code other}: zero, one or two non-empty
   * timespans in time order (two when {@code other} lies strictly inside this one).
   */
  public List<Timespan> difference(Timespan other) {
    if (isEmpty()) {
      return List.of();
    }
    if (!overlaps(other)) {
      return List.of(this);
    }
    Timespan before = new Timespan(begin, other.begin);
    Timespan after = new Timespan(other.end, end);
    if (before.isEmpty()) {
      return after.isEmpty() ? List.of() : List.of(after);
    }
    return after.isEmpty() ? List.of(before) : List.of(before, after);
  }

  /** Returns {@code [2020-01-01T00:00:00.000000000, ∞)} style text in TAI; {@code (empty)}. */
  @Override
  public String toString() {
    if (isEmpty()) {
      return "(empty)";
    }
    String b = begin == MIN_NSEC ? "-∞" : Times.formatIso(begin);
    String e = end == MAX_NSEC ? "∞" : Times.formatIso(end);
    return "[" + b + ", " + e + ")";
  }
}
