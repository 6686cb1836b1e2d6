package org.jbutler.pipetask.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jbutler.butler.Butler;
import org.jbutler.butler.testing.Records;
import org.jbutler.butler.testing.TestCamera;
import org.jbutler.pipetask.examples.RefcatTask;
import org.jbutler.pipetask.pipeline.Pipeline;
import org.jbutler.pipetask.pipeline.PipelineGraph;
import org.jbutler.schema.CollectionType;
import org.jbutler.schema.DatasetIdGenerationMode;
import org.jbutler.schema.DatasetRef;
import org.jbutler.schema.DatasetType;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.region.ConvexPolygon;
import org.jbutler.schema.region.HtmPixelization;
import org.jbutler.schema.region.UnitVector3d;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prerequisite sharded by htm7 (a reference catalogue): each {visit, detector} quantum gets the
 * shards whose pixels may overlap its detector's region, and no others.
 */
class SpatialPrerequisiteTest {

  @TempDir Path dir;

  @Test
  void eachQuantumGetsTheShardsOverItsDetector() {
    try (Butler butler = Butler.create(dir.resolve("repo"), Map.of(), null)) {
      var r = butler.registry();
      var u = r.universe();
      HtmPixelization h7 = new HtmPixelization(7);
      Map<Long, ConvexPolygon> ccds = visitWithTwoCcds(r, 0.5, 0.4);
      var vd = u.group("visit", "detector");
      r.registerDatasetType(DatasetType.of("calexp", vd, "ImageF"));
      r.registerDatasetType(DatasetType.of("ref_cat", u.group("htm7"), "ArrowTable"));
      r.registerCollection("processed", CollectionType.RUN, null);
      r.registerCollection("refcats", CollectionType.RUN, null);
      List<DataCoordinate> calexps = new ArrayList<>();
      for (long d = 1; d <= 2; d++) {
        calexps.add(
            DataCoordinate.standardize(
                Map.of("instrument", "Cam1", "visit", 1, "detector", d), vd));
      }
      r.insertDatasets("calexp", calexps, "processed", DatasetIdGenerationMode.UNIQUE);
      // Shards over a 3-degree field around both CCDs, plus one far away.
      Set<Long> shards = new HashSet<>();
      for (long[] range :
          h7.envelope(org.jbutler.schema.region.Circle.ofDegrees(10.9, -4.8, 3), 64)) {
        for (long i = range[0]; i < range[1]; i++) {
          shards.add(i);
        }
      }
      shards.add(h7.index(UnitVector3d.fromDegrees(200, 40)));
      List<DataCoordinate> ids = new ArrayList<>();
      for (long i : shards) {
        ids.add(DataCoordinate.standardize(Map.of("htm7", i), u.group("htm7")));
      }
      r.insertDatasets("ref_cat", ids, "refcats", DatasetIdGenerationMode.UNIQUE);
      PipelineGraph pg =
          PipelineGraph.build(
              Pipeline.fromYaml(
                  "description: refcat\ninstrument: Cam1\ntasks:\n  match:\n    class: "
                      + RefcatTask.class.getName()
                      + "\n"),
              r);
      QuantumGraph g =
          QuantumGraphBuilder.build(
              pg,
              r,
              new QuantumGraphBuilder.Request(
                  List.of("processed", "refcats"),
                  "out",
                  null,
                  "instrument = 'Cam1'",
                  Map.of(),
                  "all",
                  List.of(),
                  false,
                  "spatial"));
      assertThat(g.quanta()).hasSize(2);
      for (QuantumGraph.Quantum q : g.quanta()) {
        long detector = (Long) q.dataId().value("detector");
        Set<Long> expected = new HashSet<>();
        for (long[] range : h7.envelope(ccds.get(detector), 64)) {
          for (long i = range[0]; i < range[1]; i++) {
            if (shards.contains(i)) {
              expected.add(i);
            }
          }
        }
        Set<Long> got = new HashSet<>();
        for (DatasetRef ref : q.inputs().get("refcat")) {
          got.add(((Number) ref.dataId().value("htm7")).longValue());
        }
        assertThat(got).as("detector %d", detector).isNotEmpty().isEqualTo(expected);
      }
    }
  }

