package org.jbutler.benchmarks;

/** One benchmark program: measures something and reports figures. */
interface Benchmark {

  /** Returns the name used to select it on the command line. */
  String name();

  /** Returns a one-line description. */
  String description();

  /** Runs the benchmark, reporting each figure once. */
  void run(Reporter reporter) throws Exception;
}
