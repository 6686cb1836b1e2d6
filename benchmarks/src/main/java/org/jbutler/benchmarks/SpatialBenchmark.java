package org.jbutler.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.jbutler.schema.region.Circle;
import org.jbutler.schema.region.ConvexPolygon;
import org.jbutler.schema.region.HealpixPixelization;
import org.jbutler.schema.region.HtmPixelization;
import org.jbutler.schema.region.Region;
import org.jbutler.schema.region.UnitVector3d;

/**
 * Sky geometry: HTM indexing of points at levels 7 and 20 (target 5 M points/s), HEALPix nested
 * indexing at levels 11 and 17, point-in-polygon tests, sphgeom encode + decode of polygons, and
 * the htm7 envelope of a visit-sized polygon. The raw baseline is a plain-Java loop doing the
 * cheapest honest part of the same work: three dot products per point and level (indexing), or one
 * dot product per polygon edge (containment).
 */
final class SpatialBenchmark implements Benchmark {

  private static final int POINTS = 1_000_000;

  @Override
  public String name() {
    return "spatial";
  }

  @Override
  public String description() {
    return "HTM indexing (levels 7, 20), HEALPix (11, 17), point-in-polygon, region encode/decode, htm7 envelopes";
  }

  @Override
  public void run(Reporter reporter) throws Exception {
    Random random = new Random(17);
    List<UnitVector3d> points = new ArrayList<>(POINTS);
    for (int i = 0; i < POINTS; i++) {
      points.add(
          UnitVector3d.of(random.nextGaussian(), random.nextGaussian(), random.nextGaussian()));
    }
    long[] sink = new long[1];
    for (int level : new int[] {7, 20}) {
      HtmPixelization h = new HtmPixelization(level);
      double ours =
          Harness.medianSeconds(
              2,
              5,
              () -> {
                for (UnitVector3d p : points) {
                  sink[0] += h.index(p);
                }
              });
      int levels = level;
      double raw =
          Harness.medianSeconds(
              2,
              5,
              () -> {
                for (UnitVector3d p : points) {
                  double s = 0;
                  for (int l = 0; l < levels; l++) {
                    s += p.x() * 0.3 + p.y() * 0.5 + p.z() * 0.7;
                    s += p.x() * 0.7 + p.y() * 0.3 + p.z() * 0.5;
                    s += p.x() * 0.5 + p.y() * 0.7 + p.z() * 0.3;
                  }
                  sink[0] += (long) s;
                }
              });
      reporter.rate(
          "spatial.htm" + level + "_index",
          POINTS / ours / 1e6,
          "M points/s",
          "three_dot_products_per_level",
          POINTS / raw / 1e6);
    }
    for (int level : new int[] {11, 17}) {
      HealpixPixelization h = new HealpixPixelization(level);
      double ours =
          Harness.medianSeconds(
              2,
              5,
              () -> {
                for (UnitVector3d p : points) {
                  sink[0] += h.index(p);
                }
              });
      double raw =
          Harness.medianSeconds(
              2,
              5,
              () -> {
                for (UnitVector3d p : points) {
                  sink[0] += (long) (Math.atan2(p.y(), p.x()) + Math.sqrt(1 - Math.abs(p.z())));
                }
              });
      reporter.rate(
          "spatial.healpix" + level + "_index",
          POINTS / ours / 1e6,
          "M points/s",
          "atan2_and_sqrt_per_point",
          POINTS / raw / 1e6);
    }
    // A detector-sized quadrilateral (about 0.2 deg) and points around it.
    ConvexPolygon quad =
        ConvexPolygon.convexHull(
            List.of(
                UnitVector3d.fromDegrees(150.0, 2.0),
                UnitVector3d.fromDegrees(150.2, 2.0),
                UnitVector3d.fromDegrees(150.2, 2.2),
                UnitVector3d.fromDegrees(150.0, 2.2)));
    List<UnitVector3d> near = new ArrayList<>(POINTS);
    for (int i = 0; i < POINTS; i++) {
      near.add(
          UnitVector3d.fromDegrees(
              149.9 + 0.4 * random.nextDouble(), 1.9 + 0.4 * random.nextDouble()));
    }
    double contains =
        Harness.medianSeconds(
            2,
            5,
            () -> {
              for (UnitVector3d p : near) {
                sink[0] += quad.contains(p) ? 1 : 0;
              }
            });
    List<UnitVector3d> vs = quad.vertices();
    double[][] poles = new double[vs.size()][];
    for (int k = 0; k < vs.size(); k++) {
      poles[k] = vs.get(k).cross(vs.get((k + 1) % vs.size()));
    }
    double rawContains =
        Harness.medianSeconds(
            2,
            5,
            () -> {
              for (UnitVector3d p : near) {
                boolean in = true;
                for (double[] n : poles) {
                  in &= n[0] * p.x() + n[1] * p.y() + n[2] * p.z() >= 0;
                }
                sink[0] += in ? 1 : 0;
              }
            });
    reporter.rate(
        "spatial.polygon_contains",
        POINTS / contains / 1e6,
        "M points/s",
        "dot_product_per_edge",
        POINTS / rawContains / 1e6);
    byte[] bytes = quad.encode();
    int n = 200_000;
    double codec =
        Harness.medianSeconds(
            2,
            5,
            () -> {
              for (int i = 0; i < n; i++) {
                sink[0] += Region.decode(bytes).encode().length;
              }
            });
    reporter.figure("spatial.polygon_decode_encode", n / codec / 1e6, "M regions/s");
    HtmPixelization h7 = new HtmPixelization(7);
    Circle visit = Circle.ofDegrees(150.1, 2.1, 1.75); // an LSST-sized field of view
    double envelope =
        Harness.medianSeconds(
            3,
            11,
            () -> {
              sink[0] += h7.envelope(visit, 64).size();
            });
    reporter.figure("spatial.htm7_envelope_visit_circle", envelope * 1e3, "ms");
    Harness.inTempDir(dir -> pointLookup(reporter, "jdbc:sqlite:" + dir.resolve("gen3.sqlite3")));
    if (sink[0] == 42) {
      System.out.println();
    }
  }

