package org.jbutler.testdata;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import nom.tam.fits.BinaryTableHDU;
import nom.tam.fits.Fits;
import nom.tam.fits.Header;
import nom.tam.fits.ImageHDU;
import org.jbutler.testing.ExternalResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synthetic camera: deterministic, physically sensible, and readable by other tools. */
class SimCamTest {

  @TempDir Path dir;

  private static final SimCam.Config SMALL = new SimCam.Config(7, 1, 3, 2, 64, 48, 8, 40);

  private static TreeMap<String, String> digests(Path root) throws Exception {
    TreeMap<String, String> out = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        out.put(
            root.relativize(f).toString(),
            HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f))));
      }
    }
    return out;
  }

  @Test
  void theSameSeedGivesTheSameBytes() throws Exception {
    SimCam.generate(SMALL, dir.resolve("a"));
    SimCam.generate(SMALL, dir.resolve("b"));
    assertThat(digests(dir.resolve("a"))).isEqualTo(digests(dir.resolve("b")));
    SimCam.generate(new SimCam.Config(8, 1, 3, 2, 64, 48, 8, 40), dir.resolve("c"));
    assertThat(digests(dir.resolve("c"))).isNotEqualTo(digests(dir.resolve("a")));
  }

  private static int[][] pixels(Path f) throws Exception {
    try (Fits fits = new Fits(f.toFile())) {
      return (int[][]) ((ImageHDU) fits.getHDU(0)).getKernel();
    }
  }

  private static Header header(Path f) throws Exception {
    try (Fits fits = new Fits(f.toFile())) {
      return fits.getHDU(0).getHeader();
    }
  }

  @Test
  void framesHaveTheirCalibrationSignatures() throws Exception {
    SimCam.Result r = SimCam.generate(SMALL, dir);
    // 4 bias/dark + 6 flats + 3 science exposures, 2 detectors each.
    assertThat(r.exposures()).hasSize(13);
    assertThat(r.raws()).hasSize(26);
    Path bias = r.raws().get(0);
    assertThat(header(bias).getStringValue("IMAGETYP")).isEqualTo("bias");
    int[][] b = pixels(bias);
    assertThat(b[0]).hasSize(64 + 8);
    double mean =
        Arrays.stream(b)
            .flatMapToInt(Arrays::stream)
            .filter(v -> v < 60_000)
            .average()
            .orElseThrow();
    assertThat(mean).isCloseTo(SimCam.BIAS_LEVEL, org.assertj.core.data.Offset.offset(2.0));
    Path flat =
        r.raws().stream()
            .filter(
                p -> {
                  try {
                    return header(p).getStringValue("IMAGETYP").equals("flat");
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                })
            .findFirst()
            .orElseThrow();
    int[][] f = pixels(flat);
    assertThat(f[20][20]).isGreaterThan(15_000);
    // Overscan holds only the bias level, even in a flat.
    double overscan = 0;
    for (int[] row : f) {
      for (int x = 64; x < 72; x++) {
        overscan += row[x];
      }
    }
    assertThat(overscan / (48 * 8))
        .isCloseTo(SimCam.BIAS_LEVEL, org.assertj.core.data.Offset.offset(2.0));
  }

  /** A bright star's centroid lies where the header's TAN WCS puts its catalogue position. */
  @Test
  void starsSitWhereTheWcsSays() throws Exception {
    SimCam.Config big = new SimCam.Config(3, 1, 1, 1, 96, 96, 4, 80);
    SimCam.Result r = SimCam.generate(big, dir);
    Path science = r.raws().get(r.raws().size() - 1);
    Header h = header(science);
    assertThat(h.getStringValue("IMAGETYP")).isEqualTo("science");
    double ra0 = h.getDoubleValue("CRVAL1");
    double dec0 = h.getDoubleValue("CRVAL2");
    double cx = h.getDoubleValue("CRPIX1");
    double cy = h.getDoubleValue("CRPIX2");
    double cd11 = h.getDoubleValue("CD1_1");
    double cd22 = h.getDoubleValue("CD2_2");
    int[][] img = pixels(science);
    double sky = h.getDoubleValue("SKYLEVEL") + SimCam.BIAS_LEVEL;
    int checked = 0;
    List<Double> errors = new java.util.ArrayList<>();
    try (Fits fits = new Fits(r.referenceCatalog().toFile())) {
      BinaryTableHDU t = (BinaryTableHDU) fits.getHDU(1);
      double[] ras = (double[]) t.getData().getColumn(1);
      double[] decs = (double[]) t.getData().getColumn(2);
      double[] mags = (double[]) t.getData().getColumn(4);
      for (int i = 0; i < ras.length; i++) {
        // Independent gnomonic projection from the header.
        double a = Math.toRadians(ras[i] - ra0);
        double d = Math.toRadians(decs[i]);
        double d0 = Math.toRadians(dec0);
        double cosc = Math.sin(d0) * Math.sin(d) + Math.cos(d0) * Math.cos(d) * Math.cos(a);
        double xi = Math.toDegrees(Math.cos(d) * Math.sin(a) / cosc);
        double eta =
            Math.toDegrees(
                (Math.cos(d0) * Math.sin(d) - Math.sin(d0) * Math.cos(d) * Math.cos(a)) / cosc);
        double x = cx - 1 + xi / cd11;
        double y = cy - 1 + eta / cd22;
        if (mags[i] > 20 || x < 8 || y < 8 || x > 88 || y > 88) {
          continue;
        }
        double sx = 0;
        double sy = 0;
        double sw = 0;
        for (int yy = (int) y - 4; yy <= (int) y + 4; yy++) {
          for (int xx = (int) x - 4; xx <= (int) x + 4; xx++) {
            double v = Math.max(0, img[yy][xx] - sky);
            sx += v * xx;
            sy += v * yy;
            sw += v;
          }
        }
        errors.add(Math.hypot(sx / sw - x, sy / sw - y));
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(0);
    // Cosmic rays and neighbours can pull one centroid; the typical star sits where the WCS says.
    errors.sort(null);
    assertThat(errors.get(errors.size() / 2)).isLessThan(0.35);
    try (Fits fits = new Fits(r.truth().toFile())) {
      BinaryTableHDU t = (BinaryTableHDU) fits.getHDU(1);
      assertThat(t.getColumnName(1)).isEqualTo("kind");
      assertThat(t.getNRows()).isGreaterThan(0);
    }
  }

  @Test
  void fitsverifyAcceptsTheRaws() throws Exception {
    boolean installed =
        Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
            .anyMatch(d -> Files.isExecutable(Path.of(d, "fitsverify")));
    if (!installed) {
      ExternalResources.unavailable("fitsverify is not installed (apt-get install fitsverify)");
    }
    SimCam.Result r = SimCam.generate(SMALL, dir);
    for (Path f :
        List.of(
            r.raws().get(0), r.raws().get(r.raws().size() - 1), r.referenceCatalog(), r.truth())) {
      Process p =
          new ProcessBuilder("fitsverify", "-e", "-q", f.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
    }
  }

  @Test
  void badSizesAreRefusedNamingTheValues() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> new SimCam.Config(1, 1, 1, 1, 8, 8, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("8x8");
    var cmd = new picocli.CommandLine(new TestdataCommand());
    java.io.StringWriter err = new java.io.StringWriter();
    cmd.setErr(new java.io.PrintWriter(err, true));
    assertThat(cmd.execute("generate")).isEqualTo(2);
    assertThat(err.toString()).contains("--out");
  }
}
