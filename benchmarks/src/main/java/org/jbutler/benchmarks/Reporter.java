package org.jbutler.benchmarks;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints one line per figure: name, value, unit and, when there is a raw baseline measured in the
 * same run, the baseline and the ratio. Ratios are always "ours relative to the baseline" in the
 * direction where higher is better (throughput over throughput, baseline time over our time), so
 * 1.0 means parity and a target such as "ratio at least 0.5" reads directly.
 */
final class Reporter {

  private final PrintStream out;

  Reporter(PrintStream out) {
    this.out = out;
  }

  /** Reports a figure without a baseline. */
  void figure(String name, double value, String unit) {
    out.printf(Locale.ROOT, "%-44s %14.3f %-10s%n", name, value, unit);
  }

  /** Reports a rate (higher is better) against a baseline rate. */
  void rate(String name, double value, String unit, String baselineName, double baseline) {
    compared(name, value, unit, value / baseline, baselineName, baseline);
  }

  /** Reports a duration (lower is better) against a baseline duration. */
  void time(String name, double value, String unit, String baselineName, double baseline) {
    compared(name, value, unit, baseline / value, baselineName, baseline);
  }

  private void compared(
      String name, double value, String unit, double ratio, String baselineName, double baseline) {
    out.printf(
        Locale.ROOT,
        "%-44s %14.3f %-10s ratio %.3f to %s (%.3f %s)%n",
        name,
        value,
        unit,
        ratio,
        baselineName,
        baseline,
        unit);
  }
}
