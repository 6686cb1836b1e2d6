package org.jbutler.ap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jbutler.ap.tasks.Isr;
import org.jbutler.butler.Butler;
import org.jbutler.butler.instrument.Instrument;
import org.jbutler.cli.ExitCodes;
import org.jbutler.cli.FormatMixin;
import org.jbutler.cli.LoggingMixin;
import org.jbutler.cli.OutputFormat;
import org.jbutler.cli.Results;
import org.jbutler.datastore.Datastore;
import org.jbutler.datastore.Header;
import org.jbutler.datastore.ImageF;
import org.jbutler.datastore.ImageI;
import org.jbutler.pipetask.cli.RunSummary;
import org.jbutler.pipetask.execution.GraphExecutor;
import org.jbutler.pipetask.execution.PipelineRun;
import org.jbutler.pipetask.pipeline.Pipeline;
import org.jbutler.pipetask.pipeline.PipelineGraph;
import org.jbutler.registry.DataQuery;
import org.jbutler.registry.Registry;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.Times;
import org.jbutler.schema.Timespan;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionUniverse;
import org.jbutler.schema.exceptions.InvalidConfigException;
import org.jbutler.testdata.SimCam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * The end-to-end demo: generates two nights of the synthetic camera ("SimCam"), creates a
 * repository on SQLite, registers the instrument, ingests the raw FITS files, defines visits,
 * builds bias, dark and flat calibrations per night (from the overscan-corrected, trimmed
 * calibration raws) and certifies each for its night, then runs the ProcessCcd pipeline (ISR, image
 * characterization, per-visit summary) with {@code pipetask run -j 2}, and reports what it made.
 * Exits non-zero if any quantum failed.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Generate SimCam data, build a repository with calibrations, run the ProcessCcd pipeline (-j 2) and report what it made. DIR (default ./jbutler-demo) is replaced if a previous demo made it.")
public final class Demo implements Callable<Integer> {

  /** Marks a directory as made by the demo, so a re-run may replace it. */
  static final String MARKER = ".jbutler-demo";

  static final int DETECTORS = SimCam.Config.demo(42).detectors();

  static final String OUTPUT = "u/demo/processCcd";

  private static final Logger LOG = LoggerFactory.getLogger(Demo.class);

