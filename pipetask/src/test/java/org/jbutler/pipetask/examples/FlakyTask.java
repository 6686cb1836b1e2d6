package org.jbutler.pipetask.examples;

import java.util.Map;
import org.jbutler.datastore.Image;
import org.jbutler.datastore.ImageF;
import org.jbutler.pipetask.AlgorithmError;
import org.jbutler.pipetask.Connection;
import org.jbutler.pipetask.Connections;
import org.jbutler.pipetask.NoWorkFound;
import org.jbutler.pipetask.PipelineTask;
import org.jbutler.pipetask.QuantumContext;
import org.jbutler.pipetask.QuantumRefs;

/**
 * Writes {@code scaled} like ScaleTask, but fails on one detector, finds no work on another, or
 * sleeps (for timeouts and kills), as its config says (-1: never).
 */
public final class FlakyTask extends PipelineTask<FlakyTask.Config> {

  /** The config. */
  public record Config(
      long failDetector, long noWorkDetector, double sleepSeconds, long algorithmErrorDetector) {}

  /** An algorithm's failure, with values that say why. */
  public static final class TooFewStarsError extends AlgorithmError {
    private final long detector;

    TooFewStarsError(long detector) {
      super("too few stars to fit a PSF on detector " + detector);
      this.detector = detector;
    }

    @Override
    public Map<String, Object> metadata() {
      return Map.of("detector", detector, "nStars", 3L, "minStars", 5L);
    }
  }

  @Override
  public Class<Config> configClass() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(-1, -1, 0, -1);
  }

  @Override
  public Connections connections(Config config) {
    return Connections.builder("instrument", "exposure", "detector")
        .add(
            Connection.input("exposure", "raw", "ImageI", "instrument", "exposure", "detector"),
            Connection.output("scaled", "scaled", "ImageF", "instrument", "exposure", "detector"))
        .build();
  }

  @Override
  public void runQuantum(QuantumContext context, QuantumRefs inputs, QuantumRefs outputs) {
    long detector = (Long) context.dataId().value("detector");
    log().info("Processing detector {}", detector);
    if (detector == config().failDetector()) {
      throw new IllegalStateException("detector " + detector + " is broken");
    }
    if (detector == config().algorithmErrorDetector()) {
      throw new TooFewStarsError(detector);
    }
    if (detector == config().noWorkDetector()) {
      throw new NoWorkFound("nothing usable on detector " + detector);
    }
    if (config().sleepSeconds() > 0) {
      try {
        Thread.sleep((long) (config().sleepSeconds() * 1000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    ImageF in = ((Image) context.get(inputs.ref("exposure"))).as(ImageF.class);
    metadata().put("pixels", (long) in.pixels().length);
    context.put(new ImageF(in.bbox(), in.pixels().clone(), in.metadata()), outputs.ref("scaled"));
  }

  @Override
  public Map<String, Object> run(Map<String, Object> inputs) {
    throw new UnsupportedOperationException();
  }
}
