package org.jbutler.pipetask.examples;

import java.util.Map;
import org.jbutler.datastore.Image;
import org.jbutler.datastore.ImageF;
import org.jbutler.pipetask.Connection;
import org.jbutler.pipetask.Connections;
import org.jbutler.pipetask.PipelineTask;

/** Subtracts a bias found by the exposure's time: a calibration prerequisite. */
public final class IsrLikeTask extends PipelineTask<IsrLikeTask.Config> {

  /** The config. */
  public record Config(int biasMinimum) {}

  @Override
  public Class<Config> configClass() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(1);
  }

  @Override
  public Connections connections(Config config) {
    Connection bias =
        Connection.prerequisite("bias", "bias", "ImageF", "instrument", "detector").asCalibration();
    if (config.biasMinimum() == 0) {
      bias = bias.withMultiple().withMinimum(0);
    }
    return Connections.builder("instrument", "exposure", "detector")
        .add(
            Connection.input("raw", "raw", "ImageI", "instrument", "exposure", "detector"),
            bias,
            Connection.output(
                "corrected", "isr_out", "ImageF", "instrument", "exposure", "detector"))
        .build();
  }

  @Override
  public Map<String, Object> run(Map<String, Object> inputs) {
    ImageF raw = ((Image) inputs.get("raw")).as(ImageF.class);
    ImageF bias = (ImageF) inputs.get("bias");
    float[] p = raw.pixels().clone();
    for (int i = 0; i < p.length; i++) {
      p[i] -= bias.pixels()[i];
    }
    return Map.of("corrected", new ImageF(raw.bbox(), p, raw.metadata()));
  }
}
