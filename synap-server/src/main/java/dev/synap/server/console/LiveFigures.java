package dev.synap.server.console;

import dev.synap.core.MemoryEngine;
import dev.synap.core.anticipate.FeedbackLedger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The console's live figures: every {@link #INTERVAL_SECONDS} s a sample of the ingestion queue,
 * ingest lag, fetch latency percentiles, anticipation pushes and their latency, and the clients'
 * cache hit rate, taken from the same meters {@code /metrics} exposes (nothing is counted twice),
 * kept for the last {@link #SAMPLES} intervals. Rates are over one interval (differences of the
 * cumulative counters), so a chart shows what happened then, not since the start.
 */
final class LiveFigures implements AutoCloseable {
  static final int INTERVAL_SECONDS = 5;
  static final int SAMPLES = 120;

  /** One interval; NaN where nothing happened (no fetch, no push, no cache report). */
  record Sample(Instant at, long queueDepth, double lagMs, double fetchP50Ms, double fetchP99Ms, long pushes, double pushMs,
      double cacheHitRate, double usefulHitRate) {}

  private final MemoryEngine engine;
  private final MeterRegistry meters;
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  private final Thread sampler;
  private long lastPushes, lastHits, lastMisses, lastLagCount;
  private double lastPushNanos, lastLagNanos;
  private volatile boolean closed;

  LiveFigures(MemoryEngine engine, MeterRegistry meters) {
    this.engine = engine;
    this.meters = meters;
    sample(); // baseline of the cumulative counters
    samples.clear();
    this.sampler = Thread.ofVirtual().name("synap-console-figures").start(this::run);
  }

  private void run() {
    while (!closed) {
      try {
        Thread.sleep(INTERVAL_SECONDS * 1000L);
      } catch (InterruptedException e) {
        return;
      }
      sample();
    }
  }

  synchronized Sample sample() {
    long pushes = 0;
    double pushNanos = 0;
    for (Timer t : meters.find("synap.listen.push").timers()) {
      pushes += t.count();
      pushNanos += t.totalTime(TimeUnit.NANOSECONDS);
    }
    long hits = 0, misses = 0;
    for (Counter c : meters.find("synap.client.cache").counters()) {
      if ("hit".equals(c.getId().getTag("result"))) hits += (long) c.count();
      else misses += (long) c.count();
    }
    long lagCount = 0;
    double lagNanos = 0;
    for (Timer t : meters.find("synap.ingest.lag").timers()) {
      lagCount += t.count();
      lagNanos += t.totalTime(TimeUnit.NANOSECONDS);
    }
    double p50 = Double.NaN, p99 = Double.NaN;
    for (Timer t : meters.find("synap.fetch.latency").timers()) {
      for (ValueAtPercentile v : t.takeSnapshot().percentileValues()) {
        double ms = v.value(TimeUnit.MILLISECONDS);
        if (v.percentile() == 0.5) p50 = Double.isNaN(p50) ? ms : Math.max(p50, ms);
        if (v.percentile() == 0.99) p99 = Double.isNaN(p99) ? ms : Math.max(p99, ms);
      }
    }
    long dPushes = pushes - lastPushes, dHits = hits - lastHits, dMisses = misses - lastMisses, dLag = lagCount - lastLagCount;
    FeedbackLedger.Stats useful = engine.planner().feedback().total();
    Sample s = new Sample(Instant.now(), engine.ingest().queueDepth(), dLag == 0 ? Double.NaN : (lagNanos - lastLagNanos) / dLag / 1e6,
        p50, p99, dPushes, dPushes == 0 ? Double.NaN : (pushNanos - lastPushNanos) / dPushes / 1e6,
        dHits + dMisses == 0 ? Double.NaN : (double) dHits / (dHits + dMisses), useful.bundlesPushed() == 0 ? Double.NaN : useful.hitRate());
    lastPushes = pushes;
    lastPushNanos = pushNanos;
    lastHits = hits;
    lastMisses = misses;
    lastLagCount = lagCount;
    lastLagNanos = lagNanos;
    samples.addLast(s);
    while (samples.size() > SAMPLES) samples.removeFirst();
    return s;
  }

  synchronized List<Sample> history() {
    return List.copyOf(samples);
  }

  @Override
  public void close() {
    closed = true;
    sampler.interrupt();
  }
}
