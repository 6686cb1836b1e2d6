package org.jbutler.butler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.jbutler.butler.Butler;
import org.jbutler.butler.skymap.DiscreteSkyMap;
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

  @Test
  void registerFindAndQuery() throws Exception {
    String repo = dir.resolve("repo").toString();
    assertThat(cli.run("create", repo)).isZero();
    Path cfg = config("discrete", 0.5);
    assertThat(cli.run("register-skymap", repo, "-C", cfg.toString())).as(cli.err()).isZero();
    assertThat(cli.lastOut()).contains("Registered skymap discrete: 2 tract(s), 32 patch(es).");
    assertThat(cli.run("register-skymap", repo, "-C", cfg.toString())).isZero();
    assertThat(cli.lastOut()).contains("already registered; nothing changed");
    // Another definition under the same name: a conflict (exit 3), nothing written.
    assertThat(cli.run("register-skymap", repo, "-C", config("discrete", 0.7).toString()))
        .isEqualTo(3);
    assertThat(cli.lastErr()).contains("already registered with another definition");

    DiscreteSkyMap sm = new DiscreteSkyMap(DiscreteSkyMap.Config.read(cfg));
    try (Butler b = Butler.open(Path.of(repo), Butler.Options.none())) {
      var r = b.registry();
      assertThat(r.fetchDimensionRecords("patch")).hasSize(32);
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
        List<List<Object>> found =
            r
                .queryDataIds(
                    r.universe().group("patch"),
                    List.of(),
                    List.of(),
                    DataQuery.where("patch.region OVERLAPS POINT(" + ra + ", " + dec + ")")
                        .withDefaults(Map.of("skymap", "discrete")))
                .toList()
                .stream()
                .map(d -> List.<Object>of(d.value("tract"), d.value("patch")))
                .toList();
        assertThat(found).contains(List.of(0L, (long) patch.index()));
      }
    }
  }
}
