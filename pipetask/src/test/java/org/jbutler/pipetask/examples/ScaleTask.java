package org.jbutler.pipetask.examples;

import java.util.Map;
import org.jbutler.datastore.Image;
import org.jbutler.datastore.ImageF;
import org.jbutler.pipetask.Connection;
import org.jbutler.pipetask.Connections;
import org.jbutler.pipetask.PipelineTask;

/** Multiplies a raw by a factor: one exposure and detector per quantum. */
public final class ScaleTask extends PipelineTask<ScaleTask.Config> {

  /** A nested group of fields. */
  public record Limits(double low, double high) {}

  /** The config. */
  public record Config(double factor, int iterations, boolean doClip, Limits limits) {}

  @Override
  public Class<Config> configClass() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(2.0, 1, false, new Limits(0, 65535));
  }

  @Override
  public void validate(Config config) {
    if (config.factor() <= 0) {
      throw new IllegalArgumentException("factor must be positive, not " + config.factor());
    }
  }

  @Override
  public Connections connections(Config config) {
    return Connections.builder("instrument", "exposure", "detector")
        .template("prefix", "")
        .add(
            Connection.input("exposure", "raw", "ImageI", "instrument", "exposure", "detector"),
            Connection.output(
                "scaled", "{prefix}scaled", "ImageF", "instrument", "exposure", "detector"))
        .build();
  }

  @Override
  public Map<String, Object> run(Map<String, Object> inputs) {
    ImageF in = ((Image) inputs.get("exposure")).as(ImageF.class);
    float[] p = in.pixels().clone();
    for (int i = 0; i < p.length; i++) {
      p[i] *= (float) config().factor();
    }
    return Map.of("scaled", new ImageF(in.bbox(), p, in.metadata()));
  }
}
