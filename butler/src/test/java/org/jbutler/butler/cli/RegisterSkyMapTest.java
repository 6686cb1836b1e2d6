package org.jbutler.butler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jbutler.butler.Butler;
import org.jbutler.butler.skymap.DiscreteSkyMap;
import org.jbutler.butler.skymap.RingsSkyMap;
import org.jbutler.butler.skymap.SkyMap;
import org.jbutler.butler.testing.CommandRunner;
import org.jbutler.registry.DataQuery;
import org.jbutler.schema.region.UnitVector3d;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * register-skymap writes a discrete skymap's records; points land in the patch findPatch names,
 * whose region holds them, and which a region query finds.
 */
class RegisterSkyMapTest {

  @TempDir Path dir;
  private final CommandRunner cli = new CommandRunner(ButlerCommand::new);

  private Path config(String name, double radius) throws Exception {
    Path f = dir.resolve(name + radius + ".yaml");
    Files.writeString(
        f,
        "name: "
            + name
            + "\nraList: [150.0, 152.0]\ndecList: [2.0, 2.0]\nradiusList: ["
            + radius
            + ", "
            + radius
            + "]\npixelScale: 1.0\npatchInnerDimensions: [1000, 1000]\npatchBorder: 50\n"
            + "tractOverlap: 0.1\n");
    return f;
  }

  /** The (tract, patch) pairs of a skymap whose regions hold a point, by a registry query. */
  private static List<List<Object>> patchesAt(
      org.jbutler.registry.Registry r, String skymap, double ra, double dec) {
    return r
        .queryDataIds(
            r.universe().group("patch"),
            List.of(),
            List.of(),
            DataQuery.where("patch.region OVERLAPS POINT(" + ra + ", " + dec + ")")
                .withDefaults(Map.of("skymap", skymap)))
        .toList()
        .stream()
        .map(d -> List.<Object>of(d.value("tract"), d.value("patch")))
        .toList();
  }

  @Test
  void registerFindAndQuery() throws Exception {
    String repo = dir.resolve("repo").toString();
    assertThat(cli.run("create", repo)).isZero();
    Path cfg = config("discrete", 0.5);
    assertThat(cli.run("register-skymap", repo, "-C", cfg.toString())).as(cli.err()).isZero();
    // Each tract holds the points radius + tractOverlap = 0.6 deg from its centre: 2 tan(0.6 deg)
    // = 1.2 deg of 1000 x 1 arcsec patches is 4.3, so 5 x 5 patches.
    assertThat(cli.lastOut()).contains("Registered skymap discrete: 2 tract(s), 50 patch(es).");
    assertThat(cli.run("register-skymap", repo, "-C", cfg.toString())).isZero();
    assertThat(cli.lastOut()).contains("already registered; nothing changed");
    // Another definition under the same name: a conflict (exit 3), nothing written.
    assertThat(cli.run("register-skymap", repo, "-C", config("discrete", 0.7).toString()))
        .isEqualTo(3);
    assertThat(cli.lastErr()).contains("already registered with another definition");

    DiscreteSkyMap sm = new DiscreteSkyMap(DiscreteSkyMap.Config.read(cfg));
    try (Butler b = Butler.open(Path.of(repo), Butler.Options.none())) {
      var r = b.registry();
      assertThat(r.fetchDimensionRecords("patch")).hasSize(50);
      assertThat(r.fetchDimensionRecords("tract")).hasSize(2);
      Random random = new Random(3);
      for (int i = 0; i < 30; i++) {
        double ra = 149.7 + 0.6 * random.nextDouble();
        double dec = 1.7 + 0.6 * random.nextDouble();
        UnitVector3d p = UnitVector3d.fromDegrees(ra, dec);
        DiscreteSkyMap.Tract t = sm.findTract(p);
        assertThat(t.id()).isZero();
        DiscreteSkyMap.Patch patch = sm.findPatch(t, p).orElseThrow();
        assertThat(sm.region(patch).contains(p)).isTrue();
        double[] px = t.wcs().skyToPixel(p);
        assertThat(t.wcs().pixelToSky(px[0], px[1]).angleTo(p)).isLessThan(1e-12);
        assertThat(patchesAt(r, "discrete", ra, dec)).contains(List.of(0L, (long) patch.index()));
      }
    }
  }

