package org.jbutler.testdata;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import nom.tam.fits.BasicHDU;
import nom.tam.fits.BinaryTable;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.FitsException;
import nom.tam.fits.Header;
import org.jbutler.schema.TimeScale;
import org.jbutler.schema.Times;

/**
 * A deterministic synthetic camera, "SimCam": raw frames with overscan, bias level and read noise,
 * dark current, a flat field (vignetting and pixel response), hot pixels, cosmic rays and
 * saturation; stars from a generated reference catalogue rendered through a TAN WCS written in the
 * headers with a Gaussian PSF whose width varies per exposure; sky and zero point per exposure;
 * bias, dark and flat frames on every night; injected transients, variables and a moving object
 * recorded in a truth table. The same configuration always gives the same bytes.
 */
public final class SimCam {

  /** The instrument's name. */
  public static final String INSTRUMENT = "SimCam";

  /** Bands, and the physical filters' names are {@code SimCam-<band>}. */
  public static final List<String> BANDS = List.of("g", "r", "i");

  static final double BIAS_LEVEL = 1000.0;
  static final double READ_NOISE = 5.0;
  static final double DARK_CURRENT = 0.05;
  static final double PIXEL_SCALE = 0.2 / 3600.0; // degrees per pixel
  static final int SATURATION = 65_535;
  static final double FLAT_LEVEL = 20_000.0;
  static final double MJD_START = 61_100.0; // 2026-03-01T00:00 UTC

  /**
   * What to generate.
   *
   * @param seed the random seed
   * @param nights nights of observation (each starts with bias, dark and flat frames)
   * @param exposuresPerNight science exposures per night
   * @param detectors detectors (a 2-wide grid in the focal plane)
   * @param width science columns per detector
   * @param height rows per detector
   * @param overscan overscan columns at the right of each raw
   * @param stars stars in the reference catalogue
   */
  public record Config(
      long seed,
      int nights,
      int exposuresPerNight,
      int detectors,
      int width,
      int height,
      int overscan,
      int stars,
      boolean multiExtension) {

    /** A configuration with one file per exposure and detector. */
    public Config(
        long seed,
        int nights,
        int exposuresPerNight,
        int detectors,
        int width,
        int height,
        int overscan,
        int stars) {
      this(seed, nights, exposuresPerNight, detectors, width, height, overscan, stars, false);
    }

    /** This configuration writing one multi-extension file per exposure (a detector per HDU). */
    public Config asMultiExtension() {
      return new Config(
          seed, nights, exposuresPerNight, detectors, width, height, overscan, stars, true);
    }

    /** Checks the sizes. */
    public Config {
      if (nights < 1
          || exposuresPerNight < 1
          || detectors < 1
          || width < 16
          || height < 16
          || overscan < 0
          || stars < 0) {
        throw new IllegalArgumentException(
            String.format(
                Locale.ROOT,
                "SimCam needs at least 1 night, exposure and detector, images of at least 16x16"
                    + " pixels and no negative overscan or star count (got nights=%d, exposures=%d,"
                    + " detectors=%d, %dx%d, overscan=%d, stars=%d).",
                nights,
                exposuresPerNight,
                detectors,
                width,
                height,
                overscan,
                stars));
      }
    }

    /** The demo's size: seconds to generate. */
    public static Config demo(long seed) {
      return new Config(seed, 2, 3, 4, 128, 128, 8, 60);
    }
  }

  /** One generated exposure. */
  public record ExposureInfo(
      int id,
      String obsId,
      String type,
      String band,
      int night,
      int dayObs,
      double mjd,
      double exposureTime,
      double raCenter,
      double decCenter,
      double psfSigma,
      double skyPerSecond,
      double zeroPoint) {}

  /** What {@link #generate} wrote. */
  public record Result(
      List<ExposureInfo> exposures, List<Path> raws, Path referenceCatalog, Path truth) {}

  private record Star(long id, double ra, double dec, double[] mags) {}

