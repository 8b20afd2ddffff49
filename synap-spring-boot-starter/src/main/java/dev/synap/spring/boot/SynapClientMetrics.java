package dev.synap.spring.boot;

import dev.synap.sdk.Synap;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The client's Micrometer meters (bound by Boot's metrics auto-configuration when Actuator is
 * present): {@code synap.cache.requests{result=hit|miss|stale}} and {@code synap.cache.size} from
 * the anticipation cache, {@code synap.stream.reconnects} (Listen stream restored after a loss).
 * Fetch latency is {@code synap.integration.fetch{source}}, timed where the fetch happens.
 */
public final class SynapClientMetrics implements MeterBinder {
  private final Synap synap;
  private final AtomicLong reconnects = new AtomicLong();

  public SynapClientMetrics(Synap synap) {
    this.synap = synap;
  }

  void reconnected() {
    reconnects.incrementAndGet();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    FunctionCounter.builder("synap.cache.requests", synap, s -> s.cache().stats().hits()).tag("result", "hit")
        .description("fetches answered by the anticipation cache").register(registry);
    FunctionCounter.builder("synap.cache.requests", synap, s -> s.cache().stats().misses()).tag("result", "miss")
        .description("fetches the anticipation cache could not answer").register(registry);
    FunctionCounter.builder("synap.cache.requests", synap, s -> s.cache().stats().stale()).tag("result", "stale")
        .description("cached bundles found expired").register(registry);
    Gauge.builder("synap.cache.size", synap, s -> s.cache().stats().size()).description("bundles held").register(registry);
    FunctionCounter.builder("synap.stream.reconnects", reconnects, AtomicLong::get)
        .description("Listen stream restored after a loss").register(registry);
  }
}
