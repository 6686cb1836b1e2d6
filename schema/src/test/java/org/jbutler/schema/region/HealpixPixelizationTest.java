package org.jbutler.schema.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * HEALPix nested indexing against the HEALPix library's published values (the ang2pix_nest and
 * pix2ang_nest cases the Fortran and C++ libraries' ports test with), and seeded properties.
 */
class HealpixPixelizationTest {

  private static UnitVector3d ang(double theta, double phi) {
    return UnitVector3d.of(
        Math.sin(theta) * Math.cos(phi), Math.sin(theta) * Math.sin(phi), Math.cos(theta));
  }

  private static final double[] THETAS = {
    0.0, 0.6283185307179586, 1.2566370614359172, 1.8849555921538759, 2.5132741228718345, Math.PI
  };
  private static final double[] PHIS = {
    0.0,
    1.2566370614359172,
    2.5132741228718345,
    3.7699111843077517,
    5.026548245743669,
    6.283185307179586
  };

  /** ang2pix_nest at nside 256 (level 8), zero-based; rows by theta, columns by phi. */
  private static final long[][] NEST_256 = {
    {65535, 65535, 131071, 196607, 262143, 262143},
    {45054, 31073, 116110, 182861, 243346, 221181},
    {315343, 387304, 71954, 140833, 513236, 315343},
    {274480, 338731, 645598, 714477, 464663, 274480},
    {565250, 543085, 603570, 670321, 755358, 741377},
    {524288, 524288, 589824, 655360, 720896, 720896}
  };

  @Test
  void indicesMatchHealpixAtNside256() {
    HealpixPixelization h = new HealpixPixelization(8);
    assertThat(h.nside()).isEqualTo(256);
    // The poles (rows 0 and 5) have no longitude as vectors, so only phi = 0 is meaningful there;
    // phi = 2 pi (the last column) is phi = 0 as a vector, and lies on a face edge in the polar
    // caps, where the angle-based library rounds it to the other side.
    for (int t = 0; t < THETAS.length; t++) {
      for (int p = 0; p < (t == 0 || t == THETAS.length - 1 ? 1 : PHIS.length - 1); p++) {
        assertThat(h.index(ang(THETAS[t], PHIS[p])))
            .as("theta %s phi %s", THETAS[t], PHIS[p])
            .isEqualTo(NEST_256[t][p]);
      }
    }
    // Whatever face a pole falls in, it is that face's pixel at the pole.
    long faceSize = 256L * 256;
    assertThat(h.index(UnitVector3d.Z) % faceSize).isEqualTo(faceSize - 1);
    assertThat(h.index(UnitVector3d.Z) / faceSize).isBetween(0L, 3L);
    assertThat(h.index(UnitVector3d.Z.negate()) % faceSize).isZero();
    assertThat(h.index(UnitVector3d.Z.negate()) / faceSize).isBetween(8L, 11L);
  }

  /** pix2ang_nest at nside 2 (level 1): the centres of the 48 pixels, (theta, phi). */
  @Test
  void centresMatchHealpixAtNside2() {
    HealpixPixelization h = new HealpixPixelization(1);
    double[][] expected = {
      {1.230959417340775, 0.785398163397448}, // 0
      {0.841068670567930, 1.178097245096172},
      {0.841068670567930, 0.392699081698724},
      {0.411137862322348, 0.785398163397448},
      {1.230959417340775, 2.356194490192345}, // 4
      {0.841068670567930, 2.748893571891069},
      {0.841068670567930, 1.963495408493621},
      {0.411137862322348, 2.356194490192345},
      {1.910633236249019, 0.000000000000000}, // 16
      {1.570796326794897, 0.392699081698724},
      {1.570796326794897, 5.890486225480862},
      {1.230959417340775, 0.000000000000000},
      {2.730454791267445, 0.785398163397448}, // 32
      {2.300523983021863, 1.178097245096172},
      {2.300523983021863, 0.392699081698724},
      {1.910633236249019, 0.785398163397448}
    };
    long[] indices = {0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 32, 33, 34, 35};
    for (int i = 0; i < indices.length; i++) {
      UnitVector3d c = h.center(indices[i]);
      UnitVector3d want = ang(expected[i][0], expected[i][1]);
      assertThat(c.angleTo(want)).as("centre of pixel %d", indices[i]).isLessThan(1e-12);
      assertThat(h.index(c)).isEqualTo(indices[i]);
    }
  }

