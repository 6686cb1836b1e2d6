package org.jbutler.ap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jbutler.butler.Butler;
import org.jbutler.butler.Instrument;
import org.jbutler.butler.cli.ExitCodes;
import org.jbutler.butler.cli.FormatMixin;
import org.jbutler.butler.cli.LoggingMixin;
import org.jbutler.butler.cli.OutputFormat;
import org.jbutler.butler.cli.Results;
import org.jbutler.datastore.Box;
import org.jbutler.datastore.FileDatastore;
import org.jbutler.datastore.Header;
import org.jbutler.datastore.ImageF;
import org.jbutler.datastore.ImageI;
import org.jbutler.registry.DataQuery;
import org.jbutler.registry.Registry;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.DimensionRecord;
import org.jbutler.schema.DimensionUniverse;
import org.jbutler.schema.InvalidConfigException;
import org.jbutler.schema.Times;
import org.jbutler.schema.Timespan;
import org.jbutler.testdata.SimCam;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The end-to-end demo. At this stage it generates two nights of the synthetic camera ("SimCam"),
 * creates a repository, registers the instrument, ingests the raw FITS files, defines visits,
 * combines and certifies a bias per night, writes per-exposure summaries, then queries the
 * repository and reads datasets back (a cut-out, each night's calibration found by an exposure's
 * time). A later stage adds the Alert Production pipeline.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Create a demo repository, fill it with SimCam data, and show what it holds.")
public final class Demo implements Callable<Integer> {

  /** Marks a directory as made by the demo, so a re-run may replace it. */
  static final String MARKER = ".jbutler-demo";

  static final int DETECTORS = SimCam.Config.demo(42).detectors();

  private static final Logger LOG = LoggerFactory.getLogger(Demo.class);

  @Mixin LoggingMixin logging;

  @Option(
      names = "--repo",
      defaultValue = "demo-repo",
      description = "Repository directory to create (default: ${DEFAULT-VALUE}).")
  Path repo;

  @Mixin FormatMixin output;

  @Spec CommandLine.Model.CommandSpec spec;

  /** One titled table of the report. */
  private record Section(String title, List<String> columns, List<List<Object>> rows) {}

  @Override
  public Integer call() throws IOException {
    Path root = repo.toAbsolutePath().normalize();
    prepare(root);
    List<Section> report = new ArrayList<>();
    try (Butler butler = Butler.create(root.resolve("repo"), Map.of(), null)) {
      LOG.info("Created repository {}", butler.root());
      fill(butler, root, report);
    }
    print(report);
    return 0;
  }

