package org.jbutler.schema;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class TimespanTest {

  private static final long T1 = 1_000;
  private static final long T2 = 2_000;
  private static final long T3 = 3_000;
  private static final long T4 = 4_000;

  @Test
  void emptyTimespansAreNormalisedAndOverlapNothing() {
    assertThat(Timespan.of(T2, T1)).isEqualTo(Timespan.empty());
    assertThat(Timespan.of(T1, T1)).isEqualTo(Timespan.empty());
    assertThat(Timespan.empty().isEmpty()).isTrue();
    assertThat(Timespan.empty().overlaps(Timespan.unbounded())).isFalse();
    assertThat(Timespan.unbounded().overlaps(Timespan.empty())).isFalse();
    assertThat(Timespan.unbounded().contains(Timespan.empty())).isTrue();
    assertThat(Timespan.empty()).hasToString("(empty)");
  }

  @Test
  void boundsAreClampedAndUnboundedEndsRecognised() {
    assertThat(Timespan.of(-5, Long.MAX_VALUE)).isEqualTo(Timespan.unbounded());
    assertThat(Timespan.from(T1).hasUnboundedEnd()).isTrue();
    assertThat(Timespan.from(T1).hasUnboundedBegin()).isFalse();
    assertThat(Timespan.until(T1).hasUnboundedBegin()).isTrue();
    assertThat(Timespan.from(T1)).hasToString("[1970-01-01T00:00:00.000001000, ∞)");
  }

  @Test
  void halfOpenSemantics() {
    Timespan a = Timespan.of(T1, T2);
    assertThat(a.contains(T1)).isTrue();
    assertThat(a.contains(T2)).isFalse();
    assertThat(a.overlaps(Timespan.of(T2, T3))).isFalse(); // adjacent is fine
    assertThat(a.overlaps(Timespan.of(T2 - 1, T3))).isTrue();
    assertThat(a.overlaps(Timespan.instant(T1))).isTrue();
    assertThat(a.overlaps(Timespan.instant(T2))).isFalse();
  }

  @Test
  void differenceSplitsAroundAnInnerTimespan() {
    Timespan whole = Timespan.of(T1, T4);
    assertThat(whole.difference(Timespan.of(T2, T3)))
        .containsExactly(Timespan.of(T1, T2), Timespan.of(T3, T4));
    assertThat(whole.difference(Timespan.from(T3))).containsExactly(Timespan.of(T1, T3));
    assertThat(whole.difference(Timespan.until(T2))).containsExactly(Timespan.of(T2, T4));
    assertThat(whole.difference(Timespan.unbounded())).isEmpty();
    assertThat(whole.difference(Timespan.of(T4, T4 + 10))).containsExactly(whole);
    assertThat(Timespan.from(T3).difference(Timespan.of(T3, T4)))
        .containsExactly(Timespan.from(T4));
  }

  private static Timespan random(Random r) {
    int kind = r.nextInt(10);
    long a = r.nextLong(100);
    long b = r.nextLong(100);
    return switch (kind) {
      case 0 -> Timespan.empty();
      case 1 -> Timespan.unbounded();
      case 2 -> Timespan.from(a);
      case 3 -> Timespan.until(a);
      default -> Timespan.of(a, b);
    };
  }

  /** Seeded property test: the algebra agrees with a point-by-point model on [0, 120). */
  @RepeatedTest(20)
  void algebraMatchesAPointwiseModel(RepetitionInfo info) {
    Random r = new Random(1000L + info.getCurrentRepetition());
    for (int i = 0; i < 200; i++) {
      Timespan a = random(r);
      Timespan b = random(r);
      Timespan inter = a.intersection(b);
      List<Timespan> diff = a.difference(b);
      assertThat(a.overlaps(b)).isEqualTo(b.overlaps(a)).isEqualTo(!inter.isEmpty());
      assertThat(inter).isEqualTo(b.intersection(a));
      assertThat(diff).hasSizeLessThanOrEqualTo(2).noneMatch(Timespan::isEmpty);
      for (long t = 0; t < 120; t++) {
        boolean inA = a.contains(t);
        boolean inB = b.contains(t);
        assertThat(inter.contains(t)).isEqualTo(inA && inB);
        long t0 = t;
        assertThat(diff.stream().anyMatch(d -> d.contains(t0))).isEqualTo(inA && !inB);
      }
      assertThat(a.contains(inter)).isTrue();
      assertThat(b.contains(inter)).isTrue();
      for (Timespan d : diff) {
        assertThat(d.overlaps(b)).isFalse();
        assertThat(a.contains(d)).isTrue();
      }
      if (diff.size() == 2) {
        assertThat(diff.get(0).end()).isLessThanOrEqualTo(diff.get(1).begin());
      }
    }
  }
}
