package org.jbutler.ap.tasks;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jbutler.datastore.Box;
import org.jbutler.datastore.Header;
import org.jbutler.datastore.ImageF;
import org.jbutler.datastore.ImageI;

/**
 * Pixel steps of instrument signature removal, shared by {@link IsrTask} and calibration building:
 * overscan subtraction and trim (from the raw's {@code BIASSEC} and {@code DATASEC}), combining
 * frames, and robust statistics.
 */
public final class Isr {

  /** Mask plane bits. */
  public static final int SAT = 1;

  /** Mask plane bits. */
  public static final int BAD = 2;

  /** Mask plane bits. */
  public static final int DETECTED = 4;

  private static final Pattern SECTION =
      Pattern.compile("\\[\\s*(\\d+)\\s*:\\s*(\\d+)\\s*,\\s*(\\d+)\\s*:\\s*(\\d+)\\s*]");

  private Isr() {}

  /** A FITS section {@code [x1:x2,y1:y2]} (1-based, inclusive) as a 0-based box. */
  public static Box section(String text, String what) {
    Matcher m = SECTION.matcher(text == null ? "" : text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "The raw's " + what + " '" + text + "' is not a FITS section [x1:x2,y1:y2].");
    }
    int x1 = Integer.parseInt(m.group(1));
    int x2 = Integer.parseInt(m.group(2));
    int y1 = Integer.parseInt(m.group(3));
    int y2 = Integer.parseInt(m.group(4));
    return new Box(x1 - 1, y1 - 1, x2 - x1 + 1, y2 - y1 + 1);
  }

  /** The result of overscan correction: the trimmed image and the overscan's noise. */
  public record Trimmed(ImageF image, double readNoise, int[] saturated) {}

  /**
   * Subtracts each row's overscan median and trims to the data section; reports which trimmed
   * pixels were at or above {@code SATURATE} in the raw.
   */
  public static Trimmed overscanAndTrim(ImageI raw) {
    Header h = raw.metadata();
    Box data = section(string(h, "DATASEC"), "DATASEC");
    Box bias = section(string(h, "BIASSEC"), "BIASSEC");
    double saturation = number(h, "SATURATE", Double.MAX_VALUE);
    int w = data.width();
    int hgt = data.height();
    float[] out = new float[w * hgt];
    int[] sat = new int[w * hgt];
    double[] residuals = new double[bias.width() * bias.height()];
    int nr = 0;
    double[] row = new double[bias.width()];
    for (int y = 0; y < hgt; y++) {
      for (int i = 0; i < bias.width(); i++) {
        row[i] = raw.at(bias.x0() + i - raw.bbox().x0(), bias.y0() + y - raw.bbox().y0());
      }
      double level = median(row.clone());
      for (double v : row) {
        residuals[nr++] = v - level;
      }
      for (int x = 0; x < w; x++) {
        int v = raw.at(data.x0() + x - raw.bbox().x0(), data.y0() + y - raw.bbox().y0());
        out[y * w + x] = (float) (v - level);
        if (v >= saturation) {
          sat[y * w + x] = 1;
        }
      }
    }
    double rn = nr == 0 ? 0 : robustSigma(Arrays.copyOf(residuals, nr));
    Header meta = new Header(h);
    meta.remove("DATASEC").remove("BIASSEC");
    return new Trimmed(new ImageF(new Box(0, 0, w, hgt), out, meta), rn, sat);
  }

  /** The pixel-wise mean of images of one size. */
  public static ImageF mean(List<ImageF> frames, Header metadata) {
    ImageF f0 = frames.get(0);
    float[] p = new float[f0.pixels().length];
    for (ImageF f : frames) {
      float[] q = f.pixels();
      if (q.length != p.length) {
        throw new IllegalArgumentException("Frames of different sizes cannot be combined.");
      }
      for (int i = 0; i < p.length; i++) {
        p[i] += q[i] / frames.size();
      }
    }
    return new ImageF(f0.bbox(), p, metadata);
  }

  /** The median (sorts the array). */
  public static double median(double[] v) {
    if (v.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  }

  /** A robust standard deviation: 1.4826 times the median absolute deviation. */
  public static double robustSigma(double[] v) {
    if (v.length == 0) {
      return 0;
    }
    double m = median(v.clone());
    double[] dev = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      dev[i] = Math.abs(v[i] - m);
    }
    return 1.4826 * median(dev);
  }

  static String string(Header h, String key) {
    return h.get(key).map(String::valueOf).orElse(null);
  }

  static double number(Header h, String key, double fallback) {
    Object v = h.get(key).orElse(null);
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v != null) {
      try {
        return Double.parseDouble(String.valueOf(v).trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            String.format(Locale.ROOT, "Header card %s='%s' is not a number.", key, v), e);
      }
    }
    return fallback;
  }
}
