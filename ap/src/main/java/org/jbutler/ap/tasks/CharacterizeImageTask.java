package org.jbutler.ap.tasks;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jbutler.datastore.ColumnarTable;
import org.jbutler.datastore.Exposure;
import org.jbutler.datastore.Header;
import org.jbutler.datastore.ImageF;
import org.jbutler.datastore.ImageI;
import org.jbutler.pipetask.Connection;
import org.jbutler.pipetask.Connections;
import org.jbutler.pipetask.NoWorkFound;
import org.jbutler.pipetask.PipelineTask;
import org.jbutler.pipetask.QuantumContext;
import org.jbutler.pipetask.QuantumRefs;

/**
 * Characterizes one detector of a visit: estimates and subtracts the background (medians in a mesh
 * of cells, interpolated bilinearly), detects sources above a threshold in units of the noise,
 * measures centroids, fluxes and second moments, and estimates the PSF width from the moments of
 * bright, unsaturated, round sources. Outputs the background-subtracted exposure (with DETECTED in
 * its mask), the source catalogue, and a small summary.
 */
public final class CharacterizeImageTask extends PipelineTask<CharacterizeImageTask.Config> {

  /**
   * The config.
   *
   * @param backgroundCell background mesh cell size, pixels
   * @param thresholdSigma detection threshold, in noise sigma
   * @param minPixels smallest footprint kept
   * @param psfMinSnr sources above this signal-to-noise estimate the PSF
   */
  public record Config(
      int backgroundCell, double thresholdSigma, int minPixels, double psfMinSnr) {}

  @Override
  public Class<Config> configClass() {
    return Config.class;
  }

  @Override
  public Config defaultConfig() {
    return new Config(32, 5.0, 5, 20.0);
  }

  @Override
  public void validate(Config config) {
    if (config.backgroundCell() < 4) {
      throw new IllegalArgumentException(
          "backgroundCell must be at least 4 pixels, not " + config.backgroundCell());
    }
    if (config.thresholdSigma() <= 0) {
      throw new IllegalArgumentException("thresholdSigma must be positive");
    }
  }

  @Override
  public Connections connections(Config config) {
    return Connections.builder("instrument", "visit", "detector")
        .add(
            Connection.input(
                    "exposures", "postISRCCD", "ExposureF", "instrument", "exposure", "detector")
                .withMultiple(),
            Connection.output(
                "characterized", "icExp", "ExposureF", "instrument", "visit", "detector"),
            Connection.output("sources", "icSrc", "ArrowTable", "instrument", "visit", "detector"),
            Connection.output(
                "summary", "icSummary", "StructuredDataDict", "instrument", "visit", "detector"))
        .build();
  }

  @Override
  @SuppressWarnings("unchecked")
  public void runQuantum(QuantumContext context, QuantumRefs inputs, QuantumRefs outputs) {
    List<Exposure> exposures = (List<Exposure>) context.get(inputs).get("exposures");
    if (exposures.isEmpty()) {
      throw new NoWorkFound("no post-ISR exposure for this visit and detector");
    }
    context.put(characterize(exposures.get(0), context.dataId().toString()), outputs);
  }

