package org.jbutler.butler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jbutler.butler.Butler;
import org.jbutler.butler.testing.CommandRunner;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.testdata.SimCam;
import org.jbutler.testing.ExternalResources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Instruments and raw ingest: SimCam's generated raws and a real observatory frame. */
class RawIngestTest {

  @TempDir Path dir;
  private final CommandRunner cli = new CommandRunner(ButlerCommand::new);

  @Test
  void simCamRawsBecomeExposuresAndRawDatasets() throws Exception {
    SimCam.Result data =
        SimCam.generate(new SimCam.Config(5, 1, 2, 2, 32, 32, 4, 10), dir.resolve("data"));
    String repo = dir.resolve("repo").toString();
    assertThat(cli.run("create", repo)).isZero();
    assertThat(cli.run("register-instrument", repo, "SimCam")).isZero();
    assertThat(cli.run("register-instrument", repo, "SimCam")).isZero(); // idempotent
    // A damaged file is reported and skipped; the others are ingested.
    Files.writeString(dir.resolve("data/raw/broken.fits"), "not a FITS file");
    assertThat(
            cli.run(
                "ingest-raws",
                repo,
                dir.resolve("data/raw").toString(),
                "--instrument",
                "SimCam",
                "--transfer",
                "direct"))
        .isEqualTo(1);
    assertThat(cli.err()).contains("Failed").contains("broken.fits").contains("not a FITS file");
    assertThat(cli.out())
        .contains("Ingested " + data.raws().size() + " raw dataset(s); 1 file(s) failed.");
    try (Butler b =
        Butler.open(
            Path.of(repo),
            new Butler.Options(List.of("SimCam/raw/all"), null, Map.of("instrument", "SimCam")))) {
      List<DimensionRecord> exposures = b.registry().fetchDimensionRecords("exposure");
      assertThat(exposures).hasSize(data.exposures().size());
      SimCam.ExposureInfo science = data.exposures().get(data.exposures().size() - 1);
      DimensionRecord e =
          exposures.stream()
              .filter(r -> r.value("id").orElseThrow().equals((long) science.id()))
              .findFirst()
              .orElseThrow();
      assertThat(e.value("observation_type")).contains("science");
      assertThat(e.value("physical_filter")).contains("SimCam-" + science.band());
      assertThat(e.value("day_obs")).contains((long) science.dayObs()); // generator and YAML agree
      Timespan ts = e.timespan().orElseThrow();
      assertThat(ts.end() - ts.begin()).isEqualTo(30_000_000_000L);
      assertThat(
              b.registry()
                  .queryDatasets(
                      "raw",
                      List.of("SimCam/raw/all"),
                      DataQuery.where(
                          "instrument = 'SimCam' AND exposure.observation_type = 'bias'"))
                  .count())
          .isEqualTo(2 * 2);
      var raw =
          (org.jbutler.datastore.ImageI)
              b.get("raw", Map.of("exposure", science.id(), "detector", 1), Map.of());
      assertThat(raw.width()).isEqualTo(32 + 4);
    }
    assertThat(cli.run("define-visits", repo, "SimCam")).as(cli.err()).isZero();
    assertThat(cli.out()).contains("Defined 2 new visit(s) for SimCam");
    assertThat(cli.run("define-visits", repo, "SimCam")).isZero();
    assertThat(cli.out()).contains("Defined 0 new visit(s) for SimCam");
    assertThat(
            cli.run(
                "query-data-ids",
                repo,
                "exposure",
                "visit",
                "--where",
                "instrument = 'SimCam'",
                "--format",
                "csv"))
        .isZero();
    assertThat(cli.out().lines().filter(l -> l.matches("SimCam,\\d+,\\d+,.*"))).hasSize(2);
  }

