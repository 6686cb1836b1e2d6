package org.jbutler.schema.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jbutler.testing.ExternalResources;
import org.junit.jupiter.api.Test;

/** Regions and HTM against sphgeom's bytes and golden values, and seeded property checks. */
class RegionTest {

  private static UnitVector3d v(double x, double y, double z) {
    return UnitVector3d.of(x, y, z);
  }

  /** sphgeom's tests/test_HtmPixelization.py, as the reference quotes them. */
  @Test
  void htmGoldenValues() {
    assertThat(new HtmPixelization(1).index(v(1, 1, 1))).isEqualTo(63);
    for (int root = 8; root < 16; root++) {
      for (int l = 0; l <= HtmPixelization.MAX_LEVEL; l++) {
        assertThat(HtmPixelization.level(root * (1L << (2 * l)))).isEqualTo(l);
      }
    }
    assertThat(HtmPixelization.level(0)).isEqualTo(-1);
    assertThat(HtmPixelization.level(16L * (1L << 48))).isEqualTo(-1);
    HtmPixelization h3 = new HtmPixelization(3);
    Circle c = Circle.of(v(1, 1, 1), Math.toRadians(0.1));
    assertThat(h3.envelope(c, 6)).containsExactly(new long[] {0x3FF, 0x400});
    assertThat(h3.envelope(c, 1)).containsExactly(new long[] {0x3FF, 0x400});
    assertThat(h3.envelope(Circle.of(v(1, -1, 1), 1e-8), 6)).containsExactly(new long[] {831, 832});
  }

  @Test
  void everyPointIsInTheTrixelItIsIndexedTo() {
    Random random = new Random(20261206);
    for (int level : new int[] {0, 3, 7, 12, 20}) {
      HtmPixelization h = new HtmPixelization(level);
      for (int i = 0; i < 2_000; i++) {
        UnitVector3d p = v(random.nextGaussian(), random.nextGaussian(), random.nextGaussian());
        long index = h.index(p);
        assertThat(index).isBetween(h.begin(), h.end() - 1);
        assertThat(h.triangle(index).contains(p)).as("%s in trixel %d", p, index).isTrue();
      }
    }
    // Points on the root boundaries (axes and the equator) land in a trixel that holds them.
    HtmPixelization h = new HtmPixelization(5);
    for (UnitVector3d p :
        List.of(
            UnitVector3d.X,
            UnitVector3d.Y,
            UnitVector3d.Z,
            v(1, 1, 0),
            v(-1, 0, 0),
            v(0, -1, -1))) {
      assertThat(h.triangle(h.index(p)).contains(p)).isTrue();
    }
  }

  /** The envelope of a region covers every point inside it (seeded random circles and hulls). */
  @Test
  void envelopesCoverTheirRegions() {
    Random random = new Random(7);
    HtmPixelization h = new HtmPixelization(7);
    for (int trial = 0; trial < 40; trial++) {
      UnitVector3d centre = v(random.nextGaussian(), random.nextGaussian(), random.nextGaussian());
      double radius = Math.toRadians(0.05 + 2 * random.nextDouble());
      Region region =
          trial % 2 == 0 ? Circle.of(centre, radius) : hullAround(centre, radius, random);
      List<long[]> env = h.envelope(region, 64);
      Circle bound = region.boundingCircle();
      int inside = 0;
      for (int i = 0; i < 400; i++) {
        UnitVector3d p = near(bound.center(), bound.openingAngle(), random);
        if (region.contains(p)) {
          inside++;
          long index = h.index(p);
          assertThat(env.stream().anyMatch(r -> r[0] <= index && index < r[1]))
              .as(
                  "trial %d: %s (htm7 %d) inside the region but not in its envelope",
                  trial, p, index)
              .isTrue();
        }
      }
      assertThat(inside).isPositive();
    }
  }

