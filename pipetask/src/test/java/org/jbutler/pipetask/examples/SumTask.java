package org.jbutler.pipetask.examples;

import java.util.List;
import java.util.Map;
import org.jbutler.datastore.ImageF;
import org.jbutler.pipetask.Connection;
import org.jbutler.pipetask.Connections;
import org.jbutler.pipetask.PipelineTask;

/** Sums the scaled images of all detectors of an exposure (a gather), minus optional biases. */
public final class SumTask extends PipelineTask<SumTask.Config> {

  /** The config. */
  public record Config(boolean useBias, String note) {}

  @Override
  public Class<Config> configClass() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(true, "");
  }

  @Override
  public Connections connections(Config config) {
    Connections.Builder b =
        Connections.builder("instrument", "exposure")
            .add(
                Connection.input("images", "scaled", "ImageF", "instrument", "exposure", "detector")
                    .withMultiple(),
                Connection.prerequisite("bias", "bias", "ImageF", "instrument", "detector")
                    .withMultiple()
                    .withMinimum(0)
                    .asCalibration(),
                Connection.output(
                    "total", "exposure_sum", "StructuredDataDict", "instrument", "exposure"),
                Connection.initOutput("schema", "sum_schema", "StructuredDataDict"));
    if (!config.useBias()) {
      b.remove("bias"); // config-dependent connections
    }
    return b.build();
  }

  @Override
  public Map<String, Object> init(Map<String, Object> initInputs) {
    return Map.of("schema", Map.of("columns", List.of("exposure", "sum")));
  }

  @Override
  @SuppressWarnings("unchecked")
  public Map<String, Object> run(Map<String, Object> inputs) {
    double sum = 0;
    for (ImageF image : (List<ImageF>) inputs.get("images")) {
      for (float v : image.pixels()) {
        sum += v;
      }
    }
    return Map.of("total", Map.of("sum", sum, "images", ((List<?>) inputs.get("images")).size()));
  }
}
