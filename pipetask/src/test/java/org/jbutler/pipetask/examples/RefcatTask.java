package org.jbutler.pipetask.examples;

import java.util.Map;
import org.jbutler.pipetask.Connection;
import org.jbutler.pipetask.Connections;
import org.jbutler.pipetask.PipelineTask;

/** Per visit and detector, with a reference catalogue sharded by htm7 as a prerequisite. */
public final class RefcatTask extends PipelineTask<RefcatTask.Config> {

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
    return Connections.builder("instrument", "visit", "detector")
        .add(
            Connection.input("calexp", "calexp", "ImageF", "instrument", "visit", "detector"),
            Connection.prerequisite("refcat", "ref_cat", "ArrowTable", "htm7")
                .withMultiple()
                .withMinimum(0),
            Connection.output(
                "matches", "matches", "StructuredDataDict", "instrument", "visit", "detector"))
        .build();
  }

  @Override
  public Map<String, Object> run(Map<String, Object> inputs) {
    return Map.of("matches", Map.of());
  }
}