  private record Source(
      long id,
      String kind,
      double ra,
      double dec,
      double baseMag,
      double amplitude,
      double t0,
      double width,
      double dRa,
      double dDec) {
    double mag(double mjd) {
      return switch (kind) {
        case "transient" -> baseMag - amplitude * Math.exp(-0.5 * Math.pow((mjd - t0) / width, 2));
        case "variable" -> baseMag - amplitude * Math.sin(2 * Math.PI * (mjd - t0) / width);
        default -> baseMag;
      };
    }

    double ra(double mjd) {
      return ra + dRa * (mjd - MJD_START);
    }

    double dec(double mjd) {
      return dec + dDec * (mjd - MJD_START);
    }
  }

  private final Config config;
  private final double[][] pointings;

  private SimCam(Config config) {
    this.config = config;
    // Two fields that overlap by half the focal plane, so later exposures have templates.
    double shift = halfSize() / 2;
    this.pointings = new double[][] {{150.0, 2.0}, {150.0 + shift, 2.0 + shift}};
  }

  /** Half the focal plane's larger side, in degrees. */
  private double halfSize() {
    int cols = Math.min(2, config.detectors());
    int rows = (config.detectors() + 1) / 2;
    return Math.max(cols * config.width(), rows * config.height()) * PIXEL_SCALE / 2;
  }

  /**
   * Generates raws ({@code raw/}), the reference catalogue and the truth table into a directory.
   *
   * @throws UncheckedIOException if a file cannot be written
   */
  public static Result generate(Config config, Path out) {
    return new SimCam(config).run(out);
  }

  private Result run(Path out) {
    try {
      Files.createDirectories(out.resolve("raw"));
      List<Star> catalog = catalog();
      List<Source> injected = injected();
      List<ExposureInfo> exposures = schedule();
      List<Path> raws = new ArrayList<>();
      List<Object[]> truth = new ArrayList<>();
      for (ExposureInfo e : exposures) {
        if (config.multiExtension()) {
          Path f = out.resolve("raw").resolve(e.obsId() + ".fits");
          try (Fits fits = new Fits()) {
            BasicHDU<?> primary = new nom.tam.fits.NullDataHDU();
            exposureCards(primary.getHeader(), e);
            primary.getHeader().addValue("EXTEND", true, "detectors follow");
            fits.addHDU(primary);
            for (int d = 0; d < config.detectors(); d++) {
              BasicHDU<?> hdu = rawHdu(e, d, catalog, injected, truth);
              hdu.getHeader().addValue("EXTNAME", String.format(Locale.ROOT, "CCD%02d", d), "");
              fits.addHDU(hdu);
            }
            fits.write(f.toFile());
          }
          raws.add(f);
          continue;
        }
        for (int d = 0; d < config.detectors(); d++) {
          Path f =
              out.resolve("raw").resolve(String.format(Locale.ROOT, "%s_R%02d.fits", e.obsId(), d));
          try (Fits fits = new Fits()) {
            fits.addHDU(rawHdu(e, d, catalog, injected, truth));
            fits.write(f.toFile());
          }
          raws.add(f);
        }
      }
      Path refcat = out.resolve("refcat.fits");
      writeCatalog(catalog, refcat);
      Path truthFile = out.resolve("truth.fits");
      writeTruth(truth, truthFile);
      return new Result(exposures, raws, refcat, truthFile);
    } catch (IOException | FitsException e) {
      throw new UncheckedIOException(
          new IOException("Cannot write SimCam data to " + out + ": " + e.getMessage(), e));
    }
  }

  private SplittableRandom random(long... keys) {
    long s = config.seed();
    for (long k : keys) {
      s = s * 0x9E3779B97F4A7C15L + k;
    }
    return new SplittableRandom(s);
  }

  /** Half-size in degrees of the catalogue's field: both pointings' focal planes and a margin. */
  private double fieldRadius() {
    return halfSize() * 1.6;
  }

