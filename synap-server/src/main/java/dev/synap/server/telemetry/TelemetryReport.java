package dev.synap.server.telemetry;

import dev.synap.core.InvalidInputException;
import dev.synap.core.ingest.RecordValidator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One client telemetry event (contract 3 {@code TelemetryEvent}, 9.13 batch element), validated:
 * the same bounds whether it came over REST or gRPC. Absent strings are empty, absent numbers 0.
 */
public record TelemetryReport(
    String eventType,
    String instanceId,
    String clientId,
    String correlationId,
    String timestamp,
    int latencyMs,
    String status,
    String errorCode,
    String scope,
    String cacheStatus,
    int attempt,
    String httpMethod,
    String httpPath,
    int httpStatusCode,
    Map<String, String> metadata) {

  public static final int MAX_EVENTS = 1000;
  static final int MAX_TEXT = 256;
  static final int MAX_PATH = 2048;
  private static final Pattern EVENT_TYPE = Pattern.compile("[a-z0-9_.:-]{1,64}");

  public TelemetryReport {
    if (eventType == null || !EVENT_TYPE.matcher(eventType).matches()) {
      throw new InvalidInputException("event_type must be 1-64 lower-case letters, digits or _.:-");
    }
    instanceId = text("instance_id", instanceId, MAX_TEXT);
    clientId = text("client_id", clientId, MAX_TEXT);
    correlationId = text("correlation_id", correlationId, MAX_TEXT);
    timestamp = text("timestamp", timestamp, 64);
    status = text("status", status, 32);
    errorCode = text("error_code", errorCode, 128);
    scope = text("scope", scope, 32);
    cacheStatus = text("cache_status", cacheStatus, 32);
    httpMethod = text("http_method", httpMethod, 16);
    httpPath = text("http_path", httpPath, MAX_PATH);
    if (latencyMs < 0) throw new InvalidInputException("latency_ms must not be negative");
    if (attempt < 0) throw new InvalidInputException("attempt must not be negative");
    if (httpStatusCode < 0 || httpStatusCode > 999) throw new InvalidInputException("http_status_code must be 0-999");
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    RecordValidator.checkMetadata(metadata);
  }

  boolean isError() {
    return status.equals("error") || eventType.equals("error") || !errorCode.isEmpty();
  }

  private static String text(String field, String value, int max) {
    if (value == null) return "";
    if (value.length() > max) throw new InvalidInputException(field + " is longer than " + max + " characters");
    return value;
  }
}