  @Test
  void levelsAndIndicesOutOfRangeAreRefused() {
    assertThat(new HealpixPixelization(17).size()).isEqualTo(12L << 34);
    assertThatThrownBy(() -> new HealpixPixelization(18))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0-17");
    assertThatThrownBy(() -> new HealpixPixelization(2).pixel(192))
        .hasMessageContaining("not a HEALPix index of level 2");
    assertThat(Pixelization.of("healpix", 11)).isInstanceOf(HealpixPixelization.class);
    assertThat(Pixelization.of("htm", 7)).isInstanceOf(HtmPixelization.class);
    assertThatThrownBy(() -> Pixelization.of("q3c", 9)).hasMessageContaining("known: htm, healpix");
  }

  /** Every point lies in its pixel's bounding circle; parents are index >> 2; areas are equal. */
  @Test
  void pointsNestAndPixelsHaveEqualAreas() {
    Random random = new Random(20261206);
    int[] counts = new int[48];
    int samples = 240_000;
    for (int i = 0; i < samples; i++) {
      UnitVector3d p =
          UnitVector3d.of(random.nextGaussian(), random.nextGaussian(), random.nextGaussian());
      counts[(int) new HealpixPixelization(1).index(p)]++;
      long child = -1;
      int childLevel = -1;
      for (int level : new int[] {17, 12, 7, 6, 5, 4, 3, 2, 1, 0}) {
        HealpixPixelization h = new HealpixPixelization(level);
        long index = h.index(p);
        assertThat(index).isBetween(0L, h.size() - 1);
        if (child >= 0) {
          assertThat(child >> (2 * (childLevel - level))).isEqualTo(index);
        }
        child = index;
        childLevel = level;
        if (i < 20_000) {
          assertThat(h.boundingCircle(index).contains(p))
              .as("%s in the circle of healpix%d %d", p, level, index)
              .isTrue();
        }
      }
    }
    // 5,000 expected per pixel; a seeded draw, so this is a fixed outcome, not a flaky bound.
    for (int c : counts) {
      assertThat((double) c).isCloseTo(samples / 48.0, within(samples / 48.0 * 0.05));
    }
  }

  @Test
  void pixelPolygonsHoldTheirCentresAndCornersAreShared() {
    HealpixPixelization h = new HealpixPixelization(3);
    for (long i = 0; i < h.size(); i++) {
      assertThat(h.pixel(i).contains(h.center(i))).as("pixel %d", i).isTrue();
      assertThat(h.corners(i)).hasSize(4);
    }
    // The four children of a pixel share its north corner with child 3 and south with child 0.
    HealpixPixelization h4 = new HealpixPixelization(4);
    List<UnitVector3d> parent = h.corners(100);
    assertThat(h4.corners(403).get(0).angleTo(parent.get(0))).isLessThan(1e-12);
    assertThat(h4.corners(400).get(2).angleTo(parent.get(2))).isLessThan(1e-12);
  }

  @Test
  void envelopesCoverTheirRegions() {
    Random random = new Random(11);
    for (int level : new int[] {4, 11}) {
      HealpixPixelization h = new HealpixPixelization(level);
      for (int trial = 0; trial < 30; trial++) {
        UnitVector3d centre =
            UnitVector3d.of(random.nextGaussian(), random.nextGaussian(), random.nextGaussian());
        double radius = Math.toRadians(0.05 + 1.5 * random.nextDouble());
        Region region =
            trial % 2 == 0
                ? Circle.of(centre, radius)
                : RegionTest.hullAround(centre, radius, random);
        List<long[]> env = h.envelope(region, 64);
        Circle bound = region.boundingCircle();
        int inside = 0;
        for (int i = 0; i < 400; i++) {
          UnitVector3d p = RegionTest.near(bound.center(), bound.openingAngle(), random);
          if (region.contains(p)) {
            inside++;
            long index = h.index(p);
            assertThat(env.stream().anyMatch(r -> r[0] <= index && index < r[1]))
                .as("healpix%d trial %d: %s (pixel %d) not in the envelope", level, trial, p, index)
                .isTrue();
          }
        }
        assertThat(inside).isPositive();
      }
    }
    // A tiny circle at a pixel's centre: exactly that pixel (nothing else may overlap it).
    HealpixPixelization h = new HealpixPixelization(6);
    assertThat(h.envelope(Circle.of(h.center(1234), 1e-9), 64))
        .containsExactly(new long[] {1234, 1235});
    // The whole sky: one range over every pixel.
    assertThat(h.envelope(Circle.of(UnitVector3d.Z, Math.PI), 64))
        .containsExactly(new long[] {0, h.size()});
  }
}