  /**
   * HSC's hsc_rings_v1 layout (numRings 120, 0.168 arcsec pixels, 4000-pixel patches, 1 arcminute
   * tract overlap): 18,938 tracts, and COSMOS (150.0, 2.2) in tract 9813 of 9 x 9 patches, as HSC
   * data are numbered.
   */
  @Test
  void ringsLayoutMatchesHscRingsV1() {
    RingsSkyMap hsc =
        new RingsSkyMap(
            new RingsSkyMap.Config(
                "hsc_rings_v1",
                120,
                0.0,
                new SkyMap.Geometry(0.168, List.of(4000, 4000), 100, 1.0 / 60)));
    assertThat(hsc.tracts()).hasSize(18_938);
    SkyMap.Tract cosmos = hsc.findTract(UnitVector3d.fromDegrees(150.0, 2.2));
    assertThat(cosmos.id()).isEqualTo(9813);
    assertThat(List.of(cosmos.nx(), cosmos.ny())).containsExactly(9, 9);
    assertThat(java.util.Arrays.stream(hsc.ringNums()).sum() + 2).isEqualTo(18_938);
  }

  /**
   * A rings skymap tiles the whole sphere: every point is in the cell of the tract findTract names,
   * inside that tract's region and in the region of the patch findPatch names, which the registry
   * finds by a point query.
   */
  @Test
  void ringsTileTheSphereAndRegister() throws Exception {
    String repo = dir.resolve("rings-repo").toString();
    assertThat(cli.run("create", repo)).isZero();
    Path cfg = dir.resolve("rings.yaml");
    Files.writeString(
        cfg,
        "skyMap: rings\nname: coarse\nnumRings: 9\nraStart: 10.0\npixelScale: 20.0\n"
            + "patchInnerDimensions: [250, 250]\npatchBorder: 10\ntractOverlap: 0.5\n");
    RingsSkyMap sm = (RingsSkyMap) SkyMap.read(cfg);
    assertThat(cli.run("register-skymap", repo, "-C", cfg.toString())).as(cli.err()).isZero();
    assertThat(cli.lastOut())
        .contains(
            "Registered skymap coarse: "
                + sm.tracts().size()
                + " tract(s), "
                + sm.patchCount()
                + " patch(es).");
    assertThat(sm.tracts()).hasSize(java.util.Arrays.stream(sm.ringNums()).sum() + 2);
    try (Butler b = Butler.open(Path.of(repo), Butler.Options.none())) {
      var r = b.registry();
      assertThat(r.fetchDimensionRecords("tract")).hasSize(sm.tracts().size());
      assertThat((long) r.fetchDimensionRecords("patch").size()).isEqualTo(sm.patchCount());
      Random random = new Random(9);
      for (int i = 0; i < 300; i++) {
        UnitVector3d p =
            UnitVector3d.of(random.nextGaussian(), random.nextGaussian(), random.nextGaussian());
        SkyMap.Tract t = sm.findTract(p);
        assertThat(t.inner().contains(p)).as("%s in the cell of tract %d", p, t.id()).isTrue();
        assertThat(sm.region(t).contains(p)).isTrue();
        SkyMap.Patch patch = sm.findPatch(t, p).orElseThrow();
        assertThat(sm.region(patch).contains(p)).isTrue();
        if (i < 30) {
          double ra = Math.toDegrees(p.lon());
          double dec = Math.toDegrees(p.lat());
          assertThat(patchesAt(r, "coarse", ra, dec))
              .contains(List.of((long) t.id(), (long) patch.index()));
        }
      }
      assertThat(sm.findTract(UnitVector3d.Z).id()).isEqualTo(sm.tracts().size() - 1);
      assertThat(sm.findTract(UnitVector3d.Z.negate()).id()).isZero();
    }
    // An unknown kind and an unknown key are refused, naming them.
    Files.writeString(cfg, "skyMap: healpix\nname: x\n");
    assertThat(cli.run("register-skymap", repo, "-C", cfg.toString())).isNotZero();
    assertThat(cli.lastErr()).contains("Unknown skyMap 'healpix'").contains("discrete, rings");
    Files.writeString(cfg, "skyMap: rings\nname: x\nnumRings: 4\nraList: [1.0]\n");
    assertThat(cli.run("register-skymap", repo, "-C", cfg.toString())).isNotZero();
    assertThat(cli.lastErr()).contains("Unknown skymap config key 'raList'");
    Files.writeString(cfg, "skyMap: rings\nname: x\nnumRings: 5000\n");
    assertThat(cli.run("register-skymap", repo, "-C", cfg.toString())).isEqualTo(2);
    assertThat(cli.lastErr()).contains("numRings must be in 1-1000, not 5000");
  }