  private List<Star> catalog() {
    SplittableRandom r = random(1);
    List<Star> stars = new ArrayList<>();
    double radius = fieldRadius();
    for (int i = 0; i < config.stars(); i++) {
      double ra = pointings[0][0] + (r.nextDouble() * 2 - 1) * radius;
      double dec = pointings[0][1] + (r.nextDouble() * 2 - 1) * radius;
      double rMag = 16 + 6 * Math.pow(r.nextDouble(), 0.5);
      double color = 0.3 + 0.8 * r.nextDouble();
      stars.add(new Star(i + 1, ra, dec, new double[] {rMag + color, rMag, rMag - 0.4 * color}));
    }
    return stars;
  }

  private List<Source> injected() {
    SplittableRandom r = random(2);
    List<Source> out = new ArrayList<>();
    double span = config.nights();
    double x = fieldRadius() * 0.5;
    for (int i = 0; i < 3; i++) {
      out.add(
          new Source(
              1000 + i,
              "transient",
              pointings[0][0] + (r.nextDouble() - 0.5) * x,
              pointings[0][1] + (r.nextDouble() - 0.5) * x,
              23.5,
              5.0,
              MJD_START + r.nextDouble() * span,
              0.6,
              0,
              0));
    }
    for (int i = 0; i < 2; i++) {
      out.add(
          new Source(
              2000 + i,
              "variable",
              pointings[0][0] + (r.nextDouble() - 0.5) * x,
              pointings[0][1] + (r.nextDouble() - 0.5) * x,
              18.5,
              0.5,
              MJD_START,
              0.9,
              0,
              0));
    }
    out.add(
        new Source(
            3000,
            "moving",
            pointings[0][0] - x / 2,
            pointings[0][1],
            18.0,
            0,
            MJD_START,
            1,
            x / Math.max(1, span),
            0.0));
    return out;
  }

  private List<ExposureInfo> schedule() {
    List<ExposureInfo> out = new ArrayList<>();
    SplittableRandom r = random(3);
    int id = 100;
    for (int n = 0; n < config.nights(); n++) {
      double night = MJD_START + n + 0.1; // evening of the night, UTC
      int dayObs = dayObs(night - 0.5); // the date 12 hours earlier, as SimCam.yaml says
      double t = night;
      for (String type : List.of("bias", "bias", "dark", "dark")) {
        double exptime = type.equals("bias") ? 0 : 30;
        out.add(new ExposureInfo(id, obsId(id), type, "r", n, dayObs, t, exptime, 0, 0, 0, 0, 0));
        id++;
        t += 60 / 86400.0;
      }
      for (String band : BANDS) {
        for (int k = 0; k < 2; k++) {
          out.add(new ExposureInfo(id, obsId(id), "flat", band, n, dayObs, t, 10, 0, 0, 0, 0, 0));
          id++;
          t += 60 / 86400.0;
        }
      }
      t = night + 0.05;
      for (int k = 0; k < config.exposuresPerNight(); k++) {
        String band = BANDS.get(k % BANDS.size());
        double[] p = pointings[k % pointings.length];
        double sky =
            switch (band) {
              case "g" -> 30;
              case "r" -> 50;
              default -> 70;
            };
        out.add(
            new ExposureInfo(
                id,
                obsId(id),
                "science",
                band,
                n,
                dayObs,
                t,
                30,
                p[0],
                p[1],
                1.2 + r.nextDouble(),
                sky * (0.8 + 0.4 * r.nextDouble()),
                27.0 - 0.2 * r.nextDouble()));
        id++;
        t += 120 / 86400.0;
      }
    }
    return out;
  }

  private static String obsId(int id) {
    return "SIM_" + id;
  }

  private static int dayObs(double mjd) {
    String iso =
        Times.formatIso(Times.parseMjd(String.valueOf(mjd), TimeScale.UTC), TimeScale.UTC, 0);
    return Integer.parseInt(iso.substring(0, 10).replace("-", ""));
  }

  /** The focal-plane offset of a detector's pixel (0,0), in pixels. */
  private int[] offset(int detector) {
    return new int[] {(detector % 2) * config.width(), (detector / 2) * config.height()};
  }

