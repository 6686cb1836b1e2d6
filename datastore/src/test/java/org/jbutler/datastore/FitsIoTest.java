package org.jbutler.datastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jbutler.testing.ExternalResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FITS round trips, cut-outs, components, bad files, fitsverify and real instrument files. */
class FitsIoTest {

  @TempDir Path dir;

  private static Header metadata() {
    return new Header()
        .set("OBSID", "SIM_2026_001", "observation id")
        .set("EXPTIME", 30.5, "seconds")
        .set("NEXP", 3L)
        .set("SIMULATE", true)
        .set("VERY_LONG_KEYWORD_NAME", "hierarch", "more than 8 characters");
  }

  private static ImageF pattern(int x0, int y0, int w, int h) {
    float[] p = new float[w * h];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        p[y * w + x] = (x0 + x) * 1000 + (y0 + y) + 0.25f;
      }
    }
    return new ImageF(new Box(x0, y0, w, h), p, metadata());
  }

  @Test
  void imagesRoundTripWithTheirMetadataAndOrigin() {
    ImageF f = pattern(100, 200, 64, 48);
    FitsIo.writeImage(f, dir.resolve("f.fits"));
    assertThat(FitsIo.readImage(dir.resolve("f.fits"), 0, null)).isEqualTo(f);
    ImageI i =
        new ImageI(
            new Box(0, 0, 5, 3),
            new int[] {
              1, -2, 3, Integer.MAX_VALUE, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, Integer.MIN_VALUE
            },
            new Header().set("A", 1L));
    FitsIo.writeImage(i, dir.resolve("i.fits"));
    assertThat(FitsIo.readImage(dir.resolve("i.fits"), 0, null)).isEqualTo(i);
    ImageD d =
        new ImageD(
            new Box(-3, 4, 2, 2),
            new double[] {Math.PI, -1e300, 0, Double.MIN_VALUE},
            new Header());
    FitsIo.writeImage(d, dir.resolve("d.fits"));
    assertThat(FitsIo.readImage(dir.resolve("d.fits"), 0, null)).isEqualTo(d);
    Header h = FitsIo.readHeader(dir.resolve("f.fits"), 0);
    assertThat(h.get("VERY_LONG_KEYWORD_NAME")).contains("hierarch");
    assertThat(h.get("EXPTIME")).contains(30.5);
    assertThat(h.get("SIMULATE")).contains(true);
  }

  @Test
  void cutOutsReadTheBoxInParentCoordinates() {
    ImageF f = pattern(100, 200, 300, 250);
    Path file = dir.resolve("big.fits");
    FitsIo.writeImage(f, file);
    Box box = new Box(150, 260, 40, 30);
    ImageF cut = (ImageF) FitsIo.readImage(file, 0, box);
    assertThat(cut.bbox()).isEqualTo(box);
    for (int y = 0; y < box.height(); y++) {
      for (int x = 0; x < box.width(); x++) {
        assertThat(cut.at(x, y)).isEqualTo(f.at(x + 50, y + 60));
      }
    }
    assertThatThrownBy(() -> FitsIo.readImage(file, 0, new Box(390, 200, 20, 10)))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("outside the image");
  }

  @Test
  void exposuresRoundTripAndComponentsReadAlone() {
    ImageF image = pattern(10, 20, 30, 40);
    int[] bits = new int[30 * 40];
    bits[5] = 1 << 3;
    ImageI mask = new ImageI(image.bbox(), bits, new Header());
    float[] var = new float[30 * 40];
    java.util.Arrays.fill(var, 2.5f);
    ImageF variance = new ImageF(image.bbox(), var, new Header());
    Exposure e =
        new Exposure(
            new ImageF(image.bbox(), image.pixels(), new Header()),
            mask,
            variance,
            metadata().set("MP_SAT", 3L, "mask plane bit"));
    Path file = dir.resolve("calexp.fits");
    FitsIo.writeExposure(e, file);
    Exposure back = FitsIo.readExposure(file, null);
    assertThat(back).isEqualTo(e);
    assertThat(FitsIo.readExposureComponent(file, "metadata", null)).isEqualTo(e.metadata());
    assertThat(FitsIo.readExposureComponent(file, "mask", null)).isEqualTo(mask);
    assertThat(FitsIo.readExposureComponent(file, "bbox", null)).isEqualTo(image.bbox());
    Box box = new Box(12, 25, 5, 4);
    ImageF cut = (ImageF) FitsIo.readExposureComponent(file, "image", box);
    assertThat(cut.at(0, 0)).isEqualTo(image.at(2, 5));
    assertThat(FitsIo.readExposure(file, box).variance().pixels()).containsOnly(2.5f);
    assertThatThrownBy(() -> FitsIo.readExposureComponent(file, "psf", null))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("components are image, mask, variance, metadata, bbox");
  }

  @Test
  void tablesRoundTripAndColumnSubsetsRead() {
    Map<String, Object> columns = new LinkedHashMap<>();
    columns.put("id", new long[] {1, 2, 3});
    columns.put("ra", new double[] {10.5, 11.25, -0.5});
    columns.put("flux", new float[] {1f, 2f, 3.5f});
    columns.put("band", new String[] {"g", "r", "i"});
    columns.put("good", new boolean[] {true, false, true});
    ColumnarTable t = new ColumnarTable(columns, new Header().set("CATALOG", "ref"));
    Path file = dir.resolve("cat.fits");
    FitsIo.writeTable(t, file);
    ColumnarTable back = FitsIo.readTable(file, null);
    assertThat(back.names()).containsExactly("id", "ra", "flux", "band", "good");
    assertThat((long[]) back.column("id")).containsExactly(1, 2, 3);
    assertThat((double[]) back.column("ra")).containsExactly(10.5, 11.25, -0.5);
    assertThat((String[]) back.column("band")).containsExactly("g", "r", "i");
    assertThat((boolean[]) back.column("good")).containsExactly(true, false, true);
    assertThat(back.metadata().get("CATALOG")).contains("ref");
    ColumnarTable subset = FitsIo.readTable(file, List.of("ra", "id"));
    assertThat(subset.names()).containsExactly("ra", "id");
    assertThatThrownBy(() -> FitsIo.readTable(file, List.of("dec")))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("no column 'dec'");
  }

  @Test
  void corruptAndForeignFilesAreClearErrorsNamingTheFile() throws IOException {
    Path garbage = dir.resolve("garbage.fits");
    Files.writeString(garbage, "this is not FITS at all\n".repeat(200));
    assertThatThrownBy(() -> FitsIo.readImage(garbage, 0, null))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining(garbage.toString());
    Path good = dir.resolve("good.fits");
    FitsIo.writeImage(pattern(0, 0, 200, 200), good);
    Path truncated = dir.resolve("truncated.fits");
    byte[] bytes = Files.readAllBytes(good);
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    assertThatThrownBy(() -> FitsIo.readImage(truncated, 0, null))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining(truncated.toString());
    assertThatThrownBy(() -> FitsIo.readExposure(good, null))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("no IMAGE extension");
    assertThatThrownBy(() -> FitsIo.readImage(dir.resolve("absent.fits"), 0, null))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("absent.fits");
  }

  /** Every kind of file we write passes fitsverify (errors only), an independent reader. */
  @Test
  void fitsverifyAcceptsWhatWeWrite() throws Exception {
    if (!onPath("fitsverify")) {
      ExternalResources.unavailable("fitsverify is not installed (apt-get install fitsverify)");
    }
    List<Path> files = new ArrayList<>();
    files.add(dir.resolve("image.fits"));
    FitsIo.writeImage(pattern(5, 6, 40, 30), files.get(0));
    files.add(dir.resolve("int.fits"));
    FitsIo.writeImage(new ImageI(3, 2), files.get(1));
    files.add(dir.resolve("exposure.fits"));
    ImageF img = pattern(0, 0, 8, 8);
    FitsIo.writeExposure(
        new Exposure(img, new ImageI(img.bbox(), new int[64], new Header()), img, metadata()),
        files.get(2));
    files.add(dir.resolve("table.fits"));
    FitsIo.writeTable(
        new ColumnarTable(
            Map.of("x", new double[] {1, 2}, "name", new String[] {"a", "bb"}), metadata()),
        files.get(3));
    for (Path f : files) {
      Process p =
          new ProcessBuilder("fitsverify", "-e", "-q", f.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).contains("verification OK");
    }
  }

  /** Real instrument files from Debian packages, extracted by .ci/fits-samples. */
  @Test
  void realInstrumentFilesRead() {
    Path samples =
        Path.of(
            ExternalResources.requiredEnv(
                "JBUTLER_TEST_FITS_SAMPLES",
                "run .ci/fits-samples DIR and export JBUTLER_TEST_FITS_SAMPLES=DIR"));
    // Gemini GMOS-S: primary header, then 3 float32 extensions of 200 x 150 (reference §5).
    Path gmos = samples.resolve("gmos.fits");
    Image first = FitsIo.readImage(gmos, -1, null);
    assertThat(first).isInstanceOf(ImageF.class);
    assertThat(first.width() * first.height()).isEqualTo(200 * 150);
    Image cut =
        FitsIo.readImage(gmos, -1, new Box(first.bbox().x0() + 10, first.bbox().y0() + 10, 20, 5));
    assertThat(cut.get(3, 2)).isEqualTo(first.get(13, 12));
    // SAAO 1.0 m CCD raw frame, 16-bit integers.
    Image raw = FitsIo.readImage(samples.resolve("a8280271.fits"), -1, null);
    assertThat(raw.width() * raw.height()).isEqualTo(536 * 520);
    assertThat(FitsIo.readHeader(samples.resolve("a8280271.fits"), 0).size()).isGreaterThan(10);
  }

  private static boolean onPath(String command) {
    for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (Files.isExecutable(Path.of(d, command))) {
        return true;
      }
    }
    return false;
  }
}
