package org.jbutler.pipetask.tasks;

import java.util.List;
import java.util.Map;
import org.jbutler.pipetask.Connection;
import org.jbutler.pipetask.Connections;
import org.jbutler.pipetask.PipelineTask;

/**
 * Reads nothing it does not need and writes one small dict per quantum: an input of type {@code
 * input} (default {@code raw}) and an output {@code output} (default {@code noop_out}), both with
 * the task's dimensions (default instrument, exposure, detector). For measuring graph building and
 * execution overheads, and for trying pipelines on any repository.
 */
public final class NoopTask extends PipelineTask<NoopTask.Config> {

  /**
   * The config.
   *
   * @param dimensions the quantum's dimensions, also those of the input and output
   * @param input the input dataset type
   * @param inputStorageClass its storage class
   * @param output the output dataset type (a StructuredDataDict)
   * @param readInput whether to read the input (else only its ID is recorded)
   */
  public record Config(
      List<String> dimensions,
      String input,
      String inputStorageClass,
      String output,
      boolean readInput) {}

  @Override
  public Class<Config> configClass() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(
        List.of("instrument", "exposure", "detector"), "raw", "ImageI", "noop_out", false);
  }

  @Override
  public Connections connections(Config config) {
    String[] dims = config.dimensions().toArray(String[]::new);
    Connection in = Connection.input("input", config.input(), config.inputStorageClass(), dims);
    if (!config.readInput()) {
      in = in.withDeferLoad();
    }
    return Connections.builder(dims)
        .add(in, Connection.output("output", config.output(), "StructuredDataDict", dims))
        .build();
  }

  @Override
  public Map<String, Object> run(Map<String, Object> inputs) {
    return Map.of("output", Map.of("ok", true));
  }
}
