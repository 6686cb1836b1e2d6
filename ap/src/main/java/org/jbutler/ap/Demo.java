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
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jbutler.butler.Butler;
import org.jbutler.butler.cli.ExitCodes;
import org.jbutler.butler.cli.FormatMixin;
import org.jbutler.butler.cli.LoggingMixin;
import org.jbutler.butler.cli.OutputFormat;
import org.jbutler.butler.cli.Results;
import org.jbutler.datastore.Box;
import org.jbutler.datastore.FileDatastore;
import org.jbutler.datastore.FitsIo;
import org.jbutler.datastore.Header;
import org.jbutler.datastore.ImageF;
import org.jbutler.datastore.ImageI;
import org.jbutler.registry.DataQuery;
import org.jbutler.registry.Registry;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.DimensionRecord;
import org.jbutler.schema.DimensionUniverse;
import org.jbutler.schema.InvalidConfigException;
import org.jbutler.schema.Times;
import org.jbutler.schema.Timespan;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The end-to-end demo. At this stage it creates a repository for a small synthetic camera
 * ("SimCam"), ingests raw frames written as FITS files, puts and certifies bias frames in a
 * calibration collection, writes per-exposure summaries, then queries the repository and reads
 * datasets back (a cut-out, a calibration found by the exposure's time). Later stages add the
 * synthetic-camera generator and the Alert Production pipeline.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Create a demo repository, fill it with SimCam data, and show what it holds.")
public final class Demo implements Callable<Integer> {

  /** Marks a directory as made by the demo, so a re-run may replace it. */
  static final String MARKER = ".jbutler-demo";

  static final int DETECTORS = 4;
  static final int SIZE = 64;

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

  private static final long T0 = Times.parseLiteral("2026-03-01T02:00:00");
  private static final long HOUR = 3_600_000_000_000L;

  /** Records, dataset types, raws (ingested), biases (certified), summaries; then queries. */
  private void fill(Butler butler, Path root, List<Section> report) throws IOException {
    Registry r = butler.registry();
    DimensionUniverse u = r.universe();
    insert(r, "instrument", Map.of("name", "SimCam", "detector_max", DETECTORS));
    for (String band : List.of("g", "r", "i")) {
      insert(
          r,
          "physical_filter",
          Map.of("instrument", "SimCam", "name", "SimCam-" + band, "band", band));
    }
    for (int d = 0; d < DETECTORS; d++) {
      insert(
          r,
          "detector",
          Map.of("instrument", "SimCam", "id", d, "full_name", "R0" + d, "purpose", "SCIENCE"));
    }
    int[][] nights = {{20260301, 0}, {20260302, 24}};
    for (int[] n : nights) {
      insert(
          r,
          "day_obs",
          Map.of(
              "instrument",
              "SimCam",
              "id",
              n[0],
              "timespan",
              Timespan.of(T0 + n[1] * HOUR - 2 * HOUR, T0 + n[1] * HOUR + 22 * HOUR)));
    }
    String[] filters = {"SimCam-g", "SimCam-r", "SimCam-r"};
    for (int e = 0; e < 3; e++) {
      int night = e < 2 ? 0 : 1;
      long begin = T0 + nights[night][1] * HOUR + e * HOUR;
      insert(r, "group", Map.of("instrument", "SimCam", "name", "G" + e));
      insert(
          r,
          "exposure",
          Map.of(
              "instrument",
              "SimCam",
              "id",
              100 + e,
              "obs_id",
              "SIM_" + (100 + e),
              "physical_filter",
              filters[e],
              "group",
              "G" + e,
              "day_obs",
              nights[night][0],
              "exposure_time",
              30.0,
              "observation_type",
              "science",
              "timespan",
              Timespan.of(begin, begin + 30_000_000_000L)));
    }
    r.registerDatasetType(DatasetType.of("raw", u.group("exposure", "detector"), "ImageI"));
    r.registerDatasetType(DatasetType.calibration("bias", u.group("detector"), "ImageF"));
    r.registerDatasetType(
        DatasetType.of("exposure_summary", u.group("exposure"), "StructuredDataDict"));

    // Raw frames: written as FITS files outside the repository, then ingested (copied).
    Path incoming = Files.createDirectories(root.resolve("incoming"));
    Random random = new Random(42);
    List<Map<String, ?>> dataIds = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (int e = 0; e < 3; e++) {
      for (int d = 0; d < DETECTORS; d++) {
        Path f = incoming.resolve("SIM_" + (100 + e) + "_R0" + d + ".fits");
        FitsIo.writeImage(rawFrame(random, e, d), f);
        files.add(f);
        dataIds.add(Map.of("instrument", "SimCam", "exposure", 100 + e, "detector", d));
      }
    }
    butler.ingest(
        "raw",
        dataIds,
        files,
        "SimCam/raw/all",
        FileDatastore.Transfer.COPY,
        DatasetIdGenerationMode.DATAID_TYPE_RUN);

    // Biases: one per detector, certified for the first night only.
    List<DatasetRef> biases = new ArrayList<>();
    for (int d = 0; d < DETECTORS; d++) {
      biases.add(
          butler.put(
              biasFrame(d),
              "bias",
              Map.of("instrument", "SimCam", "detector", d),
              "SimCam/calib/bias-2026-03"));
    }
    r.registerCollection("SimCam/calib", CollectionType.CALIBRATION, "certified calibrations");
    r.certify("SimCam/calib", biases, Timespan.of(T0 - 12 * HOUR, T0 + 12 * HOUR));
    r.registerCollection("SimCam/defaults", CollectionType.CHAINED, "raws then calibrations");
    r.setChain("SimCam/defaults", List.of("SimCam/raw/all", "SimCam/calib"));

    // Summaries, one per exposure, computed from the raws just stored.
    try (Butler reader =
        Butler.open(
            butler.root(),
            new Butler.Options(
                List.of("SimCam/raw/all"), "SimCam/summaries", Map.of("instrument", "SimCam")))) {
      for (int e = 0; e < 3; e++) {
        double sum = 0;
        for (int d = 0; d < DETECTORS; d++) {
          ImageI raw =
              (ImageI) reader.get("raw", Map.of("exposure", 100 + e, "detector", d), Map.of());
          for (int v : raw.pixels()) {
            sum += v;
          }
        }
        reader.put(
            Map.of("exposure", 100 + e, "mean_adu", sum / (DETECTORS * SIZE * SIZE)),
            "exposure_summary",
            Map.of("exposure", 100 + e));
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
        "instrument = 'SimCam' AND exposure.physical_filter = 'SimCam-r' AND detector < 2";
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
      ImageI cut =
          (ImageI)
              reader.get(
                  "raw",
                  Map.of("exposure", 100, "detector", 0),
                  Map.of("bbox", new Box(16, 16, 8, 8)));
      reads.add(
          List.of(
              "raw cut-out 8x8 at (16,16), exposure 100, detector 0",
              "first pixel " + cut.at(0, 0) + " ADU"));
      var bias = reader.findDataset("bias", Map.of("exposure", 100, "detector", 1), List.of());
      reads.add(
          List.of(
              "bias for exposure 100 (night 1), detector 1",
              bias.map(b -> "found in run " + b.run()).orElse("none")));
      var later = reader.findDataset("bias", Map.of("exposure", 102, "detector", 1), List.of());
      reads.add(
          List.of(
              "bias for exposure 102 (night 2), detector 1",
              later.map(b -> "found in run " + b.run()).orElse("none certified for that time")));
      try (Butler summaries =
          Butler.open(
              butler.root(),
              new Butler.Options(
                  List.of("SimCam/summaries"), null, Map.of("instrument", "SimCam")))) {
        reads.add(
            List.of(
                "summary of exposure 101",
                String.valueOf(
                    summaries.get("exposure_summary", Map.of("exposure", 101), Map.of()))));
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

  /** A raw frame: bias level, read noise, sky, and a few stars. */
  private static ImageI rawFrame(Random random, int exposure, int detector) {
    int[] p = new int[SIZE * SIZE];
    double sky = 200 + 50 * exposure;
    for (int i = 0; i < p.length; i++) {
      p[i] = (int) Math.round(1000 + sky + 5 * random.nextGaussian());
    }
    for (int s = 0; s < 5; s++) {
      double cx = 8 + random.nextDouble() * (SIZE - 16);
      double cy = 8 + random.nextDouble() * (SIZE - 16);
      double flux = 5_000 + random.nextDouble() * 20_000;
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          double r2 = (x - cx) * (x - cx) + (y - cy) * (y - cy);
          p[y * SIZE + x] += (int) (flux / (2 * Math.PI * 2.25) * Math.exp(-r2 / 4.5));
        }
      }
    }
    Header h =
        new Header()
            .set("INSTRUME", "SimCam")
            .set("OBSID", "SIM_" + (100 + exposure))
            .set("DETECTOR", (long) detector)
            .set("EXPTIME", 30.0, "seconds")
            .set("IMAGETYP", "science");
    return new ImageI(new Box(0, 0, SIZE, SIZE), p, h);
  }

  private static ImageF biasFrame(int detector) {
    float[] p = new float[SIZE * SIZE];
    java.util.Arrays.fill(p, 1000f + detector);
    return new ImageF(new Box(0, 0, SIZE, SIZE), p, new Header().set("IMAGETYP", "bias"));
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