  /** CRPIX of a detector: the pointing's tangent point sits at the focal plane's centre. */
  private double[] crpix(int detector) {
    int cols = Math.min(2, config.detectors());
    int rows = (config.detectors() + 1) / 2;
    int[] o = offset(detector);
    return new double[] {
      cols * config.width() / 2.0 - o[0] + 0.5, rows * config.height() / 2.0 - o[1] + 0.5
    };
  }

  /** Pixel position (0-based) of a sky position on a detector, through the TAN projection. */
  double[] pixel(double ra, double dec, double ra0, double dec0, int detector) {
    double a = Math.toRadians(ra - ra0);
    double d = Math.toRadians(dec);
    double d0 = Math.toRadians(dec0);
    double cosc = Math.sin(d0) * Math.sin(d) + Math.cos(d0) * Math.cos(d) * Math.cos(a);
    double xi = Math.toDegrees(Math.cos(d) * Math.sin(a) / cosc);
    double eta =
        Math.toDegrees(
            (Math.cos(d0) * Math.sin(d) - Math.sin(d0) * Math.cos(d) * Math.cos(a)) / cosc);
    double[] cp = crpix(detector);
    // CD = [[-scale, 0], [0, scale]]: RA grows to the left; FITS pixels are 1-based.
    return new double[] {cp[0] - 1 + (-xi / PIXEL_SCALE), cp[1] - 1 + (eta / PIXEL_SCALE)};
  }

  /** The cards that describe an exposure (every detector's, and a multi-extension primary's). */
  private static void exposureCards(Header hd, ExposureInfo e) throws FitsException {
    hd.addValue("INSTRUME", INSTRUMENT, "instrument");
    hd.addValue("EXPID", e.id(), "exposure id");
    hd.addValue("OBSID", e.obsId(), "observation id");
    hd.addValue("GROUPID", e.obsId(), "group");
    hd.addValue("IMAGETYP", e.type(), "bias, dark, flat or science");
    hd.addValue("FILTER", "SimCam-" + e.band(), "physical filter");
    hd.addValue("EXPTIME", e.exposureTime(), "seconds");
    hd.addValue("DARKTIME", e.exposureTime(), "seconds");
    long tai = Times.parseMjd(String.valueOf(e.mjd()), TimeScale.UTC);
    hd.addValue("DATE-OBS", Times.formatIso(tai, TimeScale.UTC, 3), "start, UTC");
    hd.addValue("MJD-OBS", e.mjd(), "start, MJD UTC");
    hd.addValue("TIMESYS", "UTC", "");
  }

