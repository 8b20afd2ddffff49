package dev.synap.server.grpc;

import dev.synap.core.anticipate.RetrievalPhase;
import dev.synap.proto.v1.ContextAssembledEvent;
import dev.synap.proto.v1.ContextUsedEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/** Stream counters: events by type, pushes by bundle type, and the client's cache feedback. */
final class ListenMetrics {
  private final MeterRegistry registry;
  private final Counter contextUsed;
  private final Counter itemsServedFromCache;
  private final Counter assembled;
  private final Counter assembledCacheHits;

  ListenMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.contextUsed = registry.counter("synap.listen.context_used");
    this.itemsServedFromCache = registry.counter("synap.listen.cache_items_served");
    this.assembled = registry.counter("synap.listen.context_assembled");
    this.assembledCacheHits = registry.counter("synap.listen.context_assembled.cache_hit");
    registry.gauge("synap.listen.cache_hit_ratio", this, ListenMetrics::cacheHitRatio);
  }

  /** Share of fetches the clients answered from their anticipation cache. */
  private double cacheHitRatio() {
    double all = assembled.count();
    return all == 0 ? 0 : assembledCacheHits.count() / all;
  }

  void event(String type) {
    registry.counter("synap.listen.events", "type", type).increment();
  }

  /** Event to bundle written; the {@code pass} tag is the retrieval phase ({@code first}, {@code complete}, {@code shed}). */
  void pushed(String bundleType, RetrievalPhase phase, long nanos) {
    Timer.builder("synap.listen.push").tag("bundle_type", bundleType).tag("pass", phase.tag()).register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  /** An anticipation push answered with the owner's newest memories because the server was overloaded. */
  void shed() {
    registry.counter("synap.listen.push_shed").increment();
  }

  void suppressed() {
    registry.counter("synap.listen.push_suppressed").increment();
  }

  /** A pending bundle dropped because the stream's unread backlog was over its bound. */
  void backlogDropped() {
    registry.counter("synap.listen.bundles_dropped_unread").increment();
  }

  /** A stream closed because its client let pongs and signals pile up unread. */
  void closedUnread() {
    registry.counter("synap.listen.closed_unread").increment();
  }

  /** A ping over the stream's budget, left unanswered. */
  void pingRefused() {
    registry.counter("synap.listen.pings_refused").increment();
  }

  void coalesced() {
    registry.counter("synap.listen.bundles_coalesced").increment();
  }

  void contextUsed(ContextUsedEvent e) {
    contextUsed.increment();
    itemsServedFromCache.increment(e.getServedItemIdsCount());
  }

  void contextAssembled(ContextAssembledEvent e) {
    assembled.increment();
    if (e.getCacheHit() || e.getAssemblySource().startsWith("anticipation")) assembledCacheHits.increment();
  }
}