  /**
   * A per-patch task reading per-detector calexps: each patch's quantum gets exactly the calexps
   * whose detector regions overlap it (the automatic spatial join of the graph's data-ID query).
   */
  @Test
  void patchesGetTheDetectorsThatOverlapThem() throws Exception {
    try (Butler butler = Butler.create(dir.resolve("repo2"), Map.of(), null)) {
      var r = butler.registry();
      var u = r.universe();
      Map<Long, ConvexPolygon> ccds = visitWithTwoCcds(r, 0.15, 0.1);
      var vd = u.group("visit", "detector");
      r.registerDatasetType(DatasetType.of("calexp", vd, "ImageF"));
      r.registerCollection("processed", CollectionType.RUN, null);
      List<DataCoordinate> calexps = new ArrayList<>();
      for (long d = 1; d <= 2; d++) {
        calexps.add(
            DataCoordinate.standardize(
                Map.of("instrument", "Cam1", "visit", 1, "detector", d), vd));
      }
      r.insertDatasets("calexp", calexps, "processed", DatasetIdGenerationMode.UNIQUE);
      java.nio.file.Path cfg = dir.resolve("skymap.yaml");
      java.nio.file.Files.writeString(
          cfg,
          "name: sky\nraList: [10.2]\ndecList: [-4.95]\nradiusList: [0.2]\npixelScale: 1.0\n"
              + "patchInnerDimensions: [200, 200]\npatchBorder: 10\ntractOverlap: 0.0\n");
      var skymap =
          new org.jbutler.butler.skymap.DiscreteSkyMap(
              org.jbutler.butler.skymap.DiscreteSkyMap.Config.read(cfg));
      skymap.register(r);
      PipelineGraph pg =
          PipelineGraph.build(
              Pipeline.fromYaml(
                  "description: coadd\ninstrument: Cam1\ntasks:\n  coadd:\n    class: "
                      + org.jbutler.pipetask.examples.CoaddLikeTask.class.getName()
                      + "\n"),
              r);
      QuantumGraph g =
          QuantumGraphBuilder.build(
              pg,
              r,
              new QuantumGraphBuilder.Request(
                  List.of("processed"),
                  "out",
                  null,
                  "instrument = 'Cam1' AND skymap = 'sky'",
                  Map.of(),
                  "all",
                  List.of(),
                  false,
                  "spatial"));
      var tract = skymap.tracts().get(0);
      int expectedQuanta = 0;
      for (var patch : skymap.patches(tract)) {
        Set<Long> expected = new HashSet<>();
        for (var e : ccds.entrySet()) {
          if (!skymap.region(patch).relate(e.getValue()).disjoint()) {
            expected.add(e.getKey());
          }
        }
        var q =
            g.quanta().stream()
                .filter(x -> ((Number) x.dataId().value("patch")).intValue() == patch.index())
                .findFirst();
        if (expected.isEmpty()) {
          assertThat(q).as("patch %d", patch.index()).isEmpty();
          continue;
        }
        expectedQuanta++;
        Set<Long> got = new HashSet<>();
        for (DatasetRef ref : q.orElseThrow().inputs().get("calexps")) {
          got.add(((Number) ref.dataId().value("detector")).longValue());
        }
        assertThat(got).as("patch %d", patch.index()).isEqualTo(expected);
      }
      assertThat(expectedQuanta).isGreaterThan(1);
      assertThat(g.quanta()).hasSize(expectedQuanta);
    }
  }

  /**
   * The test camera with visit 1 and its two detectors' regions: squares of {@code size} degrees at
   * RA 10 + step·d, Dec −5.
   */
  private static Map<Long, ConvexPolygon> visitWithTwoCcds(
      org.jbutler.registry.Registry r, double step, double size) {
    TestCamera.insert(r, 2);
    Records.insert(
        r,
        "visit",
        Map.of(
            "instrument",
            "Cam1",
            "id",
            1,
            "name",
            "v1",
            "physical_filter",
            "r",
            "day_obs",
            20260101));
    Map<Long, ConvexPolygon> ccds = new java.util.LinkedHashMap<>();
    for (long d = 1; d <= 2; d++) {
      double ra = 10 + step * d;
      ConvexPolygon p =
          ConvexPolygon.convexHull(
              List.of(
                  UnitVector3d.fromDegrees(ra, -5),
                  UnitVector3d.fromDegrees(ra + size, -5),
                  UnitVector3d.fromDegrees(ra + size, -5 + size),
                  UnitVector3d.fromDegrees(ra, -5 + size)));
      ccds.put(d, p);
      Records.insert(
          r,
          "visit_detector_region",
          Map.of("instrument", "Cam1", "visit", 1, "detector", d, "region", p));
    }
    return ccds;
  }
}