  private static final int VISITS = 10_000;

  /** Point lookups probe the first this many visits (more than the timed repetitions). */
  private static final int PROBES = 64;

  /**
   * visit_detector_region.region OVERLAPS POINT among VISITS x 100 = 1,000,000 detector regions (10
   * x 10 grids of 0.2-degree CCDs, visits spread over the sky), against a plain-Java loop testing
   * every region with the same contains() (the raw baseline).
   */
  private static void pointLookup(Reporter reporter, String url) throws Exception {
    org.jbutler.schema.dimensions.DimensionUniverse u =
        org.jbutler.schema.dimensions.DimensionUniverse.defaultUniverse();
    Random random = new Random(5);
    try (org.jbutler.registry.Registry registry = org.jbutler.registry.Registries.create(url, u)) {
      SimCamRegistry.populate(registry, u, 0);
      List<org.jbutler.schema.dimensions.DimensionRecord> visits = new ArrayList<>();
      List<org.jbutler.schema.dimensions.DimensionRecord> regions = new ArrayList<>();
      List<ConvexPolygon> all = new ArrayList<>();
      double[][] centres = new double[VISITS][];
      for (int v = 0; v < VISITS; v++) {
        double ra = 360 * random.nextDouble();
        double dec = Math.toDegrees(Math.asin(2 * random.nextDouble() - 1)) * 0.8;
        centres[v] = new double[] {ra, dec};
        visits.add(
            org.jbutler.schema.dimensions.DimensionRecord.of(
                u.element("visit"),
                java.util.Map.of(
                    "instrument",
                    "SimCam",
                    "id",
                    v,
                    "name",
                    "v" + v,
                    "physical_filter",
                    "r",
                    "day_obs",
                    20260101,
                    "region",
                    Circle.ofDegrees(ra, dec, 1.5))));
        double cos = Math.cos(Math.toRadians(dec));
        for (int d = 0; d < SimCamRegistry.DETECTORS; d++) {
          double r0 = ra + ((d % 10) - 5) * 0.2 / cos;
          double d0 = dec + ((d / 10) - 5) * 0.2;
          ConvexPolygon ccd =
              ConvexPolygon.convexHull(
                  List.of(
                      UnitVector3d.fromDegrees(r0, d0),
                      UnitVector3d.fromDegrees(r0 + 0.2 / cos, d0),
                      UnitVector3d.fromDegrees(r0 + 0.2 / cos, d0 + 0.2),
                      UnitVector3d.fromDegrees(r0, d0 + 0.2)));
          all.add(ccd);
          regions.add(
              org.jbutler.schema.dimensions.DimensionRecord.of(
                  u.element("visit_detector_region"),
                  java.util.Map.of(
                      "instrument", "SimCam", "visit", v, "detector", d, "region", ccd)));
        }
      }
      long t0 = System.nanoTime();
      registry.insertDimensionRecords("visit", visits);
      registry.insertDimensionRecords("visit_detector_region", regions);
      double insert = (System.nanoTime() - t0) / 1e9;
      reporter.figure(
          "spatial.insert_visit_detector_regions", regions.size() / insert, "records/s");
      var group = u.group("visit", "detector");
      // The answer for each probe (a point in one of the first PROBES visits), from every region
      // (visits may overlap each other).
      int[] expected = new int[PROBES];
      for (int v = 0; v < PROBES; v++) {
        UnitVector3d p = UnitVector3d.fromDegrees(centres[v][0] + 0.01, centres[v][1] + 0.01);
        for (ConvexPolygon ccd : all) {
          expected[v] += ccd.contains(p) ? 1 : 0;
        }
      }
      int[] i = {0};
      double query =
          Harness.medianSeconds(
              5,
              41,
              () -> {
                int v = i[0]++ % PROBES;
                double[] c = centres[v];
                int n =
                    registry
                        .queryDataIds(
                            group,
                            List.of(),
                            List.of(),
                            org.jbutler.registry.DataQuery.where(
                                "instrument = 'SimCam' AND visit_detector_region.region OVERLAPS"
                                    + " POINT("
                                    + (c[0] + 0.01)
                                    + ", "
                                    + (c[1] + 0.01)
                                    + ")"))
                        .toList()
                        .size();
                if (n != expected[v]) {
                  throw new IllegalStateException(
                      "expected " + expected[v] + " detector(s), found " + n);
                }
              });
      int[] j = {0};
      double scan =
          Harness.medianSeconds(
              2,
              11,
              () -> {
                int v = j[0]++ % PROBES;
                UnitVector3d p =
                    UnitVector3d.fromDegrees(centres[v][0] + 0.01, centres[v][1] + 0.01);
                int n = 0;
                for (ConvexPolygon ccd : all) {
                  n += ccd.contains(p) ? 1 : 0;
                }
                if (n != expected[v]) {
                  throw new IllegalStateException("the loop disagrees with itself");
                }
              });
      reporter.time(
          "spatial.point_lookup_" + regions.size() / 1000 + "k_regions",
          query * 1e3,
          "ms",
          "java_loop_over_every_region",
          scan * 1e3);
      visitPatchJoin(reporter, registry, all);
    }
  }

