package dev.synap.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synap.core.InvalidInputException;
import dev.synap.server.telemetry.ClientTelemetry;
import dev.synap.server.telemetry.TelemetryReport;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /v1/telemetry/batch} (contract 9.13). A batch is counted whole or refused whole, so
 * a client retrying a refused batch cannot double-count the part that was valid.
 */
final class TelemetryRoutes {
  private final ClientTelemetry telemetry;

  TelemetryRoutes(ClientTelemetry telemetry) {
    this.telemetry = telemetry;
  }

  void register(RoutesConfig app) {
    app.post("/v1/telemetry/batch", this::batch);
  }

  private void batch(Context ctx) {
    JsonNode b = Bodies.object(ctx);
    JsonNode events = b.get("events");
    if (events == null || !events.isArray()) throw new InvalidInputException("events must be an array");
    if (events.size() > TelemetryReport.MAX_EVENTS) throw new InvalidInputException("at most " + TelemetryReport.MAX_EVENTS + " events per batch");
    for (String field : List.of("sdk_version", "batch_id", "created_at")) {
      String v = Bodies.string(b, field);
      if (v != null && v.length() > 64) throw new InvalidInputException(field + " is longer than 64 characters");
    }
    List<TelemetryReport> reports = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      try {
        reports.add(report(events.get(i)));
      } catch (InvalidInputException e) {
        throw new InvalidInputException("events[" + i + "]: " + e.getMessage());
      }
    }
    telemetry.accept("rest", reports, RestApi.caller(ctx).instance().instanceId());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", "accepted");
    out.put("events_received", reports.size());
    ctx.json(out);
  }

  private static TelemetryReport report(JsonNode e) {
    if (!e.isObject()) throw new InvalidInputException("each event must be an object");
    return new TelemetryReport(Bodies.string(e, "event_type"), Bodies.string(e, "instance_id"), Bodies.string(e, "client_id"),
        Bodies.string(e, "correlation_id"), Bodies.string(e, "timestamp"), wholeNumber(e, "latency_ms"), Bodies.string(e, "status"),
        Bodies.string(e, "error_code"), Bodies.string(e, "scope"), Bodies.string(e, "cache_status"), wholeNumber(e, "attempt"),
        Bodies.string(e, "http_method"), Bodies.string(e, "http_path"), wholeNumber(e, "http_status_code"), Bodies.metadata(e, "metadata"));
  }

  /** Python clients may send a measured latency as a float; any finite number is accepted and rounded. */
  private static int wholeNumber(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return 0;
    if (!v.isNumber() || !Double.isFinite(v.doubleValue())) throw new InvalidInputException(field + " must be a number");
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.round(v.doubleValue())));
  }
}