  @Test
  void damagedFitsFilesAreNotIngestedAndNamed() throws Exception {
    SimCam.Result data =
        SimCam.generate(new SimCam.Config(7, 1, 1, 2, 64, 64, 0, 0), dir.resolve("data"));
    List<Path> raws = data.raws().stream().sorted().toList();
    Path cutInData = raws.get(0);
    Path cutInHeader = raws.get(1);
    long size = Files.size(cutInData);
    assertThat(size).isGreaterThan(64 * 64 * 4); // 16,384 bytes of pixels, padding < 2,880
    truncate(cutInData, size - 3_000);
    truncate(cutInHeader, 2_000); // inside the first header block: no END card
    String repo = dir.resolve("repo").toString();
    assertThat(cli.run("create", repo)).isZero();
    assertThat(cli.run("register-instrument", repo, "SimCam")).isZero();
    String[] ingest = {
      "ingest-raws", repo, dir.resolve("data/raw").toString(), "--instrument", "SimCam"
    };
    assertThat(cli.run(concat(ingest, "--fail-fast"))).isEqualTo(1);
    assertThat(cli.out()).contains("Ingested 0 raw dataset(s)");
    assertThat(cli.run(ingest)).isEqualTo(1);
    assertThat(cli.err())
        .contains(cutInData.getFileName().toString())
        .contains("is truncated: its header promises")
        .contains(cutInHeader.getFileName().toString())
        .contains("before its END card");
    assertThat(cli.out())
        .contains("Ingested " + (raws.size() - 2) + " raw dataset(s); 2 file(s) failed.");
    assertThat(cli.run("verify", repo)).isZero();
    try (Butler b = Butler.open(Path.of(repo), Butler.Options.none())) {
      assertThat(
              b.registry().queryDatasets("raw", List.of("SimCam/raw/all"), DataQuery.all()).count())
          .isEqualTo(raws.size() - 2);
    }
  }

  @Test
  void alreadyIngestedFilesAreSkippedAndTheRestIngested() throws Exception {
    SimCam.Result data =
        SimCam.generate(new SimCam.Config(8, 1, 1, 2, 32, 32, 0, 0), dir.resolve("data"));
    List<Path> raws = data.raws().stream().sorted().toList();
    String repo = dir.resolve("repo").toString();
    assertThat(cli.run("create", repo)).isZero();
    assertThat(cli.run("register-instrument", repo, "SimCam")).isZero();
    assertThat(cli.run("ingest-raws", repo, raws.get(0).toString(), "--instrument", "SimCam"))
        .isZero();
    assertThat(
            cli.run(
                "ingest-raws", repo, dir.resolve("data/raw").toString(), "--instrument", "SimCam"))
        .as(cli.err())
        .isZero();
    assertThat(cli.err())
        .contains("Skipped " + raws.get(0))
        .contains("already ingested as ")
        .doesNotContain("SQLITE");
    assertThat(cli.out())
        .contains("Ingested " + (raws.size() - 1) + " raw dataset(s); 1 file(s) already ingested");
    try (Butler b = Butler.open(Path.of(repo), Butler.Options.none())) {
      assertThat(
              b.registry().queryDatasets("raw", List.of("SimCam/raw/all"), DataQuery.all()).count())
          .isEqualTo(raws.size());
    }
  }

  @Test
  void aFileThatIsNotFitsIsSaidToBeNotFits() throws Exception {
    Path notFits = Files.writeString(dir.resolve("notes.txt"), "observing notes\n");
    String repo = dir.resolve("repo").toString();
    assertThat(cli.run("create", repo)).isZero();
    assertThat(cli.run("register-instrument", repo, "SimCam")).isZero();
    assertThat(cli.run("ingest-raws", repo, notFits.toString(), "--instrument", "SimCam"))
        .isEqualTo(1);
    assertThat(cli.err()).contains("not a FITS file").doesNotContain("Index 0");
  }

