package org.jbutler.pipetask.tasks;

import java.util.List;
import java.util.Map;
import org.jbutler.pipetask.Connection;
import org.jbutler.pipetask.Connections;
import org.jbutler.pipetask.PipelineTask;

/**
 * A gather: every {@code input} (default {@code noop_out}, dimensions {@code inputDimensions}) of
 * the quantum's data ID into one {@code output} (default {@code noop_sum}) that counts them. With
 * the defaults, one quantum per exposure over all its detectors.
 */
public final class NoopSumTask extends PipelineTask<NoopSumTask.Config> {

  /**
   * The config.
   *
   * @param dimensions the quantum's (and the output's) dimensions
   * @param inputDimensions the input's dimensions, a superset
   * @param input the input dataset type (StructuredDataDict)
   * @param output the output dataset type (StructuredDataDict)
   */
  public record Config(
      List<String> dimensions, List<String> inputDimensions, String input, String output) {}

  @Override
  public Class<Config> configClass() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(
        List.of("instrument", "exposure"),
        List.of("instrument", "exposure", "detector"),
        "noop_out",
        "noop_sum");
  }

  @Override
  public Connections connections(Config config) {
    String[] dims = config.dimensions().toArray(String[]::new);
    return Connections.builder(dims)
        .add(
            Connection.input(
                    "inputs",
                    config.input(),
                    "StructuredDataDict",
                    config.inputDimensions().toArray(String[]::new))
                .withMultiple(),
            Connection.output("output", config.output(), "StructuredDataDict", dims))
        .build();
  }

  @Override
  public Map<String, Object> run(Map<String, Object> inputs) {
    return Map.of("output", Map.of("count", ((List<?>) inputs.get("inputs")).size()));
  }
}
