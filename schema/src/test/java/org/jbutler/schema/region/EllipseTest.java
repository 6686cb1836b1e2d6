package org.jbutler.schema.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Ellipses against their definition (the points whose distances to the two foci sum to at most 2α),
 * their orientation east of north, sphgeom's encoding, and conservative relations.
 */
class EllipseTest {

  private static UnitVector3d random(Random r) {
    return UnitVector3d.of(r.nextGaussian(), r.nextGaussian(), r.nextGaussian());
  }

  @Test
  void containsAgreesWithTheFocalDefinition() {
    Random r = new Random(31);
    int checked = 0;
    for (int trial = 0; trial < 200; trial++) {
      UnitVector3d c = random(r);
      double alpha = 0.01 + 0.6 * r.nextDouble();
      double beta = alpha * (0.2 + 0.8 * r.nextDouble());
      Ellipse e = Ellipse.of(c, alpha, beta, 2 * Math.PI * r.nextDouble());
      assertThat(e.center().angleTo(c)).isLessThan(1e-12);
      assertThat(e.alpha())
          .isCloseTo(Math.max(alpha, beta), org.assertj.core.api.Assertions.within(1e-12));
      double[] v = e.values();
      UnitVector3d axis = UnitVector3d.of(v[0], v[1], v[2]);
      double gamma = v[11];
      UnitVector3d f1 =
          UnitVector3d.of(
              Math.cos(gamma) * c.x() + Math.sin(gamma) * axis.x(),
              Math.cos(gamma) * c.y() + Math.sin(gamma) * axis.y(),
              Math.cos(gamma) * c.z() + Math.sin(gamma) * axis.z());
      UnitVector3d f2 =
          UnitVector3d.of(
              Math.cos(gamma) * c.x() - Math.sin(gamma) * axis.x(),
              Math.cos(gamma) * c.y() - Math.sin(gamma) * axis.y(),
              Math.cos(gamma) * c.z() - Math.sin(gamma) * axis.z());
      for (int i = 0; i < 200; i++) {
        UnitVector3d p = RegionTest.near(c, 1.5 * e.alpha(), r);
        double sum = p.angleTo(f1) + p.angleTo(f2);
        if (Math.abs(sum - 2 * e.alpha()) < 1e-9) {
          continue;
        }
        assertThat(e.contains(p)).as("trial %d point %d", trial, i).isEqualTo(sum <= 2 * e.alpha());
        if (e.contains(p)) {
          assertThat(e.boundingCircle().contains(p)).isTrue();
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(30_000);
  }

  /** The first axis points {@code orientation} east of north; the second is 90 degrees on. */
  @Test
  void orientationIsEastOfNorth() {
    UnitVector3d c = UnitVector3d.fromLonLat(0, 0);
    Ellipse northSouth = Ellipse.of(c, 0.1, 0.05, 0);
    assertThat(northSouth.contains(UnitVector3d.fromLonLat(0, 0.09))).isTrue();
    assertThat(northSouth.contains(UnitVector3d.fromLonLat(0.09, 0))).isFalse();
    Ellipse eastWest = Ellipse.of(c, 0.1, 0.05, Math.PI / 2);
    assertThat(eastWest.contains(UnitVector3d.fromLonLat(0.09, 0))).isTrue();
    assertThat(eastWest.contains(UnitVector3d.fromLonLat(0, 0.09))).isFalse();
    // Given the smaller axis first, the larger becomes the first axis, turned by 90 degrees.
    Ellipse swapped = Ellipse.of(c, 0.05, 0.1, 0);
    assertThat(swapped.alpha()).isCloseTo(0.1, org.assertj.core.api.Assertions.within(1e-15));
    assertThat(swapped.contains(UnitVector3d.fromLonLat(0.09, 0))).isTrue();
    assertThatThrownBy(() -> Ellipse.of(c, 0.1, 2.0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("semi-axis");
    assertThat(Ellipse.of(c, -0.1, -0.1, 0).isEmpty()).isTrue();
    assertThat(Ellipse.of(c, 3.5, 3.5, 0).contains(c.negate())).isTrue();
  }

  @Test
  void encodingRoundTripsAndRelationsAreConservative() {
    Random r = new Random(5);
    for (int trial = 0; trial < 100; trial++) {
      UnitVector3d c = random(r);
      Ellipse e = Ellipse.of(c, 0.02 + 0.3 * r.nextDouble(), 0.01, r.nextDouble());
      assertThat(Region.decode(e.encode())).isEqualTo(e);
      assertThat(Region.decodeBase64(e.encodeBase64())).isEqualTo(e);
      Region other =
          trial % 2 == 0
              ? Circle.of(RegionTest.near(c, 0.5, r), 0.05 + 0.5 * r.nextDouble())
              : RegionTest.hullAround(RegionTest.near(c, 0.4, r), 0.3, r);
      Relationship rel = e.relate(other);
      assertThat(rel.contains()).isFalse();
      assertThat(other.relate(e)).isEqualTo(rel.inverse());
      for (int i = 0; i < 300; i++) {
        UnitVector3d p = RegionTest.near(c, 0.7, r);
        if (e.contains(p) && rel.disjoint()) {
          assertThat(other.contains(p)).as("claimed disjoint").isFalse();
        }
        if (e.contains(p) && rel.within()) {
          assertThat(other.contains(p)).as("claimed within").isTrue();
        }
      }
    }
  }
}