  /**
   * SimCam raws generated and ingested, visits defined, a combined bias per detector and night put
   * and certified for its night; then summaries and queries.
   */
  private void fill(Butler butler, Path root, List<Section> report) throws IOException {
    Registry r = butler.registry();
    DimensionUniverse u = r.universe();
    SimCam.Result data = SimCam.generate(SimCam.Config.demo(42), root.resolve("incoming"));
    LOG.info(
        "Generated {} SimCam raw files for {} exposures",
        data.raws().size(),
        data.exposures().size());
    Instrument simCam = Instrument.load("SimCam");
    simCam.register(r);
    Butler.RawIngestReport ingested =
        butler.ingestRaws(
            simCam,
            List.of(root.resolve("incoming/raw")),
            null,
            FileDatastore.Transfer.COPY,
            4,
            true);
    if (!ingested.failures().isEmpty()) {
      throw new InvalidConfigException("Raw ingest failed: " + ingested.failures());
    }
    LOG.info("Ingested {} raws; {} visits defined", ingested.ingested().size(), visits(butler));
    r.registerDatasetType(DatasetType.calibration("bias", u.group("detector"), "ImageF"));
    r.registerDatasetType(
        DatasetType.of("exposure_summary", u.group("exposure"), "StructuredDataDict"));

    // Biases: per night and detector, the mean of that night's bias raws, certified from the
    // start of its night to the start of the next.
    r.registerCollection("SimCam/calib", CollectionType.CALIBRATION, "certified calibrations");
    int nights = data.exposures().get(data.exposures().size() - 1).night() + 1;
    for (int night = 0; night < nights; night++) {
      int n = night;
      List<SimCam.ExposureInfo> biasExposures =
          data.exposures().stream().filter(e -> e.night() == n && e.type().equals("bias")).toList();
      String run = "SimCam/calib/bias/" + biasExposures.get(0).dayObs();
      List<DatasetRef> biases = new ArrayList<>();
      for (int d = 0; d < DETECTORS; d++) {
        List<ImageI> frames = new ArrayList<>();
        for (SimCam.ExposureInfo e : biasExposures) {
          frames.add(
              (ImageI)
                  butler.get(
                      butler
                          .findDataset(
                              "raw",
                              Map.of("instrument", "SimCam", "exposure", e.id(), "detector", d),
                              List.of("SimCam/raw/all"))
                          .orElseThrow(),
                      Map.of()));
        }
        biases.add(
            butler.put(mean(frames), "bias", Map.of("instrument", "SimCam", "detector", d), run));
      }
      long begin = nightStart(data, night);
      r.certify(
          "SimCam/calib",
          biases,
          night + 1 < nights
              ? Timespan.of(begin, nightStart(data, night + 1))
              : Timespan.from(begin));
    }
    r.registerCollection("SimCam/defaults", CollectionType.CHAINED, "raws then calibrations");
    r.setChain("SimCam/defaults", List.of("SimCam/raw/all", "SimCam/calib"));
    List<SimCam.ExposureInfo> science =
        data.exposures().stream().filter(e -> e.type().equals("science")).toList();

    // Summaries, one per science exposure, computed from the raws just stored.
    try (Butler reader =
        Butler.open(
            butler.root(),
            new Butler.Options(
                List.of("SimCam/raw/all"), "SimCam/summaries", Map.of("instrument", "SimCam")))) {
      for (SimCam.ExposureInfo e : science) {
        double sum = 0;
        long count = 0;
        for (int d = 0; d < DETECTORS; d++) {
          ImageI raw =
              (ImageI) reader.get("raw", Map.of("exposure", e.id(), "detector", d), Map.of());
          for (int v : raw.pixels()) {
            sum += v;
          }
          count += raw.pixels().length;
        }
        reader.put(
            Map.of("exposure", e.id(), "band", e.band(), "mean_adu", Math.round(sum / count)),
            "exposure_summary",
            Map.of("exposure", e.id()));
      }
    }

    // What the repository holds.
    List<List<Object>> collections = new ArrayList<>();
    for (String c : r.queryCollections("*", java.util.Set.of(), false, true)) {
      collections.add(
          List.of(
              c,
              r.collectionType(c).name(),
              r.collectionType(c) == CollectionType.CHAINED ? String.join(", ", r.chain(c)) : ""));
    }
    report.add(new Section("Collections", List.of("name", "type", "children"), collections));
    List<List<Object>> types = new ArrayList<>();
    for (DatasetType t : r.queryDatasetTypes("*")) {
      long n =
          r.queryDatasets(t.name(), List.of("SimCam/*"), DataQuery.all(), false).stream()
              .map(DatasetRef::id)
              .distinct()
              .count();
      types.add(List.of(t.name(), t.dimensions().toString(), t.storageClass(), n));
    }
    report.add(
        new Section(
            "Dataset types", List.of("name", "dimensions", "storageClass", "datasets"), types));
    String where =
        "instrument = 'SimCam' AND exposure.observation_type = 'science'"
            + " AND physical_filter = 'SimCam-r' AND detector < 2";
    List<List<Object>> found = new ArrayList<>();
    for (DatasetRef ref :
        r.queryDatasets(
            "raw",
            List.of("SimCam/raw/all"),
            DataQuery.where(where).withOrderBy("exposure", "detector"),
            true)) {
      found.add(
          List.of(
              ref.dataId().value("exposure"),
              ref.dataId().value("detector"),
              butler.root().relativize(butler.getURI(ref)).toString()));
    }
    report.add(new Section("Raws where " + where, List.of("exposure", "detector", "file"), found));

    try (Butler reader =
        Butler.open(
            butler.root(),
            new Butler.Options(List.of("SimCam/defaults"), null, Map.of("instrument", "SimCam")))) {
      List<List<Object>> reads = new ArrayList<>();
      SimCam.ExposureInfo first = science.get(0);
      SimCam.ExposureInfo last = science.get(science.size() - 1);
      ImageI cut =
          (ImageI)
              reader.get(
                  "raw",
                  Map.of("exposure", first.id(), "detector", 0),
                  Map.of("bbox", new Box(16, 16, 8, 8)));
      reads.add(
          List.of(
              "raw cut-out 8x8 at (16,16), exposure " + first.id() + ", detector 0",
              "first pixel " + cut.at(0, 0) + " ADU"));
      for (SimCam.ExposureInfo e : List.of(first, last)) {
        var bias = reader.findDataset("bias", Map.of("exposure", e.id(), "detector", 1), List.of());
        reads.add(
            List.of(
                "bias for exposure " + e.id() + " (day_obs " + e.dayObs() + "), detector 1",
                bias.map(b -> "found in run " + b.run()).orElse("none certified for that time")));
      }
      try (Butler summaries =
          Butler.open(
              butler.root(),
              new Butler.Options(
                  List.of("SimCam/summaries"), null, Map.of("instrument", "SimCam")))) {
        reads.add(
            List.of(
                "summary of exposure " + last.id(),
                String.valueOf(
                    summaries.get("exposure_summary", Map.of("exposure", last.id()), Map.of()))));
      }
      FileDatastore.VerifyReport check = reader.datastore().verify();
      reads.add(
          List.of(
              "butler verify",
              check.ok() ? "OK: every artifact present and recorded" : check.toString()));
      report.add(new Section("Reads", List.of("what", "result"), reads));
    }
  }

  private static void insert(Registry r, String element, Map<String, ?> values) {
    r.insertDimensionRecords(
        element, List.of(DimensionRecord.of(r.universe().element(element), values)));
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

  /** The pixel-wise mean of frames. */
  private static ImageF mean(List<ImageI> frames) {
    ImageI f0 = frames.get(0);
    float[] p = new float[f0.pixels().length];
    for (ImageI f : frames) {
      int[] q = f.pixels();
      for (int i = 0; i < p.length; i++) {
        p[i] += q[i] / (float) frames.size();
      }
    }
    return new ImageF(
        f0.bbox(), p, new Header().set("IMAGETYP", "bias").set("NCOMBINE", (long) frames.size()));
  }

  private void print(List<Section> report) {
    PrintWriter out = spec.commandLine().getOut();
    if (output.format() == OutputFormat.JSON) {
      Map<String, Object> doc = new LinkedHashMap<>();
      for (Section s : report) {
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
                + " exists and was not made by the demo; choose another with --repo.");
      }
      deleteTree(root);
    }
    Files.createDirectories(root);
    Files.writeString(root.resolve(MARKER), "made by jbutler's demo; safe to delete\n");
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
  }

  /** Runs the demo and exits with its code. */
  public static void main(String[] args) {
    System.exit(ExitCodes.configure(new CommandLine(new Demo())).execute(args));
  }
}