  private static void truncate(Path file, long size) throws Exception {
    try (var ch =
        java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(size);
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void unknownDetectorsAndFailFast() throws Exception {
    // Five detectors generated; SimCam's definition knows four.
    SimCam.generate(new SimCam.Config(6, 1, 1, 5, 16, 16, 0, 0), dir.resolve("data"));
    String repo = dir.resolve("repo").toString();
    assertThat(cli.run("create", repo)).isZero();
    assertThat(cli.run("register-instrument", repo, "SimCam")).isZero();
    assertThat(
            cli.run(
                "ingest-raws",
                repo,
                dir.resolve("data/raw").toString(),
                "--instrument",
                "SimCam",
                "--fail-fast"))
        .isEqualTo(1);
    assertThat(cli.err()).contains("detector 4 is not a detector of SimCam");
    assertThat(cli.out()).contains("Ingested 0 raw dataset(s)").contains("nothing was ingested");
    try (Butler b = Butler.open(Path.of(repo), Butler.Options.none())) {
      assertThat(b.registry().fetchDimensionRecords("exposure")).isEmpty();
    }
    assertThat(
            cli.run(
                "ingest-raws",
                repo,
                dir.resolve("data/raw").toString(),
                "--instrument",
                dir.resolve("nope.yaml").toString()))
        .isEqualTo(2);
    assertThat(cli.err()).contains("No instrument");
  }

  private static Path fitsSamples() {
    return Path.of(
        ExternalResources.requiredEnv(
            "JBUTLER_TEST_FITS_SAMPLES",
            "run .ci/fits-samples DIR and export JBUTLER_TEST_FITS_SAMPLES=DIR"));
  }

  /** One of the test resources' instrument definitions, copied to a file. */
  private Path instrumentYaml(String name) throws java.io.IOException {
    Path yaml = dir.resolve(name + ".yaml");
    try (var in = RawIngestTest.class.getResourceAsStream("/instruments/" + name + ".yaml")) {
      Files.copy(in, yaml);
    }
    return yaml;
  }

  /** A new repository with the instrument registered. */
  private String repoWithInstrument(Path yaml) {
    String repo = dir.resolve("repo").toString();
    assertThat(cli.run("create", repo)).isZero();
    assertThat(cli.run("register-instrument", repo, yaml.toString())).isZero();
    return repo;
  }

  /** A real frame from another observatory, described by a YAML definition alone. */
  @Test
  void aRealSaaoFrameIngestsWithAYamlDefinition() throws Exception {
    Path samples = fitsSamples();
    Path yaml = instrumentYaml("saao-ste3");
    String repo = repoWithInstrument(yaml);
    assertThat(
            cli.run(
                "ingest-raws",
                repo,
                samples.resolve("a8280271.fits").toString(),
                "--instrument",
                yaml.toString(),
                "--transfer",
                "copy"))
        .isZero();
    try (Butler b =
        Butler.open(
            Path.of(repo),
            new Butler.Options(
                List.of("SAAO-STE3/raw/all"), null, Map.of("instrument", "SAAO-STE3")))) {
      DimensionRecord e = b.registry().fetchDimensionRecords("exposure").get(0);
      assertThat(e.value("id")).contains(20130713005733L);
      assertThat(e.value("obs_id")).contains("a8280271");
      assertThat(e.value("observation_type")).contains("science");
      assertThat(e.value("target_name")).contains("rf0420");
      assertThat(e.value("day_obs"))
          .contains(20130712L); // 00:57 UT belongs to the night of the 12th
      var image =
          (org.jbutler.datastore.Image)
              b.get("raw", Map.of("exposure", 20130713005733L, "detector", 0), Map.of());
      assertThat(image.width()).isEqualTo(536);
    }
  }

  /** One file per exposure with a detector per HDU: each detector is a dataset of the same file. */
  @Test
  void multiExtensionRawsGiveOneDatasetPerDetector() throws Exception {
    SimCam.Result data =
        SimCam.generate(
            new SimCam.Config(9, 1, 1, 3, 24, 20, 4, 10).asMultiExtension(), dir.resolve("data"));
    assertThat(data.raws()).hasSize(data.exposures().size()); // one file per exposure
    String repo = dir.resolve("repo").toString();
    assertThat(cli.run("create", repo)).isZero();
    assertThat(cli.run("register-instrument", repo, "SimCam")).isZero();
    assertThat(
            cli.run(
                "ingest-raws",
                repo,
                dir.resolve("data/raw").toString(),
                "--instrument",
                "SimCam",
                "--transfer",
                "copy"))
        .as(cli.err())
        .isZero();
    try (Butler b =
        Butler.open(
            Path.of(repo),
            new Butler.Options(List.of("SimCam/raw/all"), null, Map.of("instrument", "SimCam")))) {
      var refs =
          b.registry()
              .queryDatasets("raw", List.of("SimCam/raw/all"), DataQuery.where(""))
              .toList();
      assertThat(refs).hasSize(3 * data.exposures().size());
      // Each file was copied once and all its detectors point at it.
      try (var files = Files.walk(b.datastore().root())) {
        assertThat(files.filter(f -> f.toString().endsWith(".fits")).count())
            .isEqualTo(data.exposures().size());
      }
      SimCam.ExposureInfo last = data.exposures().get(data.exposures().size() - 1);
      Path source = dir.resolve("data/raw/" + last.obsId() + ".fits");
      for (int detector = 0; detector < 3; detector++) {
        var raw =
            (org.jbutler.datastore.ImageI)
                b.get("raw", Map.of("exposure", last.id(), "detector", detector), Map.of());
        var expected =
            (org.jbutler.datastore.ImageI)
                org.jbutler.datastore.FitsIo.readImage(source, detector + 1, null);
        assertThat(raw).isEqualTo(expected);
        var metadata =
            (org.jbutler.datastore.Header)
                b.get(
                    "raw.metadata", Map.of("exposure", last.id(), "detector", detector), Map.of());
        assertThat(metadata.get("DETECTOR")).contains((long) detector);
        assertThat(metadata.get("OBSID")).contains(last.obsId()); // from the primary header
      }
      // The shared file stays while any of its datasets does, and goes with the last.
      assertThat(b.removeRuns(List.of("SimCam/raw/all"), false)).isEqualTo(refs.size());
      try (var files = Files.walk(b.datastore().root())) {
        assertThat(files.filter(f -> f.toString().endsWith(".fits")).count()).isZero();
      }
    }
  }

  /** A real Gemini-South MEF frame: the pixels are the SCI extension, described by the primary. */
  @Test
  void aRealGmosMultiExtensionFrameIngestsWithAYamlDefinition() throws Exception {
    Path samples = fitsSamples();
    Path yaml = instrumentYaml("gmos-s");
    String repo = repoWithInstrument(yaml);
    assertThat(
            cli.run(
                "ingest-raws",
                repo,
                samples.resolve("gmos.fits").toString(),
                "--instrument",
                yaml.toString(),
                "--transfer",
                "symlink"))
        .as(cli.err())
        .isZero();
    try (Butler b =
        Butler.open(
            Path.of(repo),
            new Butler.Options(List.of("GMOS-S/raw/all"), null, Map.of("instrument", "GMOS-S")))) {
      DimensionRecord e = b.registry().fetchDimensionRecords("exposure").get(0);
      assertThat(e.value("id")).contains(201908080042274L);
      assertThat(e.value("obs_id")).contains("GS-2019B-Q-305-7-004");
      assertThat(e.value("group")).contains("GS-2019B-Q-305-7");
      assertThat(e.value("physical_filter")).contains("GG455_G0329&open2-8");
      assertThat(e.value("exposure_time")).contains(90.0);
      assertThat(e.value("observation_type")).contains("science");
      assertThat(e.value("day_obs")).contains(20190807L);
      var image =
          (org.jbutler.datastore.Image)
              b.get("raw", Map.of("exposure", 201908080042274L, "detector", 1), Map.of());
      assertThat(image.width()).isEqualTo(200);
      assertThat(image.height()).isEqualTo(150);
      assertThat(image)
          .isEqualTo(org.jbutler.datastore.FitsIo.readImage(samples.resolve("gmos.fits"), 1, null));
    }
  }

  /** An instrument written in Java, named by its class. */
  @Test
  void aJavaInstrumentIsLoadedByClassName() throws Exception {
    SimCam.generate(new SimCam.Config(4, 1, 1, 2, 16, 16, 0, 0), dir.resolve("data"));
    String repo = dir.resolve("repo").toString();
    String javaCam = org.jbutler.butler.testing.JavaCam.class.getName();
    assertThat(cli.run("create", repo)).isZero();
    assertThat(cli.run("register-instrument", repo, javaCam)).as(cli.err()).isZero();
    assertThat(
            cli.run(
                "ingest-raws",
                repo,
                dir.resolve("data/raw").toString(),
                "--instrument",
                javaCam,
                "--transfer",
                "direct"))
        .as(cli.err())
        .isZero();
    assertThat(cli.run("define-visits", repo, javaCam)).as(cli.err()).isZero();
    assertThat(cli.lastOut()).contains("new visit(s) for JavaCam.");
    try (Butler b = Butler.open(Path.of(repo), Butler.Options.none())) {
      assertThat(b.registry().fetchDimensionRecords("exposure"))
          .allSatisfy(r -> assertThat((Long) r.value("id").orElseThrow()).isGreaterThan(7_000_000L))
          .isNotEmpty();
      // define-visits took the detector regions from the instrument's detectorRegion.
      var regions = b.registry().fetchDimensionRecords("visit_detector_region");
      assertThat(regions).isNotEmpty();
      for (var r : regions) {
        long detector = ((Number) r.value("detector").orElseThrow()).longValue();
        var raw =
            b.registry()
                .queryDatasets(
                    "raw",
                    List.of("JavaCam/raw/all"),
                    org.jbutler.registry.DataQuery.where(
                        "instrument = 'JavaCam' AND exposure = "
                            + r.value("visit").orElseThrow()
                            + " AND detector = "
                            + detector))
                .toList()
                .get(0);
        var header =
            (org.jbutler.datastore.Header)
                b.get(raw.makeComponentRef("metadata", "PropertyList"), java.util.Map.of());
        assertThat(r.region().orElseThrow())
            .isEqualTo(org.jbutler.butler.testing.JavaCam.square(header, detector));
      }
    }
    assertThat(cli.run("register-instrument", repo, "java.lang.String")).isEqualTo(2);
    assertThat(cli.err())
        .contains("not an implementation of org.jbutler.butler.instrument.Instrument");
  }

  /**
   * Calibration products (here one bias frame per detector and night) go in with ingest-files and
   * certify-calibrations, and a raw's exposure time picks the right night's.
   */
  @Test
  void calibrationsIngestedAndCertifiedPerNight() throws Exception {
    SimCam.Result data =
        SimCam.generate(new SimCam.Config(12, 2, 1, 2, 16, 16, 0, 0), dir.resolve("data"));
    String repo = dir.resolve("repo").toString();
    assertThat(cli.run("create", repo)).isZero();
    assertThat(cli.run("register-instrument", repo, "SimCam")).isZero();
    assertThat(
            cli.run(
                "ingest-raws",
                repo,
                dir.resolve("data/raw").toString(),
                "--instrument",
                "SimCam",
                "--transfer",
                "direct"))
        .isZero();
    assertThat(
            cli.run(
                "register-dataset-type",
                repo,
                "bias",
                "ImageI",
                "instrument",
                "detector",
                "--is-calibration"))
        .isZero();
    String[] nightStart = new String[3];
    for (int night = 1; night <= 2; night++) {
      int n = night;
      SimCam.ExposureInfo firstBias =
          data.exposures().stream()
              .filter(e -> e.night() == n - 1 && e.type().equals("bias"))
              .findFirst()
              .orElseThrow();
      nightStart[night] =
          org.jbutler.schema.Times.formatIso(
              org.jbutler.schema.Times.parseMjd(
                      String.valueOf(firstBias.mjd() - 0.1), org.jbutler.schema.TimeScale.UTC)
                  - 37_000_000_000L,
              org.jbutler.schema.TimeScale.TAI,
              0);
      StringBuilder table = new StringBuilder("file,detector\n");
      for (int d = 0; d < 2; d++) {
        table.append(String.format("raw/%s_R%02d.fits,%d%n", firstBias.obsId(), d, d));
      }
      Path csv = dir.resolve("data/bias-night" + night + ".csv");
      Files.writeString(csv, table);
      String run = "SimCam/calib/bias/night" + night;
      assertThat(
              cli.run(
                  "ingest-files",
                  repo,
                  "bias",
                  run,
                  csv.toString(),
                  "--data-id",
                  "instrument=SimCam",
                  "--transfer",
                  "copy"))
          .as(cli.err())
          .isZero();
    }
    assertThat(
            cli.run(
                "certify-calibrations",
                repo,
                "SimCam/calib/bias/night1",
                "SimCam/calib",
                "bias",
                "--begin-date",
                nightStart[1],
                "--end-date",
                nightStart[2]))
        .as(cli.err())
        .isZero();
    assertThat(
            cli.run(
                "certify-calibrations",
                repo,
                "SimCam/calib/bias/night2",
                "SimCam/calib",
                "bias",
                "--begin-date",
                nightStart[2]))
        .as(cli.err())
        .isZero();
    try (Butler b =
        Butler.open(
            Path.of(repo),
            new Butler.Options(List.of("SimCam/calib"), null, Map.of("instrument", "SimCam")))) {
      for (int night = 1; night <= 2; night++) {
        int n = night;
        SimCam.ExposureInfo science =
            data.exposures().stream()
                .filter(e -> e.night() == n - 1 && e.type().equals("science"))
                .findFirst()
                .orElseThrow();
        var found =
            b.findDataset(
                    "bias",
                    Map.of("detector", 1, "exposure", science.id()),
                    List.of("SimCam/calib"))
                .orElseThrow();
        assertThat(found.run()).isEqualTo("SimCam/calib/bias/night" + night);
      }
    }
    // Overlapping validity for the same detector is refused, and nothing changes.
    assertThat(
            cli.run(
                "certify-calibrations",
                repo,
                "SimCam/calib/bias/night2",
                "SimCam/calib",
                "bias",
                "--begin-date",
                nightStart[1]))
        .isEqualTo(3);
    assertThat(cli.err()).containsIgnoringCase("overlap");
  }
}
