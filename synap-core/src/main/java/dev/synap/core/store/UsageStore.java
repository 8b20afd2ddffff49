package dev.synap.core.store;

import dev.synap.core.analytics.LatencyHistogram;
import java.util.List;

/** Usage roll-ups: counts and latency histograms per instance, metric, bucket and group. */
public interface UsageStore {
  /**
   * One roll-up row, or a delta to add to one.
   *
   * @param groupKind {@code ""} for the instance total, {@code user} or {@code customer}
   */
  record Rollup(String instanceId, String metric, String bucket, long bucketStart, String groupKind, String groupKey, long count,
      LatencyHistogram latency) {}

  /** Adds each delta's count and histogram to its row (creating it), all in one transaction. */
  void merge(List<Rollup> deltas);

  /** Rows of one series in {@code [from, to)}, oldest first. */
  List<Rollup> read(String instanceId, String metric, String bucket, String groupKind, long from, long to);

  /** Removes rows of {@code bucket} that started before {@code before}. */
  void prune(String bucket, long before);
}
