package org.jbutler.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionGroup;
import org.jbutler.schema.dimensions.DimensionUniverse;

/**
 * Universe load time against a bare YAML parse of the same file, and data ID standardisation
 * against copying the same maps into plain {@link HashMap}s.
 */
final class SchemaBenchmark implements Benchmark {

  private static final int DATA_IDS = 200_000;

  @Override
  public String name() {
    return "schema";
  }

  @Override
  public String description() {
    return "dimension universe load; DataCoordinate standardisation rate";
  }

  @Override
  public void run(Reporter reporter) throws Exception {
    String yaml;
    try (InputStream in = DimensionUniverse.class.getResourceAsStream("dimensions.yaml")) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
    double parse = Harness.medianSeconds(20, 41, () -> mapper.readTree(yaml));
    double load = Harness.medianSeconds(20, 41, () -> DimensionUniverse.fromYaml(yaml));
    reporter.time("schema.universe_load", load * 1e3, "ms", "yaml_parse_only", parse * 1e3);

    DimensionUniverse universe = DimensionUniverse.defaultUniverse();
    DimensionGroup group = universe.group("exposure", "detector");
    List<Map<String, Object>> inputs = new ArrayList<>(DATA_IDS);
    for (int i = 0; i < DATA_IDS; i++) {
      inputs.add(
          Map.of("instrument", "SimCam", "exposure", 2_024_000_000 + i / 100, "detector", i % 100));
    }
    long[] sink = new long[1];
    double copy =
        Harness.medianSeconds(
            3,
            7,
            () -> {
              for (Map<String, Object> m : inputs) {
                sink[0] += new HashMap<>(m).size();
              }
            });
    double standardize =
        Harness.medianSeconds(
            3,
            7,
            () -> {
              for (Map<String, Object> m : inputs) {
                sink[0] += DataCoordinate.standardize(m, group).hashCode();
              }
            });
    reporter.rate(
        "schema.data_id_standardize",
        DATA_IDS / standardize / 1e6,
        "M ids/s",
        "hashmap_copy",
        DATA_IDS / copy / 1e6);
    if (sink[0] == 42) {
      System.out.println(); // keeps the JIT from discarding the work
    }
  }
}