  @Mixin LoggingMixin logging;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DIR",
      defaultValue = "jbutler-demo",
      description = "Directory to create (default: ./${DEFAULT-VALUE}).")
  Path dir;

  @Option(
      names = {"-j", "--processes"},
      paramLabel = "N",
      defaultValue = "2",
      description = "Quanta run at once (default: ${DEFAULT-VALUE}).")
  int processes;

  @Mixin FormatMixin output;

  @Spec CommandLine.Model.CommandSpec spec;

  /** One titled table of the report. */
  private record Section(String title, List<String> columns, List<List<Object>> rows, String text) {
    Section(String title, List<String> columns, List<List<Object>> rows) {
      this(title, columns, rows, null);
    }
  }

  private final Map<String, Double> stages = new LinkedHashMap<>();
  private long stageStart;

  private void stage(String name) {
    long now = System.nanoTime();
    stages.put(name, (now - stageStart) / 1e9);
    LOG.info(
        "Stage '{}' took {} s",
        name,
        String.format(java.util.Locale.ROOT, "%.1f", (now - stageStart) / 1e9));
    stageStart = now;
  }

  @Override
  public Integer call() throws IOException {
    long t0 = System.nanoTime();
    stageStart = t0;
    // Checked before the directory is touched.
    PipelineRun.ExecutionOptions options =
        new PipelineRun.ExecutionOptions(
            processes, false, 0, org.jbutler.cli.TerminalProgress.forCli(true), true, false, false);
    Path root = dir.toAbsolutePath().normalize();
    prepare(root);
    List<Section> report = new ArrayList<>();
    int code;
    try (Butler butler = Butler.create(root.resolve("repo"), Map.of(), null)) {
      LOG.info("Created repository {}", butler.root());
      code = fill(butler, root, report, options);
    }
    List<List<Object>> times = new ArrayList<>();
    stages.forEach(
        (k, v) -> times.add(List.of(k, String.format(java.util.Locale.ROOT, "%.1f", v))));
    times.add(
        List.of(
            "total", String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - t0) / 1e9)));
    report.add(new Section("Stages", List.of("stage", "seconds"), times));
    print(report);
    return code;
  }

  /** Everything, in order; returns pipetask's exit code. */
  private int fill(
      Butler butler, Path root, List<Section> report, PipelineRun.ExecutionOptions options)
      throws IOException {
    Registry r = butler.registry();
    DimensionUniverse u = r.universe();
    SimCam.Result data = SimCam.generate(SimCam.Config.demo(42), root.resolve("incoming"));
    LOG.info(
        "Generated {} SimCam raw files for {} exposures",
        data.raws().size(),
        data.exposures().size());
    stage("generate SimCam data");
    Instrument simCam = Instrument.load("SimCam");
    simCam.register(r);
    Butler.RawIngestReport ingested =
        butler.ingestRaws(
            simCam, List.of(root.resolve("incoming/raw")), null, Datastore.Transfer.COPY, 4, true);
    if (!ingested.failures().isEmpty()) {
      throw new InvalidConfigException("Raw ingest failed: " + ingested.failures());
    }
    stage("ingest raws");
    LOG.info("Ingested {} raws; {} visits defined", ingested.ingested().size(), visits(butler));
    stage("define visits");
    calibrations(butler, data, u);
    stage("build and certify calibrations");
    r.registerCollection("SimCam/defaults", CollectionType.CHAINED, "raws then calibrations");
    r.setChain("SimCam/defaults", List.of("SimCam/raw/all", "SimCam/calib"));

    // The pipeline, as a library call: what `pipetask run` does (PipelineRun), printed the same
    // way.
    Path pipeline = root.resolve("ProcessCcd.yaml");
    try (var in = Demo.class.getResourceAsStream("pipelines/ProcessCcd.yaml")) {
      Files.copy(in, pipeline);
    }
    String query = "exposure.observation_type = 'science'";
    LOG.info(
        "Running the pipeline (as: pipetask run -b {} -p {} -i SimCam/defaults -o {} -d \"{}\" -j {}"
            + " --register-dataset-types)",
        butler.root(),
        pipeline,
        OUTPUT,
        query,
        processes);
    java.io.StringWriter pipetaskOut = new java.io.StringWriter();
    int code;
    try {
      PipelineRun run =
          PipelineRun.builder(butler)
              .pipeline(PipelineGraph.build(Pipeline.load(pipeline.toString()), butler.registry()))
              .inputs(List.of("SimCam/defaults"))
              .output(OUTPUT)
              .dataQuery(query)
              .command("demo: pipetask run -p " + pipeline + " -o " + OUTPUT)
              .prepare();
      long t0 = System.nanoTime();
      GraphExecutor.Report result = run.execute(options);
      RunSummary.writeJson(result, root.resolve("run-summary.json"));
      RunSummary.print(
          result,
          run.pipeline(),
          run.graph(),
          (System.nanoTime() - t0) / 1e9,
          new PrintWriter(pipetaskOut, true),
          OutputFormat.TABLE);
      code = result.anyFailed() ? 1 : 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("Interrupted while the pipeline ran.");
    }
    stage("run the ProcessCcd pipeline (-j " + processes + ")");
    r.refresh();
    report(butler, pipeline, pipetaskOut.toString(), code, report);
    return code;
  }

  /**
   * Per night: bias = mean of the trimmed bias frames; dark = mean of (trimmed dark − bias) per
   * second; flat per band = mean of (trimmed flat − bias − dark × t), normalised to mean 1. Each is
   * certified from the start of its night to the start of the next.
   */
  private static void calibrations(Butler butler, SimCam.Result data, DimensionUniverse u) {
    Registry r = butler.registry();
    r.registerDatasetType(DatasetType.calibration("bias", u.group("detector"), "ImageF"));
    r.registerDatasetType(DatasetType.calibration("dark", u.group("detector"), "ImageF"));
    r.registerDatasetType(
        DatasetType.calibration("flat", u.group("detector", "physical_filter"), "ImageF"));
    r.registerCollection("SimCam/calib", CollectionType.CALIBRATION, "certified calibrations");
    int nights = data.exposures().get(data.exposures().size() - 1).night() + 1;
    for (int night = 0; night < nights; night++) {
      int n = night;
      List<SimCam.ExposureInfo> tonight =
          data.exposures().stream().filter(e -> e.night() == n).toList();
      int dayObs = tonight.get(0).dayObs();
      List<DatasetRef> certified = new ArrayList<>();
      for (int d = 0; d < DETECTORS; d++) {
        List<ImageF> biasFrames = trimmed(butler, tonight, "bias", null, d);
        ImageF bias =
            Isr.mean(
                biasFrames,
                new Header().set("IMAGETYP", "bias").set("NCOMBINE", (long) biasFrames.size()));
        List<ImageF> darkFrames = new ArrayList<>();
        for (SimCam.ExposureInfo e :
            tonight.stream().filter(e -> e.type().equals("dark")).toList()) {
          ImageF f = trimmed(butler, List.of(e), "dark", null, d).get(0);
          float[] p = f.pixels();
          for (int i = 0; i < p.length; i++) {
            p[i] = (float) ((p[i] - bias.pixels()[i]) / e.exposureTime());
          }
          darkFrames.add(f);
        }
        ImageF dark =
            Isr.mean(darkFrames, new Header().set("IMAGETYP", "dark").set("BUNIT", "ADU/s"));
        Map<String, Object> detectorId = Map.of("instrument", "SimCam", "detector", d);
        certified.add(butler.put(bias, "bias", detectorId, "SimCam/calib/bias/" + dayObs));
        certified.add(butler.put(dark, "dark", detectorId, "SimCam/calib/dark/" + dayObs));
        for (String band : SimCam.BANDS) {
          List<ImageF> flats = new ArrayList<>();
          for (SimCam.ExposureInfo e :
              tonight.stream()
                  .filter(e -> e.type().equals("flat") && e.band().equals(band))
                  .toList()) {
            ImageF f = trimmed(butler, List.of(e), "flat", band, d).get(0);
            float[] p = f.pixels();
            for (int i = 0; i < p.length; i++) {
              p[i] -= bias.pixels()[i] + dark.pixels()[i] * (float) e.exposureTime();
            }
            flats.add(f);
          }
          ImageF flat = Isr.mean(flats, new Header().set("IMAGETYP", "flat"));
          double mean = 0;
          for (float v : flat.pixels()) {
            mean += v / flat.pixels().length;
          }
          float[] p = flat.pixels();
          for (int i = 0; i < p.length; i++) {
            p[i] /= (float) mean;
          }
          certified.add(
              butler.put(
                  flat,
                  "flat",
                  Map.of(
                      "instrument", "SimCam", "detector", d, "physical_filter", "SimCam-" + band),
                  "SimCam/calib/flat/" + dayObs));
        }
      }
      long begin = nightStart(data, night);
      r.certify(
          "SimCam/calib",
          certified,
          night + 1 < nights
              ? Timespan.of(begin, nightStart(data, night + 1))
              : Timespan.from(begin));
    }
  }

  private static List<ImageF> trimmed(
      Butler butler, List<SimCam.ExposureInfo> exposures, String type, String band, int detector) {
    List<ImageF> out = new ArrayList<>();
    for (SimCam.ExposureInfo e : exposures) {
      if (!e.type().equals(type) || (band != null && !e.band().equals(band))) {
        continue;
      }
      ImageI raw =
          (ImageI)
              butler.get(
                  butler
                      .findDataset(
                          "raw",
                          Map.of("instrument", "SimCam", "exposure", e.id(), "detector", detector),
                          List.of("SimCam/raw/all"))
                      .orElseThrow(),
                  Map.of());
      out.add(Isr.overscanAndTrim(raw).image());
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private void report(
      Butler butler, Path pipeline, String pipetaskOut, int code, List<Section> report) {
    Registry r = butler.registry();
    report.add(
        new Section(
            "pipetask run (exit code " + code + ")", List.of(), List.of(), pipetaskOut.strip()));
    List<List<Object>> visits = new ArrayList<>();
    if (code == 0 || r.collections().contains(OUTPUT)) {
      for (DatasetRef ref :
          r.queryDatasets(
              "visitSummary",
              List.of(OUTPUT),
              DataQuery.all().withOrderBy("visit").withFindFirst())) {
        Map<String, Object> s = (Map<String, Object>) butler.get(ref, Map.of());
        DataCoordinate full = r.expandDataId(ref.dataId().required(), ref.dataId().dimensions());
        visits.add(
            List.of(
                s.get("visit"),
                full.valueOrNull("physical_filter") == null
                    ? ""
                    : full.valueOrNull("physical_filter"),
                s.get("detectors"),
                s.get("nSources"),
                fmt(s.get("psfSigmaMedian")),
                fmt(s.get("backgroundMedian"))));
      }
    }
    report.add(
        new Section(
            "Sources detected per visit",
            List.of(
                "visit",
                "physical_filter",
                "detectors",
                "sources",
                "PSF sigma (px)",
                "background (ADU)"),
            visits));
    List<List<Object>> where = new ArrayList<>();
    where.add(List.of("repository", butler.root().toString()));
    where.add(List.of("output chain", OUTPUT + " = " + String.join(", ", r.chain(OUTPUT))));
    String outRun = r.chain(OUTPUT).get(0);
    where.add(List.of("output run", outRun));
    where.add(List.of("its files", butler.datastore().root().resolve(outRun).toString()));
    r.queryDatasets("icSrc", List.of(OUTPUT), DataQuery.all().withLimit(1).withFindFirst()).stream()
        .findFirst()
        .ifPresent(ref -> where.add(List.of("a source catalogue", butler.uri(ref).toString())));
    report.add(new Section("Where the outputs are", List.of("what", "where"), where));
    String repo = butler.root().toString();
    report.add(
        new Section(
            "Try next",
            List.of("command"),
            List.of(
                List.of(
                    launcher("butler")
                        + " query-datasets "
                        + repo
                        + " icSrc --collections "
                        + OUTPUT
                        + " --where \"instrument = 'SimCam' AND visit = 111 AND detector < 2\""),
                List.of(launcher("pipetask") + " report " + repo + " --run " + outRun),
                List.of(
                    launcher("pipetask")
                        + " qgraph -b "
                        + repo
                        + " -p "
                        + pipeline
                        + " -i SimCam/defaults -o u/me/try -c characterizeImage:thresholdSigma=3"
                        + " -d \"exposure.observation_type = 'science' AND detector = 0\""
                        + " --show summary"),
                List.of(launcher("butler") + " query-collections " + repo + " --chains TREE"))));
  }

  /**
   * A launcher's path as the user can type it from anywhere: absolute when started through {@code
   * bin/} (which passes {@code -Djbutler.bin}), else relative to the checkout.
   */
  static String launcher(String name) {
    String bin = System.getProperty("jbutler.bin");
    return bin == null || bin.isBlank() ? "bin/" + name : Path.of(bin, name).toString();
  }

  private static Object fmt(Object v) {
    return v instanceof Number n
        ? String.format(java.util.Locale.ROOT, "%.2f", n.doubleValue())
        : "";
  }

  private static int visits(Butler butler) {
    return butler.defineVisits("SimCam", null);
  }

  /** The start of a night: an hour before its first exposure. */
  private static long nightStart(SimCam.Result data, int night) {
    double mjd =
        data.exposures().stream().filter(e -> e.night() == night).findFirst().orElseThrow().mjd();
    return Times.parseMjd(String.valueOf(mjd - 1 / 24.0), org.jbutler.schema.TimeScale.UTC);
  }

  private void print(List<Section> report) {
    PrintWriter out = spec.commandLine().getOut();
    if (output.format() == OutputFormat.JSON) {
      Map<String, Object> doc = new LinkedHashMap<>();
      for (Section s : report) {
        if (s.text() != null) {
          doc.put(s.title(), s.text());
          continue;
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        for (List<Object> row : s.rows()) {
          Map<String, Object> m = new LinkedHashMap<>();
          for (int i = 0; i < s.columns().size(); i++) {
            m.put(s.columns().get(i), row.get(i));
          }
          rows.add(m);
        }
        doc.put(s.title(), rows);
      }
      try {
        out.println(
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.flush();
      return;
    }
    for (Section s : report) {
      out.println();
      out.println("== " + s.title());
      if (s.text() != null) {
        out.println(s.text());
        continue;
      }
      Results.print(out, output.format(), s.columns(), s.rows());
    }
    out.flush();
  }

  /** Creates the directory, replacing one an earlier demo made; refuses anything else. */
  static void prepare(Path root) throws IOException {
    if (Files.exists(root)) {
      boolean empty;
      try (Stream<Path> s = Files.list(root)) {
        empty = s.findAny().isEmpty();
      }
      if (!empty && !Files.exists(root.resolve(MARKER))) {
        throw new InvalidConfigException(
            "Directory "
                + root
                + " exists and was not made by the demo; choose another DIR ("
                + launcher("demo")
                + " OTHER_DIR).");
      }
      org.jbutler.butler.cli.ClassDataTraining.deleteTree(root);
    }
    Files.createDirectories(root);
    Files.writeString(root.resolve(MARKER), "made by jbutler's demo; safe to delete\n");
  }

  /** Runs the demo and exits with its code. */
  public static void main(String[] args) {
    System.exit(ExitCodes.configure(new CommandLine(new Demo())).execute(args));
  }
}
