package org.jbutler.benchmarks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs benchmarks by name ({@code scripts/bench schema}), or all of them with no arguments; {@code
 * --list} lists them.
 */
public final class Main {

  private Main() {}

  private static Map<String, Benchmark> all() {
    Map<String, Benchmark> m = new LinkedHashMap<>();
    for (Benchmark b :
        List.<Benchmark>of(
            new SchemaBenchmark(),
            new RegistryBenchmark(),
            new QueryBenchmark(),
            new DatastoreBenchmark(),
            new IngestBenchmark(),
            new TransferBenchmark(),
            new QgraphBenchmark(),
            new ExecutorBenchmark(),
            new DemoBenchmark(),
            new SpatialBenchmark(),
            new CliBenchmark())) {
      m.put(b.name(), b);
    }
    return m;
  }

  /** Entry point; exits 2 on an unknown benchmark name. */
  public static void main(String[] args) throws Exception {
    Map<String, Benchmark> all = all();
    if (args.length == 1 && (args[0].equals("--list") || args[0].equals("--help"))) {
      System.out.println("Usage: scripts/bench [NAME...]   (no NAME runs them all)");
      all.values().forEach(b -> System.out.printf("  %-12s %s%n", b.name(), b.description()));
      return;
    }
    List<Benchmark> chosen = new ArrayList<>();
    for (String a : args) {
      Benchmark b = all.get(a);
      if (b == null) {
        System.err.println(
            "Unknown benchmark '" + a + "'; known: " + String.join(", ", all.keySet()));
        System.exit(2);
      }
      chosen.add(b);
    }
    if (chosen.isEmpty()) {
      chosen.addAll(all.values());
    }
    Reporter reporter = new Reporter(System.out);
    for (Benchmark b : chosen) {
      System.out.println("# " + b.name() + ": " + b.description());
      b.run(reporter);
    }
  }
}