  /**
   * Visits whose detectors the join figure covers: 100,000 detector regions of the 1,000,000. The
   * whole million takes about a minute on SQLite (9.7 M candidate pairs, deduplicated with each
   * pair's two region texts, 2.5 GB of them), see the closing note of issue 17.
   */
  private static final int JOIN_VISITS = 1_000;

  /**
   * The automatic visit x patch spatial join: every (visit, detector, tract, patch) whose regions
   * overlap, for the detectors of the first {@link #JOIN_VISITS} visits against a rings skymap over
   * the whole sphere (176,000 patches), in pairs/s. The raw baseline is a plain-Java double loop
   * relating detector regions to every patch region, timed on the detectors of the first visits (it
   * is exactly linear in the detectors, so its rate is the rate it would have on all of them; over
   * all of them it would take hours). The query's answer for those visits is checked against the
   * loop's.
   */
  private static void visitPatchJoin(
      Reporter reporter, org.jbutler.registry.Registry registry, List<ConvexPolygon> detectors) {
    var u = registry.universe();
    org.jbutler.butler.skymap.RingsSkyMap rings =
        new org.jbutler.butler.skymap.RingsSkyMap(
            new org.jbutler.butler.skymap.RingsSkyMap.Config(
                "rings",
                60,
                0.0,
                new org.jbutler.butler.skymap.SkyMap.Geometry(
                    1.0, List.of(2000, 2000), 50, 1.0 / 60)));
    long t0 = System.nanoTime();
    rings.register(registry);
    double register = (System.nanoTime() - t0) / 1e9;
    reporter.figure(
        "spatial.register_rings_patches_per_s", rings.patchCount() / register, "patches/s");
    List<ConvexPolygon> patches = new ArrayList<>();
    for (var t : rings.tracts()) {
      for (var p : rings.patches(t)) {
        patches.add(rings.region(p));
      }
    }
    var group = u.group("visit", "detector", "patch");
    java.util.function.Function<String, Long> pairs =
        where -> {
          long[] n = {0};
          registry
              .queryDataIds(
                  group,
                  List.of(),
                  List.of(),
                  org.jbutler.registry.DataQuery.where(
                      "instrument = 'SimCam' AND skymap = 'rings'" + where))
              .forEach(d -> n[0]++);
          return n[0];
        };
    int sampleVisits = 3;
    long sampleQuery = pairs.apply(" AND visit < " + sampleVisits);
    long loopPairs = 0;
    long l0 = System.nanoTime();
    for (int i = 0; i < sampleVisits * SimCamRegistry.DETECTORS; i++) {
      ConvexPolygon ccd = detectors.get(i);
      for (ConvexPolygon patch : patches) {
        if (!ccd.relate(patch).disjoint()) {
          loopPairs++;
        }
      }
    }
    double loop = (System.nanoTime() - l0) / 1e9;
    if (loopPairs != sampleQuery) {
      throw new IllegalStateException(
          "the join found " + sampleQuery + " pairs for the first visits, the loop " + loopPairs);
    }
    long q0 = System.nanoTime();
    long all = pairs.apply(" AND visit < " + JOIN_VISITS);
    double join = (System.nanoTime() - q0) / 1e9;
    reporter.figure("spatial.visit_patch_join_pairs", all, "pairs");
    reporter.rate(
        "spatial.visit_patch_join_"
            + JOIN_VISITS * SimCamRegistry.DETECTORS / 1000
            + "k_regions_x_"
            + rings.patchCount() / 1000
            + "k_patches",
        all / join,
        "pairs/s",
        "java_double_loop_relate",
        loopPairs / loop);
  }
}
