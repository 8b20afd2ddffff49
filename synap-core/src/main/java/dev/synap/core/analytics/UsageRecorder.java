package dev.synap.core.analytics;

import dev.synap.core.store.UsageStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Counts usage on the hot path without touching storage: events add to an in-memory minute cell,
 * and {@link #flush} (every few seconds, and before any read) merges the cells into the minute,
 * hour and day roll-ups of the store in one transaction, then prunes buckets past their retention
 * about once an hour. What is counted but not yet flushed is lost in a crash (at most one flush
 * interval of counts): analytics are not acknowledged data.
 */
public final class UsageRecorder {
  private record Cell(String instanceId, Metric metric, long minute, String groupKind, String groupKey) {}

  private static final class Acc {
    final AtomicLong count = new AtomicLong();
    LatencyHistogram latency;

    synchronized void add(long n, Double ms) {
      count.addAndGet(n);
      if (ms != null) {
        if (latency == null) latency = new LatencyHistogram();
        latency.add(ms);
      }
    }
  }

  private static final long PRUNE_EVERY_MS = 3_600_000;
  private final UsageStore store;
  private final Clock clock;
  private volatile ConcurrentHashMap<Cell, Acc> cells = new ConcurrentHashMap<>();
  private long lastPrune;
  /** Recorders share it; the swap in flush takes it alone, so no count lands in a map already flushed. */
  private final ReentrantReadWriteLock swap = new ReentrantReadWriteLock();

  public UsageRecorder(UsageStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  /** Counts {@code n} events of one instance; user and customer (null when absent) also count in their group series. */
  public void record(String instanceId, Metric metric, String userId, String customerId, long n, Double latencyMs) {
    if (instanceId == null || n <= 0) return;
    long minute = Bucket.MINUTE.startOf(clock.millis());
    swap.readLock().lock();
    try {
      ConcurrentHashMap<Cell, Acc> now = cells;
      now.computeIfAbsent(new Cell(instanceId, metric, minute, "", ""), k -> new Acc()).add(n, latencyMs);
      if (userId != null) now.computeIfAbsent(new Cell(instanceId, metric, minute, "user", userId), k -> new Acc()).add(n, latencyMs);
      if (customerId != null) now.computeIfAbsent(new Cell(instanceId, metric, minute, "customer", customerId), k -> new Acc()).add(n, latencyMs);
    } finally {
      swap.readLock().unlock();
    }
  }

  public void record(String instanceId, Metric metric, Double latencyMs) {
    record(instanceId, metric, null, null, 1, latencyMs);
  }

  /** Writes what was counted since the last flush into every bucket granularity. */
  public synchronized void flush() {
    ConcurrentHashMap<Cell, Acc> taken;
    swap.writeLock().lock();
    try {
      taken = cells;
      cells = new ConcurrentHashMap<>();
    } finally {
      swap.writeLock().unlock();
    }
    if (taken.isEmpty() && clock.millis() - lastPrune <= PRUNE_EVERY_MS) return;
    Map<String, UsageStore.Rollup> deltas = new HashMap<>();
    for (Map.Entry<Cell, Acc> e : taken.entrySet()) {
      Cell c = e.getKey();
      Acc a = e.getValue();
      LatencyHistogram h;
      synchronized (a) {
        h = a.latency;
      }
      for (Bucket b : Bucket.values()) {
        long start = b.startOf(c.minute());
        String id = c.instanceId() + '\u0000' + c.metric() + '\u0000' + b + '\u0000' + start + '\u0000' + c.groupKind() + '\u0000' + c.groupKey();
        UsageStore.Rollup prev = deltas.get(id);
        LatencyHistogram merged = new LatencyHistogram();
        if (h != null) merged.merge(h);
        if (prev != null) merged.merge(prev.latency());
        deltas.put(id, new UsageStore.Rollup(c.instanceId(), c.metric().wireName(), b.wireName(), start, c.groupKind(), c.groupKey(),
            a.count.get() + (prev == null ? 0 : prev.count()), merged));
      }
    }
    List<UsageStore.Rollup> rows = new ArrayList<>(deltas.values());
    try {
      store.merge(rows);
    } catch (RuntimeException e) {
      // Put the counts back so the next flush retries them rather than losing a window.
      for (Map.Entry<Cell, Acc> en : taken.entrySet()) {
        Acc back = cells.computeIfAbsent(en.getKey(), k -> new Acc());
        back.count.addAndGet(en.getValue().count.get());
        synchronized (back) {
          if (en.getValue().latency != null) {
            if (back.latency == null) back.latency = new LatencyHistogram();
            back.latency.merge(en.getValue().latency);
          }
        }
      }
      throw e;
    }
    long now = clock.millis();
    if (now - lastPrune > PRUNE_EVERY_MS) {
      lastPrune = now;
      for (Bucket b : Bucket.values()) if (b.retention() != null) store.prune(b.wireName(), b.startOf(now - b.retention().toMillis()));
    }
  }
}
