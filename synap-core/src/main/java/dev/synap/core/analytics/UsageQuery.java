package dev.synap.core.analytics;

import dev.synap.core.InvalidInputException;
import dev.synap.core.store.UsageStore;
import java.util.ArrayList;
import java.util.List;

/** Reads usage series back: one point per bucket (and group), with count and latency percentiles. */
public final class UsageQuery {
  /** Points in one answer at most: a minute series over 30 days would be 43,200. */
  public static final int MAX_POINTS = 20_000;

  /** One point: its bucket's start, its group key ({@code null} ungrouped), count and percentiles in ms (null without latency samples). */
  public record Point(long bucketStart, String group, long count, Double p50, Double p95, Double p99) {}

  private final UsageStore store;
  private final UsageRecorder recorder;

  public UsageQuery(UsageStore store, UsageRecorder recorder) {
    this.store = store;
    this.recorder = recorder;
  }

  /**
   * @param groupBy null, {@code user} or {@code customer}
   */
  public List<Point> series(String instanceId, Metric metric, Bucket bucket, long start, long end, String groupBy) {
    if (end <= start) throw new InvalidInputException("end must be after start");
    if (groupBy != null && !groupBy.equals("user") && !groupBy.equals("customer")) {
      throw new InvalidInputException("group_by must be user or customer, got '" + groupBy + "'");
    }
    recorder.flush();
    List<Point> out = new ArrayList<>();
    for (UsageStore.Rollup r : store.read(instanceId, metric.wireName(), bucket.wireName(), groupBy == null ? "" : groupBy,
        bucket.startOf(start), end)) {
      if (out.size() >= MAX_POINTS) throw new InvalidInputException("more than " + MAX_POINTS + " points: use a coarser bucket or a shorter range");
      LatencyHistogram h = r.latency();
      out.add(new Point(r.bucketStart(), groupBy == null ? null : r.groupKey(), r.count(), h.quantile(0.50), h.quantile(0.95), h.quantile(0.99)));
    }
    return out;
  }

  /** Sum of a metric over {@code [start, end)} from minute buckets. */
  public long total(String instanceId, Metric metric, long start, long end) {
    recorder.flush();
    long sum = 0;
    for (UsageStore.Rollup r : store.read(instanceId, metric.wireName(), Bucket.MINUTE.wireName(), "", Bucket.MINUTE.startOf(start), end)) {
      sum += r.count();
    }
    return sum;
  }
}
