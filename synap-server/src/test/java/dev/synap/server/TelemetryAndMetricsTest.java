package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.proto.v1.ContextAssembledEvent;
import dev.synap.proto.v1.StreamEvent;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Client telemetry (contract 9.13) becomes counters, next to the server's own metrics, at GET /metrics. */
class TelemetryAndMetricsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  static String event(String type, String extra) {
    return "{\"event_type\":\"" + type + "\",\"instance_id\":\"inst_0123456789abcdef\",\"client_id\":\"c\",\"correlation_id\":\"syn_x\","
        + "\"timestamp\":\"2025-01-01T00:00:00+00:00\",\"latency_ms\":12.5,\"status\":\"success\",\"error_code\":null,\"scope\":\"user\","
        + "\"cache_status\":null,\"attempt\":1,\"http_method\":\"POST\",\"http_path\":\"/v1/context/user/fetch\",\"http_status_code\":200,"
        + "\"metadata\":{}" + extra + "}";
  }

  @Test
  void aTelemetryBatchIsAcceptedAndCounted() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      String body = "{\"events\":[" + event("cache_hit", "") + "," + event("cache_miss", "") + "," + event("listen_reconnect", "") + ","
          + event("error", ",\"error_code_x\":1").replace("\"error_code\":null", "\"error_code\":\"rate_limited\"").replace("\"success\"", "\"error\"") + ","
          + event("some_future_type", "") + "],\"sdk_version\":\"0.4.4\",\"batch_id\":\"0123456789abcdef\",\"created_at\":\"2025-01-01T00:00:00\"}";
      HttpResponse<String> r = rs.post("/v1/telemetry/batch", body, rs.key);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      JsonNode ack = JSON.readTree(r.body());
      assertThat(ack.path("status").asText()).isEqualTo("accepted");
      assertThat(ack.path("events_received").asInt()).isEqualTo(5);

      String metrics = rs.get("/metrics", null).body();
      assertThat(metrics).contains("synap_client_cache_total{result=\"hit\"} 1.0", "synap_client_cache_total{result=\"miss\"} 1.0",
          "synap_client_reconnects_total 1.0", "synap_client_errors_total{code=\"rate_limited\"} 1.0",
          "synap_client_events_total{event_type=\"other\"} 1.0");
      assertThat(rs.post("/v1/telemetry/batch", body, null).statusCode()).as("telemetry needs a key").isEqualTo(401);
    }
  }

  @Test
  void serverMetricsCoverStreamsQueueLagFetchLatencyErrorsAndCacheHitRatio() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      String conv = UUID.randomUUID().toString();
      assertThat(rs.post("/v1/conversations/messages", "{\"conversation_id\":\"" + conv + "\",\"role\":\"user\",\"content\":\"I love sailing.\",\"user_id\":\"m\"}",
          rs.key).statusCode()).isEqualTo(200);
      rs.awaitIngested();
      assertThat(rs.post("/v1/context/user/fetch", "{\"user_id\":\"m\",\"search_query\":[\"sailing\"]}", rs.key).statusCode()).isEqualTo(200);
      assertThat(rs.post("/v1/context/user/fetch", "{\"user_id\":\"m\",\"mode\":\"slow\"}", rs.key).statusCode()).isEqualTo(400);
      var channel = rs.channel();
      try {
        RunningServer.Stream s = rs.new Stream(channel, rs.key);
        s.send(StreamEvent.newBuilder().setContextAssembled(ContextAssembledEvent.newBuilder().setAssemblySource("anticipation")).build());
        s.send(StreamEvent.newBuilder().setContextAssembled(ContextAssembledEvent.newBuilder().setAssemblySource("cloud")).build());
        long deadline = System.nanoTime() + 5_000_000_000L;
        String metrics;
        do {
          Thread.sleep(20);
          metrics = rs.get("/metrics", null).body();
        } while (!metrics.contains("synap_listen_cache_hit_ratio 0.5") && System.nanoTime() < deadline);
        assertThat(metrics).contains("synap_listen_cache_hit_ratio 0.5", "synap_listen_streams 1.0", "synap_ingest_queue_depth",
            "synap_ingest_lag_seconds_count 1", "synap_fetch_latency_seconds_count{scope=\"user\"} 1", "synap_http_errors_total{status=\"400\"} 1.0",
            "synap_http_requests_seconds_count{method=\"POST\",route=\"/v1/context/{scope}/fetch\",status=\"200\"} 1");
      } finally {
        channel.shutdownNow();
      }
    }
  }
}
