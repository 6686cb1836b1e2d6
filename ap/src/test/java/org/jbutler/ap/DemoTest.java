package org.jbutler.ap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jbutler.butler.Butler;
import org.jbutler.butler.testing.CommandRunner;
import org.jbutler.datastore.ColumnarTable;
import org.jbutler.datastore.Exposure;
import org.jbutler.datastore.FitsIo;
import org.jbutler.datastore.Header;
import org.jbutler.datastore.ImageI;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.DatasetRef;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The demo end to end: one run shared by the checks of what it made. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoTest {

  private final CommandRunner cli = new CommandRunner(Demo::new);

  Path root;
  int code;
  String out;

  @BeforeAll
  void runTheDemo(@TempDir Path dir) {
    root = dir.resolve("demo");
    code = cli.run(root.toString());
    out = cli.out();
  }

  @Test
  void runsThePipelineAndReports() {
    assertThat(code).as(cli.err()).isZero();
    assertThat(root.resolve(Demo.MARKER)).exists();
    assertThat(out)
        .containsPattern("isr\\s+24\\s+0\\s+0\\s+0")
        .containsPattern("characterizeImage\\s+24\\s+0\\s+0\\s+0")
        .containsPattern("consolidateVisitSummary\\s+6\\s+0\\s+0\\s+0")
        .contains("== Sources detected per visit")
        .contains("== Where the outputs are")
        .contains("bin/pipetask report")
        .contains("== Stages");
    // Six science visits, each with sources on its 4 detectors.
    assertThat(
            out.lines().filter(l -> l.matches("1[12]\\d\\s+SimCam-[gri]\\s+4\\s+[1-9]\\d*\\s.*")))
        .hasSize(6);
  }

  @Test
  void theOutputsAreRightScientifically() {
    assertThat(code).isZero();
    try (Butler b = Butler.open(root.resolve("repo"), Butler.Options.none())) {
      var r = b.registry();
      List<DatasetRef> postIsr =
          r.queryDatasets("postISRCCD", List.of(Demo.OUTPUT), DataQuery.all().withFindFirst())
              .toList();
      assertThat(postIsr).hasSize(24);
      int checked = 0;
      for (DatasetRef ref : postIsr) {
        DatasetRef raw =
            b.findDataset("raw", ref.dataId().required(), List.of("SimCam/raw/all")).orElseThrow();
        Header rawHeader = ((ImageI) b.get(raw, Map.of())).metadata();
        Exposure e = (Exposure) b.get(ref, Map.of());
        // Overscan trimmed away: 128 x 128 science pixels.
        assertThat(e.image().width()).isEqualTo(128);
        // The sky after bias, dark and flat: the generator's sky level (gain 1), to a few %.
        double sky = ((Number) rawHeader.get("SKYLEVEL").orElseThrow()).doubleValue();
        double[] p = new double[e.image().pixels().length];
        for (int i = 0; i < p.length; i++) {
          p[i] = e.image().pixels()[i];
        }
        java.util.Arrays.sort(p);
        assertThat(p[p.length / 2]).isCloseTo(sky, within(0.08 * sky));
        // Variance ~ the signal (Poisson, gain 1) plus read noise squared.
        double var = e.variance().pixels()[p.length / 2];
        assertThat(var).isBetween(0.5 * sky, 2.0 * sky);
        // Provenance: the raw's UUID and the task in the header.
        assertThat(e.metadata().get("JBUTLER.TASK")).contains("isr");
        assertThat(e.metadata().toString()).contains(raw.id().toString());
        checked++;
      }
      assertThat(checked).isEqualTo(24);
      // The PSF width measured from the stars is the generator's, within 15 %.
      int withPsf = 0;
      for (DatasetRef ref :
          r.queryDatasets("icSummary", List.of(Demo.OUTPUT), DataQuery.all().withFindFirst())) {
        @SuppressWarnings("unchecked")
        Map<String, Object> s = (Map<String, Object>) b.get(ref, Map.of());
        long visit = (Long) ref.dataId().value("visit");
        DatasetRef raw =
            b.findDataset(
                    "raw",
                    Map.of(
                        "instrument",
                        "SimCam",
                        "exposure",
                        visit,
                        "detector",
                        ref.dataId().value("detector")),
                    List.of("SimCam/raw/all"))
                .orElseThrow();
        double truth =
            ((Number) FitsIo.readHeader(b.uri(raw), 0).get("PSFSIGMA").orElseThrow()).doubleValue();
        if (s.get("psfSigma") instanceof Number measured) {
          assertThat(measured.doubleValue()).isCloseTo(truth, within(0.15 * truth));
          withPsf++;
        }
        assertThat(((Number) s.get("nSources")).intValue()).isPositive();
      }
      assertThat(withPsf).isGreaterThanOrEqualTo(20);
      ColumnarTable src =
          (ColumnarTable)
              b.get(
                  r.queryDatasets("icSrc", List.of(Demo.OUTPUT), DataQuery.all().withFindFirst())
                      .toList()
                      .get(0),
                  Map.of());
      assertThat(src.names()).contains("x", "y", "flux", "ixx", "iyy");
      assertThat(src.rowCount()).isPositive();
    }
  }

  @Test
  void suggestedCommandsNameTheLaunchersAbsolutely() {
    String saved = System.getProperty("jbutler.bin");
    try {
      System.setProperty("jbutler.bin", "/opt/jbutler/bin");
      assertThat(Demo.launcher("butler")).isEqualTo("/opt/jbutler/bin/butler");
      System.clearProperty("jbutler.bin");
      assertThat(Demo.launcher("butler")).isEqualTo("bin/butler");
    } finally {
      if (saved != null) {
        System.setProperty("jbutler.bin", saved);
      }
    }
  }

  @Test
  void reRunningReplacesItsOwnDirectoryButNotOthers(@TempDir Path other) throws Exception {
    Files.writeString(other.resolve("precious.txt"), "keep me");
    CommandRunner again = new CommandRunner(Demo::new);
    assertThat(again.run(other.toString())).isEqualTo(2);
    assertThat(again.err()).contains("was not made by the demo");
    assertThat(other.resolve("precious.txt")).hasContent("keep me");
    assertThat(again.run(other.resolve("j").toString(), "-j", "0")).isEqualTo(2);
    assertThat(again.lastErr()).contains("-j/--processes must be at least 1");
    assertThat(other.resolve("j")).doesNotExist();
    assertThat(again.run(other.resolve("d").toString(), "--format", "xml")).isEqualTo(2);
    assertThat(again.err()).contains("'xml' is not a format");
    assertThat(other.resolve("d")).doesNotExist();
  }
}
