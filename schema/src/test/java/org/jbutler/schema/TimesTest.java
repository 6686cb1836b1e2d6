package org.jbutler.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Random;
import org.jbutler.schema.exceptions.InvalidTimeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimesTest {

  private static final long NS = 1_000_000_000L;

  @Test
  void utcIsThirtySevenSecondsBehindTaiSince2017() {
    long utc = Times.parseIso("2020-01-01T00:00:00", TimeScale.UTC);
    long tai = Times.parseIso("2020-01-01T00:00:37", TimeScale.TAI);
    assertThat(utc).isEqualTo(tai);
    assertThat(Times.formatIso(utc, TimeScale.UTC, 3)).isEqualTo("2020-01-01T00:00:00.000");
    assertThat(Times.formatIso(utc)).isEqualTo("2020-01-01T00:00:37.000000000");
  }

  @ParameterizedTest
  @CsvSource({
    "1972-01-01T00:00:00, 10",
    "1980-06-01T12:00:00, 19",
    "1999-01-01T00:00:00, 32",
    "2016-12-31T23:59:59, 36",
    "2017-01-01T00:00:00, 37",
  })
  void taiMinusUtcFollowsTheTable(String utc, long seconds) {
    assertThat(Times.parseIso(utc, TimeScale.UTC) - Times.parseIso(utc, TimeScale.TAI))
        .isEqualTo(seconds * NS);
  }

  @Test
  void driftBefore1972() {
    // TAI-UTC at 1970-01-01 was 8.000082 s (4.21317 s + 1461 days x 0.002592 s/day).
    assertThat(Times.parseIso("1970-01-01T00:00:00", TimeScale.UTC)).isEqualTo(8_000_082_000L);
  }

  @Test
  void leapSecondsParseAndFormat() {
    long leap = Times.parseIso("2016-12-31T23:59:60.5", TimeScale.UTC);
    long before = Times.parseIso("2016-12-31T23:59:59.5", TimeScale.UTC);
    long after = Times.parseIso("2017-01-01T00:00:00.5", TimeScale.UTC);
    assertThat(leap - before).isEqualTo(NS);
    assertThat(after - leap).isEqualTo(NS);
    assertThat(Times.formatIso(leap, TimeScale.UTC, 1)).isEqualTo("2016-12-31T23:59:60.5");
    assertThat(Times.formatIso(after, TimeScale.UTC, 1)).isEqualTo("2017-01-01T00:00:00.5");
    assertThatThrownBy(() -> Times.parseIso("2017-06-30T23:59:60", TimeScale.UTC))
        .isInstanceOf(InvalidTimeException.class)
        .hasMessageContaining("no");
    assertThatThrownBy(() -> Times.parseIso("2016-12-31T23:59:60", TimeScale.TAI))
        .isInstanceOf(InvalidTimeException.class)
        .hasMessageContaining("only valid in UTC");
  }

  @Test
  void nowIsTheSystemClockInTai() {
    long before = Times.parseIso(java.time.Instant.now().toString(), TimeScale.UTC);
    long now = Times.now();
    long after = Times.parseIso(java.time.Instant.now().toString(), TimeScale.UTC);
    assertThat(now).isBetween(before - 1_000_000L, after + 1_000_000L);
    assertThat(Times.formatIso(now, TimeScale.UTC, 0).substring(0, 10))
        .isEqualTo(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString());
  }

  @Test
  void mjdIsExact() {
    assertThat(Times.parseMjd("51544.0", TimeScale.TAI))
        .isEqualTo(Times.parseIso("2000-01-01T00:00:00", TimeScale.TAI));
    assertThat(Times.parseMjd("58000.5", TimeScale.TAI))
        .isEqualTo(Times.parseIso("2017-09-04T12:00:00", TimeScale.TAI));
    long t = Times.parseMjd("58000.5", TimeScale.TAI) + 1;
    BigDecimal mjd = Times.toMjd(t, TimeScale.TAI);
    assertThat(Times.parseMjd(mjd.toPlainString(), TimeScale.TAI)).isEqualTo(t);
    assertThat(Times.parseMjd("58000", TimeScale.UTC) - Times.parseMjd("58000", TimeScale.TAI))
        .isEqualTo(37 * NS);
  }

  @Test
  void valuesAreClampedLikeDafButler() {
    assertThat(Times.parseIso("1960-01-01", TimeScale.TAI)).isEqualTo(Timespan.MIN_NSEC);
    assertThat(Times.parseIso("2200-01-01", TimeScale.TAI)).isEqualTo(Timespan.MAX_NSEC);
    assertThat(Times.parseIso("+99999-01-01", TimeScale.TAI)).isEqualTo(Timespan.MAX_NSEC);
    assertThat(Times.parseMjd("1e30", TimeScale.TAI)).isEqualTo(Timespan.MAX_NSEC);
    assertThat(Times.parseMjd("-1e30", TimeScale.TAI)).isEqualTo(Timespan.MIN_NSEC);
    assertThat(Times.formatIso(Timespan.MAX_NSEC)).isEqualTo("2100-01-01T00:00:00.000000000");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "51544.0|2000-01-01T00:00:00|TAI",
        "mjd/51544.0/utc|2000-01-01T00:00:00|UTC",
        "2020-03-30T12:20:33|2020-03-30T12:20:33|UTC",
        "2020-03-30 12:20|2020-03-30T12:20:00|UTC",
        "2020-03-30|2020-03-30T00:00:00|UTC",
        "2020-03-30T12:20:33/tai|2020-03-30T12:20:33|TAI",
        "isot/2020-03-30T12:20:33/tt|2020-03-30T12:20:00.816|TAI",
        "2020:090:12:20:33|2020-03-30T12:20:33|UTC",
        "jd/2451544.5|2000-01-01T00:00:00|TAI",
        "unix/946684800|2000-01-01T00:00:00|UTC",
        "2020-03-30T12:20:33+00:00|2020-03-30T12:20:33|UTC",
      })
  void literalsFollowDafButlerDefaults(String literal, String iso, String scale) {
    assertThat(Times.parseLiteral(literal))
        .isEqualTo(Times.parseIso(iso, TimeScale.valueOf(scale)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "not-a-time",
        "2020-13-01",
        "2020-02-30",
        "2020-01-01T25:00:00",
        "xyz/2020-01-01",
        "2020-01-01/lst",
        "1/2/3/4",
        "2020:400"
      })
  void badTimesAreRejectedWithTheText(String text) {
    assertThatThrownBy(() -> Times.parseLiteral(text))
        .isInstanceOf(InvalidTimeException.class)
        .hasMessageContaining("'");
  }

  /** Seeded round trip of random instants through ISO text in TAI and UTC. */
  @Test
  void randomInstantsRoundTripThroughIso() {
    Random r = new Random(42);
    for (int i = 0; i < 2000; i++) {
      long t =
          Timespan.MIN_NSEC + 10 * NS + (long) (r.nextDouble() * (Timespan.MAX_NSEC - 20 * NS));
      for (TimeScale s : TimeScale.values()) {
        String text = Times.formatIso(t, s, 9);
        assertThat(Times.parseIso(text, s)).as(text + " " + s).isEqualTo(t);
      }
    }
  }
}
