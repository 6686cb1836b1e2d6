package org.jbutler.schema;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Small helpers for printing values and suggesting names in messages. */
public final class Values {

  private Values() {}

  /**
   * Formats a value as daf_butler prints data ID values: strings quoted, others bare.
   *
   * @param value the value
   * @return the value for a message
   */
  public static String quote(Object value) {
    return value instanceof CharSequence ? "'" + value + "'" : String.valueOf(value);
  }

  /** Compares two values of the same column type; strings and numbers have natural orders. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public static int compare(Object a, Object b) {
    if (a instanceof Comparable ca && a.getClass() == b.getClass()) {
      return ca.compareTo(b);
    }
    return a.toString().compareTo(b.toString());
  }

  /**
   * Returns " Did you mean 'x'?" for the closest candidate, or "" when none is close.
   *
   * @param name the name given
   * @param candidates the names that exist
   * @return the suggestion, or ""
   */
  public static String suggestion(String name, Collection<String> candidates) {
    Optional<String> best =
        candidates.stream()
            .filter(c -> distance(name, c) <= Math.max(2, name.length() / 3))
            .min(Comparator.comparingInt((String c) -> distance(name, c)).thenComparing(c -> c));
    return best.map(b -> " Did you mean '" + b + "'?").orElse("");
  }

  /** Returns " (did you mean 'x'?)" for the closest candidate, or "" when none is close. */
  public static String hint(String name, Collection<String> candidates) {
    String s = suggestion(name, candidates);
    return s.isEmpty() ? "" : " (d" + s.substring(2, s.length()) + ")";
  }

  /**
   * Returns a sorted, comma-separated listing of names for messages.
   *
   * @param names the names
   * @return the listing
   */
  public static String listing(Collection<String> names) {
    List<String> sorted = names.stream().sorted().toList();
    return String.join(", ", sorted);
  }

  /** Levenshtein distance, case-insensitive. */
  static int distance(String a, String b) {
    String x = a.toLowerCase(java.util.Locale.ROOT);
    String y = b.toLowerCase(java.util.Locale.ROOT);
    int[] prev = new int[y.length() + 1];
    int[] cur = new int[y.length() + 1];
    for (int j = 0; j <= y.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= x.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= y.length(); j++) {
        int cost = x.charAt(i - 1) == y.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[y.length()];
  }
}
