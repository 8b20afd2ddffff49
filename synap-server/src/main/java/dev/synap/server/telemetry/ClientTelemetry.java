package dev.synap.server.telemetry;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What clients report about themselves, as Micrometer counters: events by type, stream
 * reconnects, anticipation-cache hits and misses, errors by code, latency by event type.
 *
 * <p>Tag values come from clients, so they are bounded: event types outside the contract's list
 * count as {@code other}, and error codes beyond the first {@value #MAX_ERROR_CODES} distinct ones
 * (or not code-shaped) count as {@code other}. Without that, one client could grow the registry
 * without limit.
 */
public final class ClientTelemetry {
  /** Contract 9.13. */
  static final Set<String> EVENT_TYPES = Set.of("sdk_init", "sdk_shutdown", "fetch_conversation_context", "fetch_user_context",
      "fetch_customer_context", "fetch_client_context", "compact_context", "cache_hit", "cache_miss", "listen_start",
      "listen_reconnect", "listen_disconnect", "http_request", "memory_create", "memory_batch_create", "memory_get",
      "memory_update", "memory_delete", "memory_status", "conversation_ingest", "user_profile_get", "error");
  static final int MAX_ERROR_CODES = 64;
  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");

  private final MeterRegistry meters;
  private final Set<String> errorCodes = ConcurrentHashMap.newKeySet();

  private final dev.synap.core.analytics.UsageRecorder usage;

  public ClientTelemetry(MeterRegistry meters) {
    this(meters, null);
  }

  /** @param usage per-instance analytics (cache hits and misses clients report); null for none */
  public ClientTelemetry(MeterRegistry meters, dev.synap.core.analytics.UsageRecorder usage) {
    this.meters = meters;
    this.usage = usage;
  }

  /** Counts a whole, already validated batch. */
  public void accept(String edge, List<TelemetryReport> reports) {
    accept(edge, reports, null);
  }

  /** Counts a batch sent with a key of {@code instanceId}: its cache hits and misses also count in that instance's analytics. */
  public void accept(String edge, List<TelemetryReport> reports, String instanceId) {
    meters.counter("synap.client.telemetry.batches", "edge", edge).increment();
    for (TelemetryReport r : reports) {
      count(r);
      if (usage == null || instanceId == null) continue;
      String type = r.eventType();
      if (type.equals("cache_hit") || r.cacheStatus().equals("hit")) usage.record(instanceId, dev.synap.core.analytics.Metric.CACHE_HITS, null);
      else if (type.equals("cache_miss") || r.cacheStatus().equals("miss")) usage.record(instanceId, dev.synap.core.analytics.Metric.CACHE_MISSES, null);
    }
  }

  private void count(TelemetryReport r) {
    String type = EVENT_TYPES.contains(r.eventType()) ? r.eventType() : "other";
    meters.counter("synap.client.events", "event_type", type).increment();
    if (type.equals("listen_reconnect")) meters.counter("synap.client.reconnects").increment();
    if (type.equals("cache_hit") || r.cacheStatus().equals("hit")) meters.counter("synap.client.cache", "result", "hit").increment();
    else if (type.equals("cache_miss") || r.cacheStatus().equals("miss")) meters.counter("synap.client.cache", "result", "miss").increment();
    if (r.isError()) meters.counter("synap.client.errors", "code", errorCode(r.errorCode())).increment();
    if (r.latencyMs() > 0) meters.timer("synap.client.latency", "event_type", type).record(r.latencyMs(), TimeUnit.MILLISECONDS);
  }

  private String errorCode(String code) {
    if (code.isEmpty()) return "unspecified";
    if (!CODE.matcher(code).matches()) return "other";
    if (errorCodes.contains(code)) return code;
    if (errorCodes.size() >= MAX_ERROR_CODES) return "other";
    errorCodes.add(code);
    return code;
  }
}