  /**
   * A repository made before overlap tables (dropped here) gets them back from
   * rebuild-skypix-overlaps: every patch's htm7 envelope, computed here in Java; running it again
   * changes nothing.
   */
  @Test
  void rebuildOverlapsRestoresTheRows() throws Exception {
    String repo = dir.resolve("old-repo").toString();
    assertThat(cli.run("create", repo)).isZero();
    Path cfg = config("discrete", 0.5);
    assertThat(cli.run("register-skymap", repo, "-C", cfg.toString())).as(cli.err()).isZero();
    String url = "jdbc:sqlite:" + Path.of(repo).resolve("gen3.sqlite3");
    try (var c = java.sql.DriverManager.getConnection(url);
        var st = c.createStatement()) {
      st.execute("DROP TABLE patch_skypix_overlap");
      st.execute("DELETE FROM tract_skypix_overlap");
    }
    SkyMap sm = SkyMap.read(cfg);
    var htm7 = new org.jbutler.schema.region.HtmPixelization(7);
    long patchRows = 0;
    long tractRows = 0;
    for (SkyMap.Tract t : sm.tracts()) {
      for (long[] r : htm7.envelope(sm.region(t), 64)) {
        tractRows += r[1] - r[0];
      }
      for (SkyMap.Patch p : sm.patches(t)) {
        for (long[] r : htm7.envelope(sm.region(p), 64)) {
          patchRows += r[1] - r[0];
        }
      }
    }
    for (int run = 0; run < 2; run++) {
      assertThat(cli.run("rebuild-skypix-overlaps", repo, "--format", "json"))
          .as(cli.err())
          .isZero();
      Map<String, Long> rows = new java.util.HashMap<>();
      for (var row : new com.fasterxml.jackson.databind.ObjectMapper().readTree(cli.lastOut())) {
        rows.put(row.get("element").asText(), row.get("overlap_rows").asLong());
      }
      assertThat(rows)
          .containsEntry("patch", patchRows)
          .containsEntry("tract", tractRows)
          .containsEntry("visit", 0L);
    }
    try (var c = java.sql.DriverManager.getConnection(url);
        var st = c.createStatement();
        var rs = st.executeQuery("SELECT count(*) FROM patch_skypix_overlap")) {
      rs.next();
      assertThat(rs.getLong(1)).isEqualTo(patchRows);
    }
    try (Butler b = Butler.open(Path.of(repo), Butler.Options.none())) {
      assertThat(
              b.registry()
                  .queryDataIds(
                      b.registry().universe().group("patch"),
                      List.of(),
                      List.of(),
                      DataQuery.where("patch.region OVERLAPS POINT(150, 2)")
                          .withDefaults(Map.of("skymap", "discrete")))
                  .toList())
          .isNotEmpty();
    }
  }
}
