package dev.synap.core.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.store.UsageStore;
import dev.synap.core.store.sqlite.SqliteSystemOfRecord;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Roll-ups in the store: minute, hour and day agree; minutes are kept 30 days, hours a year, days forever; percentiles per bucket. */
class UsageRollupsTest {
  @TempDir Path dir;

  /** A clock the test moves. */
  static final class MovableClock extends Clock {
    volatile Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void minuteHourAndDayAgreeAndOldBucketsAgeOutByTheirRetention() {
    Instant now = Instant.parse("2026-06-15T12:30:00Z");
    MovableClock clock = new MovableClock(now.minus(Duration.ofDays(400)));
    try (SqliteSystemOfRecord store = new SqliteSystemOfRecord(dir)) {
      UsageStore usage = store.usage();
      UsageRecorder recorder = new UsageRecorder(usage, clock);
      for (int i = 1; i <= 100; i++) recorder.record("inst_a", Metric.API_CALL, "kim", null, 1, (double) i);
      recorder.flush();
      clock.now = now.minus(Duration.ofDays(40));
      recorder.record("inst_a", Metric.API_CALL, null);
      recorder.flush();
      clock.now = now;
      recorder.record("inst_a", Metric.API_CALL, null);
      recorder.flush(); // over an hour since the last prune: prunes

      UsageQuery q = new UsageQuery(usage, recorder);
      long from = now.minus(Duration.ofDays(500)).toEpochMilli();
      long to = now.plusSeconds(60).toEpochMilli();
      assertThat(q.series("inst_a", Metric.API_CALL, Bucket.MINUTE, from, to, null)).as("minutes: 30 days").hasSize(1);
      assertThat(q.series("inst_a", Metric.API_CALL, Bucket.HOUR, from, to, null)).as("hours: a year").hasSize(2);
      List<UsageQuery.Point> days = q.series("inst_a", Metric.API_CALL, Bucket.DAY, from, to, null);
      assertThat(days).as("days: forever").hasSize(3);
      UsageQuery.Point oldest = days.getFirst();
      assertThat(oldest.count()).isEqualTo(100);
      // Latencies 1..100 ms: percentiles within the histogram's 10 % bins, never below the true value.
      assertThat(oldest.p50()).isBetween(50.0, 55.0);
      assertThat(oldest.p95()).isBetween(95.0, 104.5);
      assertThat(oldest.p99()).isBetween(99.0, 109.0);
      assertThat(q.series("inst_a", Metric.API_CALL, Bucket.DAY, from, to, "user")).singleElement()
          .satisfies(p -> assertThat(p.group()).isEqualTo("kim"));
      assertThat(q.series("inst_b", Metric.API_CALL, Bucket.DAY, from, to, null)).isEmpty();
    }
  }
}