  /** The outputs for one exposure. */
  public Map<String, Object> characterize(Exposure exposure, String what) {
    ImageF image = exposure.image();
    int w = image.width();
    int h = image.height();
    float[] p = image.pixels().clone();
    int[] mask = exposure.mask().pixels().clone();
    float[] var = exposure.variance().pixels();
    double[] bg = background(p, mask, w, h);
    double bgMean = 0;
    for (int i = 0; i < p.length; i++) {
      p[i] -= (float) bg[i];
      bgMean += bg[i] / p.length;
    }
    double[] good = new double[p.length];
    int n = 0;
    for (int i = 0; i < p.length; i++) {
      if ((mask[i] & (Isr.SAT | Isr.BAD)) == 0) {
        good[n++] = p[i];
      }
    }
    double sigma = Isr.robustSigma(java.util.Arrays.copyOf(good, n));
    double threshold = config().thresholdSigma() * sigma;
    List<double[]> sources = detect(p, mask, var, w, h, threshold);
    // PSF width: the median moment sigma of bright, unsaturated, round sources.
    List<Double> widths = new ArrayList<>();
    for (double[] s : sources) {
      boolean bright = s[3] / Math.max(s[4], 1e-9) >= config().psfMinSnr();
      boolean round = s[7] > 0 && s[8] > 0 && Math.abs(s[7] - s[8]) < 0.3 * (s[7] + s[8]);
      if (bright && round && s[9] == 0) {
        widths.add(Math.sqrt(0.5 * (s[7] + s[8])));
      }
    }
    double psf =
        widths.isEmpty()
            ? Double.NaN
            : Isr.median(widths.stream().mapToDouble(Double::doubleValue).toArray());
    Map<String, Object> columns = new LinkedHashMap<>();
    String[] names = {"id", "x", "y", "flux", "fluxErr", "npix", "peak", "ixx", "iyy", "flags"};
    for (int c = 0; c < names.length; c++) {
      if (c == 0 || c == 5 || c == 9) {
        long[] col = new long[sources.size()];
        for (int i = 0; i < col.length; i++) {
          col[i] = c == 0 ? i + 1 : (long) sources.get(i)[c];
        }
        columns.put(names[c], col);
      } else {
        double[] col = new double[sources.size()];
        for (int i = 0; i < col.length; i++) {
          col[i] = sources.get(i)[c];
        }
        columns.put(names[c], col);
      }
    }
    Header meta = new Header(exposure.metadata());
    meta.set("BGMEAN", bgMean, "mean background subtracted, ADU");
    meta.set("BGSIGMA", sigma, "noise after background subtraction, ADU");
    meta.set("PSFSIG_M", Double.isNaN(psf) ? -1.0 : psf, "measured PSF sigma, pixels (-1: none)");
    meta.set("NSOURCES", (long) sources.size(), "sources detected");
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("nSources", sources.size());
    summary.put("background", bgMean);
    summary.put("noise", sigma);
    summary.put("psfSigma", Double.isNaN(psf) ? null : psf);
    summary.put("psfStars", widths.size());
    metadata().putAll(summary);
    log()
        .info(
            "{}: background {} ADU, noise {} ADU, {} sources, PSF sigma {} px from {} stars",
            what,
            String.format(java.util.Locale.ROOT, "%.1f", bgMean),
            String.format(java.util.Locale.ROOT, "%.2f", sigma),
            sources.size(),
            String.format(java.util.Locale.ROOT, "%.2f", psf),
            widths.size());
    Exposure out =
        new Exposure(
            new ImageF(image.bbox(), p, new Header()),
            new ImageI(image.bbox(), mask, new Header()),
            exposure.variance(),
            meta);
    return Map.of(
        "characterized", out,
        "sources", new ColumnarTable(columns, new Header().set("PSFSIGMA", psf)),
        "summary", summary);
  }

  /** Background: a median per cell of good pixels, interpolated bilinearly between centres. */
  private double[] background(float[] p, int[] mask, int w, int h) {
    int cell = config().backgroundCell();
    int nx = Math.max(1, (w + cell - 1) / cell);
    int ny = Math.max(1, (h + cell - 1) / cell);
    double[][] med = new double[ny][nx];
    double all = 0;
    for (int cy = 0; cy < ny; cy++) {
      for (int cx = 0; cx < nx; cx++) {
        List<Double> v = new ArrayList<>();
        for (int y = cy * cell; y < Math.min(h, (cy + 1) * cell); y++) {
          for (int x = cx * cell; x < Math.min(w, (cx + 1) * cell); x++) {
            if ((mask[y * w + x] & (Isr.SAT | Isr.BAD)) == 0) {
              v.add((double) p[y * w + x]);
            }
          }
        }
        med[cy][cx] =
            v.isEmpty()
                ? Double.NaN
                : Isr.median(v.stream().mapToDouble(Double::doubleValue).toArray());
        all += Double.isNaN(med[cy][cx]) ? 0 : med[cy][cx] / (nx * ny);
      }
    }
    double[] bg = new double[w * h];
    for (int y = 0; y < h; y++) {
      double fy = Math.min(Math.max((y + 0.5) / cell - 0.5, 0), ny - 1);
      int y0 = (int) Math.floor(fy);
      int y1 = Math.min(y0 + 1, ny - 1);
      double ty = fy - y0;
      for (int x = 0; x < w; x++) {
        double fx = Math.min(Math.max((x + 0.5) / cell - 0.5, 0), nx - 1);
        int x0 = (int) Math.floor(fx);
        int x1 = Math.min(x0 + 1, nx - 1);
        double tx = fx - x0;
        double v =
            (1 - ty) * ((1 - tx) * val(med, y0, x0, all) + tx * val(med, y0, x1, all))
                + ty * ((1 - tx) * val(med, y1, x0, all) + tx * val(med, y1, x1, all));
        bg[y * w + x] = v;
      }
    }
    return bg;
  }

