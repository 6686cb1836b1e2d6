package org.jbutler.butler;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jbutler.datastore.ColumnarTable;
import org.jbutler.datastore.FitsIo;
import org.jbutler.datastore.Header;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.dimensions.DataCoordinate;
import org.jbutler.schema.dimensions.DimensionRecord;
import org.jbutler.schema.region.ConvexPolygon;
import org.jbutler.schema.region.TanWcs;
import org.jbutler.schema.region.UnitVector3d;
import org.jbutler.testdata.SimCam;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * define-visits gives visits and visit/detector pairs sky regions from the raws' WCS, checked
 * against the generator's truth: every injected source it placed on a detector lies in that
 * detector's region, and the raw's WCS maps the source's true pixel back to its true position.
 */
class VisitRegionsTest {

  @TempDir Path dir;

  @Test
  void regionsFromTheRawWcsHoldWhatTheGeneratorPutThere() throws Exception {
    SimCam.Result data = SimCam.generate(SimCam.Config.demo(3), dir.resolve("data"));
    try (Butler b = Butler.create(dir.resolve("repo"), Map.of(), null)) {
      var simCam = org.jbutler.butler.instrument.Instrument.load("SimCam");
      simCam.register(b.registry());
      b.ingestRaws(
          simCam,
          List.of(dir.resolve("data/raw")),
          null,
          org.jbutler.datastore.Datastore.Transfer.DIRECT,
          2,
          true);
      assertThat(b.defineVisits("SimCam", null)).isPositive();
      assertThat(b.defineVisits("SimCam", null)).isZero(); // the same regions: nothing new
      List<DimensionRecord> visits = b.registry().fetchDimensionRecords("visit");
      assertThat(visits).allSatisfy(v -> assertThat(v.region()).isPresent());
      ColumnarTable truth =
          FitsIo.readTable(data.truth(), List.of("exposure", "detector", "ra", "dec", "x", "y"));
      long[] exposure = (long[]) truth.column("exposure");
      long[] detector = (long[]) truth.column("detector");
      double[] ra = (double[]) truth.column("ra");
      double[] dec = (double[]) truth.column("dec");
      double[] x = (double[]) truth.column("x");
      double[] y = (double[]) truth.column("y");
      assertThat(exposure.length).isPositive();
      var group = b.registry().universe().group("visit", "detector");
      for (int k = 0; k < exposure.length; k++) {
        final int i = k;
        UnitVector3d where = UnitVector3d.fromDegrees(ra[i], dec[i]);
        DimensionRecord region =
            b.registry()
                .fetchDimensionRecord(
                    "visit_detector_region",
                    DataCoordinate.standardize(
                        Map.of(
                            "instrument", "SimCam", "visit", exposure[i], "detector", detector[i]),
                        group))
                .orElseThrow();
        assertThat(region.region().orElseThrow().contains(where)).isTrue();
        DimensionRecord visit =
            visits.stream()
                .filter(v -> v.value("id").orElseThrow().equals(exposure[i]))
                .findFirst()
                .orElseThrow();
        assertThat(visit.region().orElseThrow().contains(where)).isTrue();
        var raw =
            b.registry()
                .findDataset(
                    "raw",
                    DataCoordinate.standardize(
                        Map.of(
                            "instrument",
                            "SimCam",
                            "exposure",
                            exposure[i],
                            "detector",
                            detector[i]),
                        b.registry().datasetType("raw").dimensions()),
                    List.of("SimCam/raw/all"))
                .orElseThrow();
        Header h = (Header) b.get(raw.makeComponentRef("metadata", "PropertyList"), Map.of());
        TanWcs wcs = org.jbutler.butler.instrument.RawWcs.tanWcs(h).orElseThrow();
        // The truth pixel is 0-based; FITS counts from 1.
        assertThat(wcs.pixelToSky(x[i] + 1, y[i] + 1).angleTo(where))
            .isLessThan(Math.toRadians(1e-3 / 3600)); // a milliarcsecond
        // And the query finds it.
        assertThat(
                b.registry()
                    .queryDataIds(
                        group,
                        List.of(),
                        List.of(),
                        DataQuery.where(
                            "instrument = 'SimCam' AND visit = "
                                + exposure[i]
                                + " AND visit_detector_region.region OVERLAPS POINT("
                                + ra[i]
                                + ", "
                                + dec[i]
                                + ")"))
                    .toList())
            .anyMatch(d -> d.value("detector").equals(detector[i]));
      }
      // A visit's region is the hull of its detectors' (padded) regions.
      DimensionRecord v = visits.get(0);
      assertThat(v.region().orElseThrow()).isInstanceOf(ConvexPolygon.class);
    }
  }
}
