package dev.synap.sdk;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One telemetry event as the official client sends it in a {@code POST /v1/telemetry/batch}
 * (contract 9.13). Never carries prompt or memory text: only types, scopes, timings and codes.
 */
record SdkEvent(String eventType, String scope, long latencyMs, String status, String errorCode, String cacheStatus, OffsetDateTime at) {

  static SdkEvent of(String eventType) {
    return new SdkEvent(eventType, null, 0, "success", null, null, OffsetDateTime.now(ZoneOffset.UTC));
  }

  SdkEvent scope(String s) {
    return new SdkEvent(eventType, s, latencyMs, status, errorCode, cacheStatus, at);
  }

  SdkEvent latency(long millis) {
    return new SdkEvent(eventType, scope, millis, status, errorCode, cacheStatus, at);
  }

  SdkEvent cache(String hitOrMiss) {
    return new SdkEvent(eventType, scope, latencyMs, status, errorCode, hitOrMiss, at);
  }

  SdkEvent failed(String code) {
    return new SdkEvent(eventType, scope, latencyMs, "error", code, cacheStatus, at);
  }

  Map<String, Object> json(String clientId, String instanceId) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("event_type", eventType);
    o.put("instance_id", instanceId);
    o.put("client_id", clientId);
    o.put("correlation_id", null);
    o.put("timestamp", at.toString());
    o.put("latency_ms", latencyMs);
    o.put("status", status);
    o.put("error_code", errorCode);
    o.put("scope", scope);
    o.put("cache_status", cacheStatus);
    o.put("attempt", 1);
    o.put("http_method", null);
    o.put("http_path", null);
    o.put("http_status_code", null);
    o.put("metadata", Map.of());
    return o;
  }
}
