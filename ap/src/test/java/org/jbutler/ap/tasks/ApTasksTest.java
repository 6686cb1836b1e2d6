package org.jbutler.ap.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.jbutler.datastore.Box;
import org.jbutler.datastore.ColumnarTable;
import org.jbutler.datastore.Exposure;
import org.jbutler.datastore.Header;
import org.jbutler.datastore.ImageF;
import org.jbutler.datastore.ImageI;
import org.jbutler.pipetask.PipelineTask;
import org.jbutler.pipetask.pipeline.Pipeline;
import org.jbutler.pipetask.pipeline.PipelineGraph;
import org.junit.jupiter.api.Test;

/** The ap tasks on images whose right answers are known exactly. */
class ApTasksTest {

  private static PipelineTask<?> task(String label, Class<?> cls, String config) {
    PipelineGraph g =
        PipelineGraph.build(
            Pipeline.fromYaml(
                "description: t\ntasks:\n  "
                    + label
                    + ":\n    class: "
                    + cls.getName()
                    + "\n    config: {"
                    + config
                    + "}\n"),
            null);
    return g.task(label).newInstance();
  }

  /** A 16 x 10 raw with 4 overscan columns: row y has overscan level 1000 + y. */
  private static ImageI raw(float[] science) {
    int w = 16;
    int total = 20;
    int h = 10;
    int[] p = new int[total * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < total; x++) {
        p[y * total + x] = 1000 + y + (x < w ? Math.round(science[y * w + x]) : 0);
      }
    }
    Header hd =
        new Header()
            .set("DATASEC", "[1:16,1:10]")
            .set("BIASSEC", "[17:20,1:10]")
            .set("EXPTIME", 10.0)
            .set("GAIN", 1.0)
            .set("SATURATE", 60000);
    return new ImageI(new Box(0, 0, total, h), p, hd);
  }

  @Test
  void isrRemovesOverscanBiasDarkAndFlatAndMasks() {
    int n = 16 * 10;
    float[] bias = new float[n];
    float[] dark = new float[n];
    float[] flat = new float[n];
    float[] science = new float[n];
    for (int i = 0; i < n; i++) {
      bias[i] = 5;
      dark[i] = 2; // ADU/s, x 10 s
      flat[i] = 0.5f + (i % 16) / 15f; // 0.5 .. 1.5
      science[i] = 5 + 20 + 100 * flat[i];
    }
    dark[3] = 10; // hot
    flat[7] = 0.1f; // dead
    science[7] = 5 + 20 + 100 * 0.1f;
    science[50] = 70000; // saturated in the raw
    Map<String, Object> out =
        task("isr", IsrTask.class, "")
            .run(
                Map.of(
                    "ccdExposure", raw(science),
                    "bias", new ImageF(new Box(0, 0, 16, 10), bias, new Header()),
                    "dark", new ImageF(new Box(0, 0, 16, 10), dark, new Header()),
                    "flat", new ImageF(new Box(0, 0, 16, 10), flat, new Header())));
    Exposure e = (Exposure) out.get("outputExposure");
    assertThat(e.image().width()).isEqualTo(16);
    float[] p = e.image().pixels();
    int[] mask = e.mask().pixels();
    for (int i = 0; i < n; i++) {
      if (i == 3 || i == 7 || i == 50) {
        continue;
      }
      assertThat(p[i]).as("pixel " + i).isCloseTo(100f, within(0.51f / flat[i]));
      // Variance: signal before the flat (100 f) plus no read noise, divided by f^2.
      assertThat(e.variance().pixels()[i]).isCloseTo(100f / flat[i], within(1f / flat[i]));
      assertThat(mask[i]).isZero();
    }
    assertThat(mask[3] & Isr.BAD).isNotZero();
    assertThat(mask[7] & Isr.BAD).isNotZero();
    assertThat(mask[50] & Isr.SAT).isNotZero();
    assertThat(e.metadata().get("READNOIS")).contains(0.0);
  }

  @Test
  void isrRefusesCalibrationsOfAnotherShapeAndBadSections() {
    float[] science = new float[160];
    PipelineTask<?> isr = task("isr", IsrTask.class, "doDark: false, doFlat: false");
    assertThatThrownBy(
            () ->
                isr.run(
                    Map.of(
                        "ccdExposure",
                        raw(science),
                        "bias",
                        new ImageF(new Box(0, 0, 20, 10), new float[200], new Header()))))
        .hasMessageContaining("The bias has 200 pixels but the trimmed raw 160");
    ImageI broken = raw(science);
    broken.metadata().set("DATASEC", "everything");
    assertThatThrownBy(
            () ->
                isr.run(
                    Map.of(
                        "ccdExposure",
                        broken,
                        "bias",
                        new ImageF(new Box(0, 0, 16, 10), new float[160], new Header()))))
        .hasMessageContaining("DATASEC 'everything' is not a FITS section");
  }

  @Test
  void characterizeFindsStarsTheirCentresAndThePsfWidth() {
    int w = 96;
    int h = 96;
    float[] p = new float[w * h];
    SplittableRandom noise = new SplittableRandom(7);
    for (int i = 0; i < p.length; i++) {
      double u1 = 1 - noise.nextDouble();
      double u2 = noise.nextDouble();
      p[i] = (float) (500 + 10 * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
    }
    double sigma = 1.7;
    double[][] stars = {{20.3, 20.7}, {70.1, 25.4}, {48.6, 50.2}, {25.5, 75.9}, {75.2, 70.0}};
    for (double[] s : stars) {
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double r2 = Math.pow(x - s[0], 2) + Math.pow(y - s[1], 2);
          p[y * w + x] +=
              (float) (30000 / (2 * Math.PI * sigma * sigma) * Math.exp(-r2 / (2 * sigma * sigma)));
        }
      }
    }
    Box box = new Box(0, 0, w, h);
    float[] var = new float[p.length];
    java.util.Arrays.fill(var, 100f);
    Exposure e =
        new Exposure(
            new ImageF(box, p, new Header()),
            new ImageI(box, new int[p.length], new Header()),
            new ImageF(box, var, new Header()),
            new Header());
    CharacterizeImageTask task =
        (CharacterizeImageTask) task("char", CharacterizeImageTask.class, "");
    Map<String, Object> out = task.characterize(e, "test");
    ColumnarTable src = (ColumnarTable) out.get("sources");
    assertThat(src.rowCount()).isEqualTo(5);
    double[] x = (double[]) src.column("x");
    double[] y = (double[]) src.column("y");
    for (double[] s : stars) {
      boolean found = false;
      for (int i = 0; i < x.length; i++) {
        found |= Math.hypot(x[i] - s[0], y[i] - s[1]) < 0.1;
      }
      assertThat(found).as("a source at " + s[0] + ", " + s[1]).isTrue();
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> summary = (Map<String, Object>) out.get("summary");
    assertThat(((Number) summary.get("psfSigma")).doubleValue())
        .isCloseTo(sigma, within(0.05 * sigma));
    assertThat(((Number) summary.get("background")).doubleValue()).isCloseTo(500, within(3.0));
    assertThat(((Number) summary.get("noise")).doubleValue()).isCloseTo(10, within(1.0));
    Exposure c = (Exposure) out.get("characterized");
    int detected = 0;
    for (int m : c.mask().pixels()) {
      detected += (m & Isr.DETECTED) != 0 ? 1 : 0;
    }
    assertThat(detected).isGreaterThan(5 * 5);
    assertThat(List.of(src.names().toArray())).contains("flux", "ixx", "iyy", "flags");
  }
}