  private BasicHDU<?> rawHdu(
      ExposureInfo e, int det, List<Star> catalog, List<Source> injected, List<Object[]> truth)
      throws FitsException {
    int w = config.width();
    int h = config.height();
    int total = w + config.overscan();
    double[] electrons = new double[w * h];
    SplittableRandom noise = random(4, e.id(), det);
    SplittableRandom flatRandom = random(5, det);
    double t = e.exposureTime();
    if (e.type().equals("flat")) {
      java.util.Arrays.fill(electrons, FLAT_LEVEL);
    } else if (e.type().equals("science")) {
      java.util.Arrays.fill(electrons, e.skyPerSecond() * t);
      for (Star s : catalog) {
        addStar(electrons, e, det, s.ra(), s.dec(), s.mags()[BANDS.indexOf(e.band())]);
      }
      for (Source s : injected) {
        double mag = s.mag(e.mjd());
        double[] p = pixel(s.ra(e.mjd()), s.dec(e.mjd()), e.raCenter(), e.decCenter(), det);
        if (p[0] >= 0 && p[0] < w && p[1] >= 0 && p[1] < h) {
          addStar(electrons, e, det, s.ra(e.mjd()), s.dec(e.mjd()), mag);
          truth.add(
              new Object[] {
                s.id(),
                s.kind(),
                (long) e.id(),
                (long) det,
                s.ra(e.mjd()),
                s.dec(e.mjd()),
                p[0],
                p[1],
                mag,
                e.mjd()
              });
        }
      }
    }
    int[] adu = new int[total * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < total; x++) {
        double v = BIAS_LEVEL + READ_NOISE * gaussian(noise);
        if (x < w) {
          double signal = electrons[y * w + x];
          if (!e.type().equals("bias")) {
            signal += DARK_CURRENT * t;
          }
          signal *= flat(flatRandom, x, y, det);
          v += signal + Math.sqrt(Math.max(signal, 0)) * gaussian(noise);
        }
        adu[y * total + x] = (int) Math.min(SATURATION, Math.max(0, Math.round(v)));
      }
    }
    // Hot pixels (fixed per detector) and cosmic rays (per exposure).
    SplittableRandom hot = random(6, det);
    for (int k = 0; k < 3; k++) {
      adu[hot.nextInt(h) * total + hot.nextInt(w)] = SATURATION;
    }
    if (!e.type().equals("bias")) {
      for (int k = 0; k < 4; k++) {
        int x = noise.nextInt(w);
        int y = noise.nextInt(h);
        int len = 1 + noise.nextInt(4);
        for (int j = 0; j < len && x + j < w; j++) {
          adu[y * total + x + j] = Math.min(SATURATION, adu[y * total + x + j] + 3000);
        }
      }
    }
    int[][] rows = new int[h][total];
    for (int y = 0; y < h; y++) {
      System.arraycopy(adu, y * total, rows[y], 0, total);
    }
    BasicHDU<?> hdu = Fits.makeHDU(rows);
    Header hd = hdu.getHeader();
    hd.addValue("DETECTOR", det, "detector number");
    hd.addValue("DETNAME", String.format(Locale.ROOT, "R%02d", det), "detector name");
    exposureCards(hd, e);
    hd.addValue("DATASEC", String.format(Locale.ROOT, "[1:%d,1:%d]", w, h), "science pixels");
    hd.addValue("BIASSEC", String.format(Locale.ROOT, "[%d:%d,1:%d]", w + 1, total, h), "overscan");
    hd.addValue("GAIN", 1.0, "e-/ADU");
    hd.addValue("SATURATE", SATURATION, "ADU");
    if (e.type().equals("science")) {
      double[] cp = crpix(det);
      hd.addValue("OBJECT", e.raCenter() == pointings[0][0] ? "field1" : "field2", "");
      hd.addValue("CTYPE1", "RA---TAN", "");
      hd.addValue("CTYPE2", "DEC--TAN", "");
      hd.addValue("CRVAL1", e.raCenter(), "degrees");
      hd.addValue("CRVAL2", e.decCenter(), "degrees");
      hd.addValue("CRPIX1", cp[0], "");
      hd.addValue("CRPIX2", cp[1], "");
      hd.addValue("CD1_1", -PIXEL_SCALE, "");
      hd.addValue("CD1_2", 0.0, "");
      hd.addValue("CD2_1", 0.0, "");
      hd.addValue("CD2_2", PIXEL_SCALE, "");
      hd.addValue("RADESYS", "ICRS", "");
      hd.addValue("EQUINOX", 2000.0, "");
      hd.addValue("PSFSIGMA", e.psfSigma(), "true PSF sigma, pixels");
      hd.addValue("SKYLEVEL", e.skyPerSecond() * t, "true sky, e-");
      hd.addValue("MAGZERO", e.zeroPoint(), "true zero point, 1 e-/s");
    }
    return hdu;
  }

  private void addStar(
      double[] electrons, ExposureInfo e, int det, double ra, double dec, double mag) {
    double[] p = pixel(ra, dec, e.raCenter(), e.decCenter(), det);
    int w = config.width();
    int h = config.height();
    double sigma = e.psfSigma();
    int r = (int) Math.ceil(5 * sigma);
    if (p[0] < -r || p[0] > w + r || p[1] < -r || p[1] > h + r) {
      return;
    }
    double flux = Math.pow(10, -0.4 * (mag - e.zeroPoint())) * e.exposureTime();
    double norm = flux / (2 * Math.PI * sigma * sigma);
    for (int y = Math.max(0, (int) p[1] - r); y <= Math.min(h - 1, (int) p[1] + r); y++) {
      for (int x = Math.max(0, (int) p[0] - r); x <= Math.min(w - 1, (int) p[0] + r); x++) {
        double dx = x - p[0];
        double dy = y - p[1];
        electrons[y * w + x] += norm * Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
      }
    }
  }

  /** Flat-field response: vignetting over the focal plane times a fixed pixel response. */
  private double flat(SplittableRandom perDetector, int x, int y, int det) {
    int[] o = offset(det);
    double cx = Math.min(2, config.detectors()) * config.width() / 2.0;
    double cy = ((config.detectors() + 1) / 2) * config.height() / 2.0;
    double fx = (o[0] + x - cx) / cx;
    double fy = (o[1] + y - cy) / cy;
    return (1 - 0.1 * (fx * fx + fy * fy)) * (1 + 0.01 * gaussian(perDetector));
  }

  private static double gaussian(SplittableRandom r) {
    double u1 = 1 - r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  private static void writeCatalog(List<Star> stars, Path file) throws IOException, FitsException {
    int n = stars.size();
    long[] id = new long[n];
    double[] ra = new double[n];
    double[] dec = new double[n];
    double[][] mags = new double[3][n];
    for (int i = 0; i < n; i++) {
      Star s = stars.get(i);
      id[i] = s.id();
      ra[i] = s.ra();
      dec[i] = s.dec();
      for (int b = 0; b < 3; b++) {
        mags[b][i] = s.mags()[b];
      }
    }
    writeTable(
        file,
        List.of("id", "coord_ra", "coord_dec", "g_mag", "r_mag", "i_mag"),
        new Object[] {id, ra, dec, mags[0], mags[1], mags[2]});
  }

  private static void writeTruth(List<Object[]> rows, Path file) throws IOException, FitsException {
    int n = rows.size();
    long[] id = new long[n];
    String[] kind = new String[n];
    long[] exposure = new long[n];
    long[] detector = new long[n];
    double[] ra = new double[n];
    double[] dec = new double[n];
    double[] x = new double[n];
    double[] y = new double[n];
    double[] mag = new double[n];
    double[] mjd = new double[n];
    for (int i = 0; i < n; i++) {
      Object[] r = rows.get(i);
      id[i] = (Long) r[0];
      kind[i] = (String) r[1];
      exposure[i] = (Long) r[2];
      detector[i] = (Long) r[3];
      ra[i] = (Double) r[4];
      dec[i] = (Double) r[5];
      x[i] = (Double) r[6];
      y[i] = (Double) r[7];
      mag[i] = (Double) r[8];
      mjd[i] = (Double) r[9];
    }
    writeTable(
        file,
        List.of("id", "kind", "exposure", "detector", "ra", "dec", "x", "y", "mag", "mjd"),
        new Object[] {
          id, kind.length == 0 ? new String[0] : kind, exposure, detector, ra, dec, x, y, mag, mjd
        });
  }

  private static void writeTable(Path file, List<String> names, Object[] columns)
      throws IOException, FitsException {
    try (Fits fits = new Fits()) {
      BasicHDU<?> primary = new nom.tam.fits.NullDataHDU();
      primary.getHeader().deleteKey("PCOUNT"); // not allowed in a primary HDU
      primary.getHeader().deleteKey("GCOUNT");
      primary.getHeader().addValue("EXTEND", true, "a table follows");
      fits.addHDU(primary);
      BinaryTableHDU hdu = BinaryTableHDU.wrap(BinaryTable.fromColumnMajor(columns));
      for (int i = 0; i < names.size(); i++) {
        hdu.setColumnName(i, names.get(i), null);
      }
      fits.addHDU(hdu);
      fits.write(file.toFile());
    }
  }
}
