package org.jbutler.benchmarks;

import java.util.Arrays;

/** Timing: warm up, repeat, take the median. */
final class Harness {

  /** Work to time; may throw. */
  @FunctionalInterface
  interface Work {
    void run() throws Exception;
  }

  /** Work in a directory. */
  @FunctionalInterface
  interface DirectoryWork {
    void run(java.nio.file.Path dir) throws Exception;
  }

  private Harness() {}

  /** Runs work in a new temporary directory and deletes the directory afterwards. */
  static void inTempDir(DirectoryWork work) throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("jbutler-bench");
    try {
      work.run(dir);
    } finally {
      try (var files = java.nio.file.Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /**
   * Returns the median wall time in seconds of {@code repetitions} runs after {@code warmups}
   * untimed runs.
   */
  static double medianSeconds(int warmups, int repetitions, Work work) throws Exception {
    for (int i = 0; i < warmups; i++) {
      work.run();
    }
    double[] t = new double[repetitions];
    for (int i = 0; i < repetitions; i++) {
      long start = System.nanoTime();
      work.run();
      t[i] = (System.nanoTime() - start) / 1e9;
    }
    Arrays.sort(t);
    return repetitions % 2 == 1
        ? t[repetitions / 2]
        : (t[repetitions / 2 - 1] + t[repetitions / 2]) / 2;
  }
}
