package org.jbutler.datastore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.jbutler.schema.exceptions.ButlerException;
import org.jbutler.testing.ExternalResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Structural FITS checks: whole files pass, every kind of cut or foreign file fails. */
class FitsChecksTest {

  @TempDir Path dir;

  private List<Path> wholeFiles() {
    float[] pixels = new float[70 * 50];
    Arrays.fill(pixels, 1.5f);
    ImageF image = new ImageF(new Box(0, 0, 70, 50), pixels, new Header().set("A", 1L));
    Path img = dir.resolve("image.fits");
    FitsIo.writeImage(image, img);
    Path exp = dir.resolve("exposure.fits");
    FitsIo.writeExposure(
        new Exposure(
            image,
            new ImageI(image.bbox(), new int[70 * 50], new Header()),
            new ImageF(image.bbox(), pixels.clone(), new Header()),
            new Header().set("B", 2L)),
        exp);
    Map<String, Object> columns = new LinkedHashMap<>();
    columns.put("id", new long[] {1, 2, 3});
    columns.put("name", new String[] {"a", "bb", "ccc"});
    Path table = dir.resolve("table.fits");
    FitsIo.writeTable(new ColumnarTable(columns, new Header()), table);
    return List.of(img, exp, table);
  }

  @Test
  void wholeFilesPassIncludingGzipped() throws Exception {
    for (Path f : wholeFiles()) {
      assertThat(FitsChecks.problem(f)).as(f.toString()).isNull();
      Path gz = dir.resolve(f.getFileName() + ".gz");
      try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
        out.write(Files.readAllBytes(f));
      }
      assertThat(FitsChecks.problem(gz)).as(gz.toString()).isNull();
    }
  }

  @Test
  void everyTruncationOfAMultiExtensionFileFails() throws Exception {
    Path exp = wholeFiles().get(1);
    byte[] all = Files.readAllBytes(exp);
    // Cut at every header block boundary and inside blocks: never accepted while data is missing.
    // The last HDU's final padding may be absent (the data itself is whole): those cuts pass.
    int lastDataEnd = all.length;
    while (lastDataEnd > 0 && all[lastDataEnd - 1] == 0) {
      lastDataEnd--;
    }
    // A cut exactly between two HDUs, or inside the zero padding after an HDU's data, leaves a
    // file whose HDUs are all whole: not a cut this check can see, so those are left out.
    for (int cut = 1; cut < lastDataEnd; cut += 997) {
      if (onlyPaddingFollows(all, cut)) {
        continue;
      }
      Path f = dir.resolve("cut.fits");
      Files.write(f, Arrays.copyOf(all, cut));
      assertThat(FitsChecks.problem(f)).as("cut at " + cut).isNotNull();
    }
    Path f = dir.resolve("cut.fits");
    Files.write(f, Arrays.copyOf(all, all.length - 2880 * 2));
    assertThat(FitsChecks.problem(f)).contains("HDU 3 is truncated");
  }

  private static boolean onlyPaddingFollows(byte[] all, int cut) {
    int boundary = (cut + 2879) / 2880 * 2880;
    for (int i = cut; i < boundary; i++) {
      if (all[i] != 0) {
        return false;
      }
    }
    return true;
  }

  @Test
  void foreignAndEmptyFilesFailWithAReason() throws Exception {
    Path text = Files.writeString(dir.resolve("notes.fits"), "SIMPLE-minded notes\n");
    assertThat(FitsChecks.problem(text)).contains("not a FITS file");
    Path empty = Files.createFile(dir.resolve("empty.fits"));
    assertThat(FitsChecks.problem(empty)).contains("empty");
    Path badGz = Files.writeString(dir.resolve("x.fits.gz"), "not gzip");
    assertThat(FitsChecks.problem(badGz)).contains("gzip");
    assertThatThrownBy(() -> FitsChecks.requireComplete(text))
        .isInstanceOf(ArtifactException.class)
        .hasMessageContaining("notes.fits")
        .satisfies(
            e ->
                assertThat(((ButlerException) e).category())
                    .isEqualTo(ButlerException.Category.DAMAGED));
  }

  @Test
  void fitsNamesAreRecognised() {
    assertThat(FitsChecks.isFitsName(Path.of("a.fits"))).isTrue();
    assertThat(FitsChecks.isFitsName(Path.of("a.FIT.gz"))).isTrue();
    assertThat(FitsChecks.isFitsName(Path.of("a.fz"))).isTrue();
    assertThat(FitsChecks.isFitsName(Path.of("a.json"))).isFalse();
  }

  /** Real instrument files (a 16-bit SAAO frame, a Gemini multi-extension file) pass. */
  @Test
  void realInstrumentFilesPass() {
    Path samples =
        Path.of(
            ExternalResources.requiredEnv(
                "JBUTLER_TEST_FITS_SAMPLES",
                "run .ci/fits-samples DIR and export JBUTLER_TEST_FITS_SAMPLES=DIR"));
    assertThat(FitsChecks.problem(samples.resolve("gmos.fits"))).isNull();
    assertThat(FitsChecks.problem(samples.resolve("a8280271.fits"))).isNull();
  }
}
