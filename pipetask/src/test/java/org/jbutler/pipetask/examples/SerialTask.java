package org.jbutler.pipetask.examples;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.jbutler.datastore.Image;
import org.jbutler.datastore.ImageF;
import org.jbutler.pipetask.Connection;
import org.jbutler.pipetask.Connections;
import org.jbutler.pipetask.PipelineTask;
import org.jbutler.pipetask.QuantumContext;
import org.jbutler.pipetask.QuantumRefs;
import org.jbutler.pipetask.UnprocessableDataError;

/**
 * A task that says it cannot multiprocess ({@code canMultiprocess() == false}) and counts how many
 * of its quanta ever ran at once; detector {@code unprocessableDetector} is unprocessable data.
 */
public final class SerialTask extends PipelineTask<SerialTask.Config> {

  /** The most quanta of this task seen running at the same time. */
  public static final AtomicInteger MOST_AT_ONCE = new AtomicInteger();

  private static final AtomicInteger NOW = new AtomicInteger();

  /** The config. */
  public record Config(long unprocessableDetector) {}

  @Override
  public boolean canMultiprocess() {
    return false;
  }

  @Override
  public Class<Config> configClass() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(-1);
  }

  @Override
  public Connections connections(Config config) {
    return Connections.builder("instrument", "exposure", "detector")
        .add(
            Connection.input("exposure", "raw", "ImageI", "instrument", "exposure", "detector"),
            Connection.output("copied", "copied", "ImageF", "instrument", "exposure", "detector"))
        .build();
  }

  @Override
  public void runQuantum(QuantumContext context, QuantumRefs inputs, QuantumRefs outputs) {
    int now = NOW.incrementAndGet();
    MOST_AT_ONCE.accumulateAndGet(now, Math::max);
    try {
      long detector = (Long) context.dataId().value("detector");
      if (detector == config().unprocessableDetector()) {
        throw new UnprocessableDataError("detector " + detector + " is a test pattern");
      }
      Thread.sleep(50); // long enough that another worker would start meanwhile if allowed
      ImageF in = ((Image) context.get(inputs.ref("exposure"))).as(ImageF.class);
      context.put(new ImageF(in.bbox(), in.pixels().clone(), in.metadata()), outputs.ref("copied"));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      NOW.decrementAndGet();
    }
  }

  @Override
  public Map<String, Object> run(Map<String, Object> inputs) {
    throw new UnsupportedOperationException();
  }
}
