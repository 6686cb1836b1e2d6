package org.jbutler.ap.tasks;

import java.util.Map;
import org.jbutler.datastore.Exposure;
import org.jbutler.datastore.Header;
import org.jbutler.datastore.Image;
import org.jbutler.datastore.ImageF;
import org.jbutler.datastore.ImageI;
import org.jbutler.pipetask.Connection;
import org.jbutler.pipetask.Connections;
import org.jbutler.pipetask.PipelineTask;
import org.jbutler.pipetask.QuantumContext;
import org.jbutler.pipetask.QuantumRefs;

/**
 * Instrument signature removal for one raw: overscan subtraction and trim, bias, dark (scaled by
 * the exposure time) and flat correction, a mask plane (saturated pixels, and bad pixels: hot in
 * the dark or dead in the flat) and a variance plane (Poisson noise of the signal plus the read
 * noise measured in the overscan). Bias, dark and flat are prerequisite inputs found in a
 * CALIBRATION collection by the exposure's time.
 */
public final class IsrTask extends PipelineTask<IsrTask.Config> {

  /**
   * The config.
   *
   * @param doBias subtract the bias
   * @param doDark subtract the dark current (the dark is in ADU per second)
   * @param doFlat divide by the flat (normalised to a mean of 1)
   * @param hotDarkRate dark pixels above this many ADU/s are BAD
   * @param deadFlat flat pixels below this are BAD
   */
  public record Config(
      boolean doBias, boolean doDark, boolean doFlat, double hotDarkRate, double deadFlat) {}

  @Override
  public Class<Config> configClass() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(true, true, true, 5.0, 0.5);
  }

  @Override
  public void validate(Config config) {
    if (config.deadFlat() < 0 || config.deadFlat() >= 1) {
      throw new IllegalArgumentException("deadFlat must be in [0, 1), not " + config.deadFlat());
    }
  }

  @Override
  public Connections connections(Config config) {
    Connections.Builder b =
        Connections.builder("instrument", "exposure", "detector")
            .add(
                Connection.input(
                    "ccdExposure", "raw", "ImageI", "instrument", "exposure", "detector"),
                Connection.prerequisite("bias", "bias", "ImageF", "instrument", "detector")
                    .asCalibration(),
                Connection.prerequisite("dark", "dark", "ImageF", "instrument", "detector")
                    .asCalibration(),
                Connection.prerequisite(
                        "flat", "flat", "ImageF", "instrument", "detector", "physical_filter")
                    .asCalibration(),
                Connection.output(
                    "outputExposure",
                    "postISRCCD",
                    "ExposureF",
                    "instrument",
                    "exposure",
                    "detector"));
    if (!config.doBias()) {
      b.remove("bias");
    }
    if (!config.doDark()) {
      b.remove("dark");
    }
    if (!config.doFlat()) {
      b.remove("flat");
    }
    return b.build();
  }

  @Override
  public void runQuantum(QuantumContext context, QuantumRefs inputs, QuantumRefs outputs) {
    Map<String, Object> in = context.get(inputs);
    context.put(Map.of("outputExposure", process(in)), outputs);
  }

  @Override
  public Map<String, Object> run(Map<String, Object> inputs) {
    return Map.of("outputExposure", process(inputs));
  }

  private Exposure process(Map<String, Object> in) {
    ImageI raw = (ImageI) in.get("ccdExposure");
    Isr.Trimmed t = Isr.overscanAndTrim(raw);
    float[] p = t.image().pixels();
    int[] mask = new int[p.length];
    for (int i = 0; i < p.length; i++) {
      if (t.saturated()[i] != 0) {
        mask[i] |= Isr.SAT;
      }
    }
    Header h = t.image().metadata();
    double exptime = Isr.number(h, "EXPTIME", 0);
    double gain = Isr.number(h, "GAIN", 1);
    if (config().doBias()) {
      float[] b = pixels(in.get("bias"), p.length, "bias");
      for (int i = 0; i < p.length; i++) {
        p[i] -= b[i];
      }
    }
    if (config().doDark()) {
      float[] d = pixels(in.get("dark"), p.length, "dark");
      for (int i = 0; i < p.length; i++) {
        p[i] -= (float) (d[i] * exptime);
        if (d[i] > config().hotDarkRate()) {
          mask[i] |= Isr.BAD;
        }
      }
    }
    float[] flat = config().doFlat() ? pixels(in.get("flat"), p.length, "flat") : null;
    float[] variance = new float[p.length];
    double rn2 = t.readNoise() * t.readNoise();
    for (int i = 0; i < p.length; i++) {
      double v = Math.max(p[i], 0) / gain + rn2;
      if (flat != null) {
        double f = flat[i];
        if (f < config().deadFlat()) {
          mask[i] |= Isr.BAD;
          f = 1;
        }
        p[i] /= (float) f;
        v /= f * f;
      }
      variance[i] = (float) v;
    }
    int saturated = 0;
    int bad = 0;
    for (int m : mask) {
      saturated += (m & Isr.SAT) != 0 ? 1 : 0;
      bad += (m & Isr.BAD) != 0 ? 1 : 0;
    }
    metadata().put("readNoise", t.readNoise());
    metadata().put("saturatedPixels", saturated);
    metadata().put("badPixels", bad);
    log()
        .info(
            "ISR: read noise {} ADU, {} saturated and {} bad pixels",
            String.format(java.util.Locale.ROOT, "%.2f", t.readNoise()),
            saturated,
            bad);
    h.set("READNOIS", t.readNoise(), "ADU, from the overscan");
    h.set("MP_SAT", (long) Isr.SAT, "mask bit: saturated");
    h.set("MP_BAD", (long) Isr.BAD, "mask bit: bad pixel");
    h.set("MP_DET", (long) Isr.DETECTED, "mask bit: detected");
    return new Exposure(
        new ImageF(t.image().bbox(), p, new Header()),
        new ImageI(t.image().bbox(), mask, new Header()),
        new ImageF(t.image().bbox(), variance, new Header()),
        h);
  }

  private static float[] pixels(Object calib, int n, String what) {
    if (!(calib instanceof Image image)) {
      throw new IllegalStateException("No " + what + " was given to ISR.");
    }
    float[] p = image.as(ImageF.class).pixels();
    if (p.length != n) {
      throw new IllegalArgumentException(
          "The "
              + what
              + " has "
              + p.length
              + " pixels but the trimmed raw "
              + n
              + "; was it built from trimmed frames of this detector?");
    }
    return p;
  }
}