  static ConvexPolygon hullAround(UnitVector3d c, double r, Random random) {
    List<UnitVector3d> pts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      pts.add(near(c, r, random));
    }
    return ConvexPolygon.convexHull(pts);
  }

  /** A random point within about r of c. */
  static UnitVector3d near(UnitVector3d c, double r, Random random) {
    double[] e = c.cross(Math.abs(c.z()) < 0.9 ? UnitVector3d.Z : UnitVector3d.X);
    UnitVector3d u = UnitVector3d.of(e[0], e[1], e[2]);
    double[] f = c.cross(u);
    double a = random.nextDouble() * 2 * Math.PI;
    double d = Math.tan(r * random.nextDouble());
    return UnitVector3d.of(
        c.x() + d * (Math.cos(a) * u.x() + Math.sin(a) * f[0]),
        c.y() + d * (Math.cos(a) * u.y() + Math.sin(a) * f[1]),
        c.z() + d * (Math.cos(a) * u.z() + Math.sin(a) * f[2]));
  }

  @Test
  void encodingsRoundTripAndCompoundsJoinWithColons() {
    Circle c = Circle.ofDegrees(10, 20, 1);
    assertThat(c.encode()).hasSize(41).startsWith((byte) 'c');
    assertThat(Region.decode(c.encode())).isEqualTo(c);
    Box b = Box.ofDegrees(350, 10, -5, 5); // wraps through 0
    assertThat(Region.decode(b.encode())).isEqualTo(b);
    assertThat(b.contains(UnitVector3d.fromDegrees(355, 0))).isTrue();
    assertThat(b.contains(UnitVector3d.fromDegrees(180, 0))).isFalse();
    ConvexPolygon p =
        ConvexPolygon.convexHull(
            List.of(
                UnitVector3d.fromDegrees(10, 10),
                UnitVector3d.fromDegrees(11, 11),
                UnitVector3d.fromDegrees(11, 10),
                UnitVector3d.fromDegrees(10, 11)));
    UnionRegion u = new UnionRegion(List.of(c, p));
    assertThat(Region.decode(u.encode())).isEqualTo(u);
    assertThat(u.encodeBase64()).isEqualTo(c.encodeBase64() + ":" + p.encodeBase64());
    assertThat(Region.decodeBase64(u.encodeBase64())).isEqualTo(u);
    assertThat(Region.decodeBase64("")).isEqualTo(new UnionRegion(List.of()));
    assertThat(Region.decodeBase64("").relate(c).disjoint()).isTrue();
    IntersectionRegion i = new IntersectionRegion(List.of(c, b));
    assertThat(Region.decode(i.encode())).isEqualTo(i);
    assertThatThrownBy(() -> Region.decode(new byte[] {'q', 1, 2}))
        .hasMessageContaining("Unknown region type code 0x71");
    assertThatThrownBy(() -> Region.decode(new byte[] {'p', 1, 2}))
        .hasMessageContaining("1 + 24 bytes per vertex");
  }

  @Test
  void hullsAreCounterClockwiseWhateverTheOrder() {
    List<UnitVector3d> corners =
        List.of(
            UnitVector3d.fromDegrees(50, -2),
            UnitVector3d.fromDegrees(52, 1),
            UnitVector3d.fromDegrees(50, 1),
            UnitVector3d.fromDegrees(52, -2),
            UnitVector3d.fromDegrees(51, 0)); // inside: not a vertex
    ConvexPolygon p = ConvexPolygon.convexHull(corners);
    assertThat(p.vertices()).hasSize(4);
    List<UnitVector3d> vs = p.vertices();
    for (int k = 0; k < vs.size(); k++) {
      assertThat(Orientation.of(vs.get(k), vs.get((k + 1) % 4), p.centroid())).isEqualTo(1);
    }
    assertThat(p.contains(UnitVector3d.fromDegrees(51, 0))).isTrue();
    assertThat(p.contains(UnitVector3d.fromDegrees(53, 0))).isFalse();
    List<UnitVector3d> reversed = new ArrayList<>(corners);
    java.util.Collections.reverse(reversed);
    assertThat(ConvexPolygon.convexHull(reversed).vertices())
        .containsExactlyInAnyOrderElementsOf(vs);
  }

  @Test
  void relationshipsAreExactWhereTheyCanBeAndNeverWrong() {
    Circle big = Circle.ofDegrees(0, 0, 10);
    Circle small = Circle.ofDegrees(1, 1, 1);
    Circle far = Circle.ofDegrees(40, 0, 5);
    assertThat(big.relate(small)).isEqualTo(Relationship.CONTAINS);
    assertThat(small.relate(big)).isEqualTo(Relationship.WITHIN);
    assertThat(big.relate(far)).isEqualTo(Relationship.DISJOINT);
    assertThat(big.relate(Circle.ofDegrees(14, 0, 5))).isEqualTo(Relationship.INTERSECTS);
    ConvexPolygon square =
        ConvexPolygon.convexHull(
            List.of(
                UnitVector3d.fromDegrees(-3, -3),
                UnitVector3d.fromDegrees(3, -3),
                UnitVector3d.fromDegrees(3, 3),
                UnitVector3d.fromDegrees(-3, 3)));
    assertThat(square.relate(small)).isEqualTo(Relationship.CONTAINS);
    assertThat(square.relate(big)).isEqualTo(Relationship.WITHIN);
    assertThat(square.relate(far)).isEqualTo(Relationship.DISJOINT);
    assertThat(big.relate(square)).isEqualTo(Relationship.CONTAINS);
    Box box = Box.ofDegrees(-5, 5, -5, 5);
    assertThat(box.relate(Box.ofDegrees(-1, 1, -1, 1))).isEqualTo(Relationship.CONTAINS);
    assertThat(box.relate(Box.ofDegrees(10, 20, -1, 1))).isEqualTo(Relationship.DISJOINT);
    assertThat(Box.ofDegrees(350, 10, 0, 1).relate(Box.ofDegrees(355, 5, 0, 1)))
        .isEqualTo(Relationship.CONTAINS);
    // Seeded: a claimed relation never contradicts sampled points.
    Random random = new Random(99);
    for (int t = 0; t < 400; t++) {
      Region a = Circle.of(near(UnitVector3d.X, 0.3, random), 0.01 + 0.2 * random.nextDouble());
      UnitVector3d c = near(UnitVector3d.X, 0.3, random);
      Region b =
          t % 2 == 0
              ? hullAround(c, 0.2, random)
              : Box.of(
                  c.lon() - 0.1 * random.nextDouble(),
                  c.lon() + 0.1 * random.nextDouble(),
                  c.lat() - 0.1 * random.nextDouble(),
                  c.lat() + 0.1 * random.nextDouble(),
                  false);
      if (t % 4 == 3) {
        a = hullAround(near(UnitVector3d.X, 0.3, random), 0.15, random); // polygon vs box
      }
      Relationship r = a.relate(b);
      for (int i = 0; i < 200; i++) {
        UnitVector3d p = near(UnitVector3d.X, 0.6, random);
        boolean inA = a.contains(p);
        boolean inB = b.contains(p);
        if (r.disjoint()) {
          assertThat(inA && inB).isFalse();
        }
        if (r.contains() && inB) {
          assertThat(inA).isTrue();
        }
        if (r.within() && inA) {
          assertThat(inB).isTrue();
        }
      }
    }
  }

  /**
   * Every region in daf_butler's own test exports decodes and re-encodes to the same bytes, and
   * holds its own centroid.
   */
  @Test
  void dafButlerRegionsRoundTripByteForByte() throws Exception {
    Path dir = ExternalResources.sharedFile("reference/daf_butler_tests/spatial.yaml").getParent();
    Pattern hex = Pattern.compile("!<lsst\\.sphgeom\\.(\\w+)>\\s*\\n\\s*encoded: ([0-9a-f]+)");
    int n = 0;
    for (String file :
        List.of(
            "spatial.yaml",
            "ci_hsc-subset.yaml",
            "ci_hsc-subset-skymap.yaml",
            "hsc-rc2-subset-v0.yaml",
            "lsstcam-subset.yaml")) {
      Matcher m = hex.matcher(Files.readString(dir.resolve(file)));
      while (m.find()) {
        Region r = Region.decodeHex(m.group(2));
        assertThat(r.getClass().getSimpleName()).isEqualTo(m.group(1));
        assertThat(r.encodeHex()).isEqualTo(m.group(2));
        if (r instanceof ConvexPolygon p) {
          assertThat(p.contains(p.centroid())).as("%s holds its centroid", file).isTrue();
          long index = new HtmPixelization(7).index(p.centroid());
          assertThat(new HtmPixelization(7).envelope(p, 8))
              .anyMatch(range -> range[0] <= index && index < range[1]);
        }
        n++;
      }
    }
    assertThat(n).isEqualTo(81);
  }
}
