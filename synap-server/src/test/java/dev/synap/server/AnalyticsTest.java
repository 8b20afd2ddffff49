package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.server.config.ServerConfig;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/analytics/metrics} (issue 15 item 9) through a real server: counts per metric in
 * minute, hour and day buckets that agree, p50/p95/p99 per bucket, group by user, client-reported
 * cache hits, and roll-ups that are kept in the store across a restart.
 */
class AnalyticsTest {
  @TempDir Path dir;
  RunningServer rs;
  AdminApi admin;
  String instance;
  String key;

  @BeforeEach
  void start() throws Exception {
    rs = new RunningServer(dir);
    admin = new AdminApi(rs);
    instance = admin.createInstance("measured", "b2c").get("instance_id").asText();
    key = admin.key(instance, null);
  }

  @AfterEach
  void stop() {
    if (rs != null) rs.close();
  }

  JsonNode metric(String query) throws Exception {
    var r = admin.call("GET", "/v1/analytics/metrics?" + query, null, key);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return AdminApi.JSON.readTree(r.body());
  }

  static String telemetryEvent(String type) {
    return "{\"event_type\":\"" + type + "\",\"instance_id\":\"inst_0\",\"client_id\":\"c\",\"correlation_id\":\"x\","
        + "\"timestamp\":\"2025-01-01T00:00:00+00:00\",\"latency_ms\":1,\"status\":\"success\",\"error_code\":null,\"scope\":\"user\","
        + "\"cache_status\":null,\"attempt\":1,\"http_method\":\"POST\",\"http_path\":\"/v1/context/user/fetch\",\"http_status_code\":200,\"metadata\":{}}";
  }

  @Test
  void countsLatencyPercentilesGroupsAndRollUpsAgreeAndSurviveARestart() throws Exception {
    for (String user : new String[] {"kim", "kim", "kim", "lee"}) {
      assertThat(admin.call("POST", "/v1/context/user/fetch", "{\"user_id\":\"" + user + "\",\"search_query\":[\"tea\"]}", key).statusCode())
          .isEqualTo(200);
    }
    String conv = UUID.randomUUID().toString();
    assertThat(admin.call("POST", "/v1/conversations/messages", "{\"conversation_id\":\"" + conv
        + "\",\"role\":\"user\",\"content\":\"I love green tea.\",\"user_id\":\"kim\"}", key).statusCode()).isEqualTo(200);
    rs.awaitIngested();
    String batch = "{\"events\":[" + telemetryEvent("cache_hit") + "," + telemetryEvent("cache_hit") + "," + telemetryEvent("cache_miss") + "]}";
    assertThat(admin.call("POST", "/v1/telemetry/batch", batch, key).statusCode()).isEqualTo(200);
    ManagedChannel channel = rs.channel();
    try {
      RunningServer.Stream s = rs.new Stream(channel, key);
      for (int i = 0; i < 2; i++) {
        s.send(StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setEventType("user_message").setRole("user")
            .setContent("tea time " + i).setUserId("lee").setConversationId(conv)).build());
      }
      // A pong proves the events before it were taken in.
      s.send(StreamEvent.newBuilder().setHeartbeatPing(dev.synap.proto.v1.HeartbeatPing.newBuilder().setTimestampMs(1)).build());
      assertThat(s.next(StreamResponse.PayloadCase.HEARTBEAT_PONG, 10_000)).isNotNull();
      s.requests.onCompleted();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    rs.awaitIngested();
    Thread.sleep(300);

    JsonNode fetches = metric("metric=context_fetch&bucket=minute");
    assertThat(fetches.get("total").asLong()).isEqualTo(4);
    JsonNode point = fetches.get("points").get(0);
    double p50 = point.get("latency_ms").get("p50").asDouble();
    double p95 = point.get("latency_ms").get("p95").asDouble();
    double p99 = point.get("latency_ms").get("p99").asDouble();
    assertThat(p50).isPositive();
    assertThat(p50).isLessThanOrEqualTo(p95);
    assertThat(p95).isLessThanOrEqualTo(p99);
    for (String bucket : new String[] {"hour", "day"}) {
      JsonNode rolled = metric("metric=context_fetch&bucket=" + bucket + "&start=2020-01-01T00:00:00Z");
      assertThat(rolled.get("total").asLong()).as(bucket).isEqualTo(4);
      assertThat(rolled.get("points").get(0).get("latency_ms").get("p99").asDouble()).as(bucket + " p99").isEqualTo(p99);
    }
    Map<String, Long> byUser = new HashMap<>();
    metric("metric=context_fetch&bucket=hour&group_by=user").get("points").forEach(p -> byUser.merge(p.get("user_id").asText(), p.get("count").asLong(), Long::sum));
    assertThat(byUser).containsEntry("kim", 3L).containsEntry("lee", 1L);

    assertThat(metric("metric=cache_hits&bucket=day").get("total").asLong()).isEqualTo(2);
    assertThat(metric("metric=cache_misses&bucket=day").get("total").asLong()).isEqualTo(1);
    assertThat(metric("metric=stream_events&bucket=minute").get("total").asLong()).isEqualTo(2);
    assertThat(metric("metric=memories_stored&bucket=minute").get("total").asLong()).isPositive();
    long apiCalls = metric("metric=api_call&bucket=minute").get("total").asLong();
    assertThat(apiCalls).as("REST calls so far and the Listen call").isGreaterThanOrEqualTo(7);

    // Another instance's usage never shows here, and bad queries are typed errors.
    String otherKey = admin.key(admin.createInstance("other", "b2c").get("instance_id").asText(), null);
    assertThat(AdminApi.JSON.readTree(admin.call("GET", "/v1/analytics/metrics?metric=context_fetch&bucket=day", null, otherKey).body())
        .get("total").asLong()).isZero();
    assertThat(admin.call("GET", "/v1/analytics/metrics?metric=nope", null, key).statusCode()).isEqualTo(400);
    assertThat(admin.call("GET", "/v1/analytics/metrics?metric=api_call&bucket=week", null, key).statusCode()).isEqualTo(400);
    assertThat(admin.call("GET", "/v1/analytics/metrics?metric=api_call&group_by=planet", null, key).statusCode()).isEqualTo(400);
    String noAnalytics = admin.key(instance, "[\"context:read\"]");
    assertThat(admin.call("GET", "/v1/analytics/metrics?metric=api_call", null, noAnalytics).statusCode()).isEqualTo(403);

    rs.close();
    rs = new RunningServer(ServerConfig.forTests(dir));
    admin = new AdminApi(rs);
    assertThat(metric("metric=context_fetch&bucket=minute").get("total").asLong()).as("kept in the store").isEqualTo(4);
    assertThat(admin.ok("GET", "/dashboard/instances/" + instance + "/analytics/metrics?metric=context_fetch&bucket=day", null)
        .get("total").asLong()).isEqualTo(4);
  }
}
