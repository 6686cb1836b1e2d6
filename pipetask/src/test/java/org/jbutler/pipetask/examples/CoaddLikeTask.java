package org.jbutler.pipetask.examples;

import java.util.Map;
import org.jbutler.pipetask.Connection;
import org.jbutler.pipetask.Connections;
import org.jbutler.pipetask.PipelineTask;

/** Per patch, every calexp whose detector overlaps it: a spatial join in the graph. */
public final class CoaddLikeTask extends PipelineTask<CoaddLikeTask.Config> {

  /** No options. */
  public record Config() {}

  @Override
  public Class<Config> configClass() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config();
  }

  @Override
  public Connections connections(Config config) {
    return Connections.builder("skymap", "tract", "patch")
        .add(
            Connection.input("calexps", "calexp", "ImageF", "instrument", "visit", "detector")
                .withMultiple(),
            Connection.output("coadd", "coadd", "ImageF", "skymap", "tract", "patch"))
        .build();
  }

  @Override
  public Map<String, Object> run(Map<String, Object> inputs) {
    return Map.of();
  }
}