  private static double val(double[][] m, int y, int x, double fallback) {
    return Double.isNaN(m[y][x]) ? fallback : m[y][x];
  }

  /**
   * Gaussian-weighted second moments, iterated until the weight's width matches the source's (the
   * footprint's own moments are truncated by the threshold and underestimate the width). For a
   * Gaussian of width s weighted by one of width s, each weighted moment is s^2 / 2; returns the
   * per-axis s^2, or null if the iteration does not settle.
   */
  private static double[] adaptiveMoments(
      float[] p, int w, int h, double cx, double cy, double start) {
    double sw = Math.max(0.8, Double.isFinite(start) ? start : 1.5);
    double mxx = 0;
    double myy = 0;
    for (int it = 0; it < 20; it++) {
      int r = (int) Math.ceil(4 * sw);
      double sum = 0;
      double sxx = 0;
      double syy = 0;
      for (int y = Math.max(0, (int) cy - r); y <= Math.min(h - 1, (int) cy + r); y++) {
        for (int x = Math.max(0, (int) cx - r); x <= Math.min(w - 1, (int) cx + r); x++) {
          double dx = x - cx;
          double dy = y - cy;
          double wt = Math.exp(-(dx * dx + dy * dy) / (2 * sw * sw)) * p[y * w + x];
          sum += wt;
          sxx += wt * dx * dx;
          syy += wt * dy * dy;
        }
      }
      if (sum <= 0) {
        return null;
      }
      mxx = sxx / sum;
      myy = syy / sum;
      double next = Math.sqrt(mxx + myy); // sqrt(2 * mean of the two)
      if (!(next > 0.3 && next < 20)) {
        return null;
      }
      if (Math.abs(next - sw) < 1e-3) {
        sw = next;
        break;
      }
      sw = next;
    }
    return new double[] {2 * mxx, 2 * myy};
  }

  /**
   * Connected footprints (8-connected) above the threshold; per source: [id, x, y, flux, fluxErr,
   * npix, peak, ixx, iyy, flags(1 = has saturated or bad pixels)].
   */
  private List<double[]> detect(
      float[] p, int[] mask, float[] var, int w, int h, double threshold) {
    boolean[] seen = new boolean[p.length];
    List<double[]> out = new ArrayList<>();
    ArrayDeque<Integer> queue = new ArrayDeque<>();
    List<Integer> pix = new ArrayList<>();
    for (int start = 0; start < p.length; start++) {
      if (seen[start] || p[start] < threshold) {
        continue;
      }
      pix.clear();
      queue.add(start);
      seen[start] = true;
      while (!queue.isEmpty()) {
        int i = queue.poll();
        pix.add(i);
        int x = i % w;
        int y = i / w;
        for (int dy = -1; dy <= 1; dy++) {
          for (int dx = -1; dx <= 1; dx++) {
            int xx = x + dx;
            int yy = y + dy;
            if (xx < 0 || yy < 0 || xx >= w || yy >= h) {
              continue;
            }
            int j = yy * w + xx;
            if (!seen[j] && p[j] >= threshold) {
              seen[j] = true;
              queue.add(j);
            }
          }
        }
      }
      if (pix.size() < config().minPixels()) {
        continue;
      }
      double flux = 0;
      double sx = 0;
      double sy = 0;
      double v = 0;
      double peak = Double.NEGATIVE_INFINITY;
      int flags = 0;
      for (int i : pix) {
        double f = p[i];
        flux += f;
        sx += f * (i % w);
        sy += f * (i / w);
        v += var[i];
        peak = Math.max(peak, f);
        if ((mask[i] & (Isr.SAT | Isr.BAD)) != 0) {
          flags = 1;
        }
        mask[i] |= Isr.DETECTED;
      }
      double cx = sx / flux;
      double cy = sy / flux;
      double ixx = 0;
      double iyy = 0;
      for (int i : pix) {
        double f = p[i];
        ixx += f * Math.pow(i % w - cx, 2);
        iyy += f * Math.pow(i / w - cy, 2);
      }
      double[] adaptive = adaptiveMoments(p, w, h, cx, cy, Math.sqrt(0.5 * (ixx + iyy) / flux));
      if (adaptive != null) {
        ixx = adaptive[0] * flux;
        iyy = adaptive[1] * flux;
      }
      out.add(
          new double[] {
            out.size() + 1,
            cx,
            cy,
            flux,
            Math.sqrt(v),
            pix.size(),
            peak,
            ixx / flux,
            iyy / flux,
            flags
          });
    }
    return out;
  }
}
