package org.jbutler.pipetask.examples;

import org.jbutler.pipetask.Connection;
import org.jbutler.pipetask.Connections;
import org.jbutler.pipetask.PipelineTask;

/** Writes a per-detector calibration (to show that a prerequisite may not be produced). */
public final class MakeBiasTask extends PipelineTask<MakeBiasTask.Config> {

  /** The storage class it writes (to provoke a mismatch in tests). */
  public record Config(String storageClass) {}

  @Override
  public Class<Config> configClass() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config("ImageF");
  }

  @Override
  public Connections connections(Config config) {
    return Connections.builder("instrument", "detector")
        .add(
            Connection.input("raws", "raw", "ImageI", "instrument", "exposure", "detector")
                .withMultiple(),
            Connection.output("bias", "bias", config.storageClass(), "instrument", "detector")
                .asCalibration())
        .build();
  }
}
