package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.core.store.sqlite.SqliteSystemOfRecord;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.HeartbeatPing;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.server.config.ServerConfig;
import dev.synap.server.limit.RateLimitSettings;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Budgets per key and per refusing peer, on both edges. */
class RateLimitTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private RunningServer server(RateLimitSettings limits) {
    return new RunningServer(ServerConfig.forTests(dir).withRateLimits(limits));
  }

  @Test
  void restAnswers429WithTheEnvelopeAndAnIntegerRetryAfterOnceTheKeyBudgetIsSpent() throws Exception {
    try (RunningServer rs = server(new RateLimitSettings(1, 5, 0, 0, 0, 0))) {
      for (int i = 0; i < 5; i++) assertThat(rs.get("/api/v1/auth/whoami", rs.key).statusCode()).isEqualTo(200);
      HttpResponse<String> refused = rs.get("/api/v1/auth/whoami", rs.key);
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(Integer.parseInt(refused.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 2);
      JsonNode body = JSON.readTree(refused.body());
      assertThat(body.path("code").asText()).isEqualTo("rate_limited");
      assertThat(body.path("detail").asText()).contains("retry after");
      assertThat(rs.get("/health", null).statusCode()).as("health is never limited").isEqualTo(200);
      assertThat(rs.get("/metrics", null).body()).contains("synap_rate_limited_total{edge=\"rest\",limit=\"key\"}");
    }
  }

  @Test
  void theInstanceBudgetIsSharedByItsKeys() throws Exception {
    try (RunningServer rs = server(new RateLimitSettings(0, 0, 1, 4, 0, 0))) {
      var t = rs.server.engine().tenancy();
      String second = t.createKey(t.authenticate(rs.key).orElseThrow().instanceId(), "second").secret();
      for (int i = 0; i < 2; i++) {
        assertThat(rs.get("/api/v1/auth/whoami", rs.key).statusCode()).isEqualTo(200);
        assertThat(rs.get("/api/v1/auth/whoami", second).statusCode()).isEqualTo(200);
      }
      assertThat(rs.get("/api/v1/auth/whoami", second).statusCode()).isEqualTo(429);
    }
  }

  @Test
  void listenEventsBeyondTheBudgetGetAThrottleSignalAndTheStreamStaysOpen() throws Exception {
    try (RunningServer rs = server(new RateLimitSettings(2, 3, 0, 0, 0, 0))) {
      ManagedChannel channel = rs.channel();
      try {
        RunningServer.Stream s = rs.new Stream(channel, rs.key); // the call itself spends one request
        String conv = UUID.randomUUID().toString();
        for (int i = 0; i < 4; i++) {
          s.send(StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setEventType("user_message").setRole("user")
              .setContent("message " + i).setConversationId(conv).setUserId("u").putMetadata("event_id", "ev-" + i)).build());
        }
        StreamResponse throttle = s.next(StreamResponse.PayloadCase.SIGNAL, 3000);
        assertThat(throttle).isNotNull();
        assertThat(throttle.getSignal().getSignalType()).isEqualTo("throttle");
        // The budget refills while the stream opens, so which of the later events it refuses depends on timing.
        assertThat(throttle.getSignal().getMetadataMap()).containsKey("retry_after_seconds").containsKey("event_ids");
        assertThat(throttle.getSignal().getMetadataMap().get("event_id")).isIn("ev-2", "ev-3");
        s.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(1)).build());
        assertThat(s.next(StreamResponse.PayloadCase.HEARTBEAT_PONG, 3000)).as("pings are never throttled").isNotNull();
        assertThat(s.errors).isEmpty();
        rs.awaitIngested();
        assertThat(SqliteSystemOfRecord.countMessages(dir)).as("only admitted events are recorded")
            .isEqualTo(4 - StreamDeliveryTest.names(throttle.getSignal()).size());
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void aNewListenBeyondTheBudgetIsResourceExhausted() throws Exception {
    try (RunningServer rs = server(new RateLimitSettings(0.01, 2, 0, 0, 0, 0))) {
      ManagedChannel channel = rs.channel();
      try {
        for (int i = 0; i < 2; i++) {
          RunningServer.Stream ok = rs.new Stream(channel, rs.key);
          ok.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder()).build());
          assertThat(ok.next(StreamResponse.PayloadCase.HEARTBEAT_PONG, 3000)).isNotNull();
        }
        RunningServer.Stream refused = rs.new Stream(channel, rs.key);
        Throwable error = refused.errors.poll(5, TimeUnit.SECONDS);
        assertThat(error).isNotNull();
        assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(Status.trailersFromThrowable(error).get(io.grpc.Metadata.Key.of("retry-after", io.grpc.Metadata.ASCII_STRING_MARSHALLER)))
            .matches("\\d+");
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void aPeerThatKeepsPresentingBadKeysIsTurnedAwayBeforeTheKeyCheck() throws Exception {
    try (RunningServer rs = server(new RateLimitSettings(0, 0, 0, 0, 0.01, 3))) {
      String bad = "sk_live_" + "0".repeat(40);
      for (int i = 0; i < 3; i++) assertThat(rs.get("/api/v1/auth/whoami", bad).statusCode()).isEqualTo(401);
      HttpResponse<String> limited = rs.get("/api/v1/auth/whoami", bad);
      assertThat(limited.statusCode()).isEqualTo(429);
      assertThat(limited.headers().firstValue("Retry-After")).isPresent();
      ManagedChannel channel = rs.channel();
      try {
        Throwable error = rs.new Stream(channel, bad).errors.poll(5, TimeUnit.SECONDS);
        assertThat(Status.fromThrowable(error).getCode()).as("the same peer on gRPC").isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void grpcRefusalsCountTowardsThePeerBudgetToo() throws Exception {
    try (RunningServer rs = server(new RateLimitSettings(0, 0, 0, 0, 0.01, 2))) {
      String bad = "sk_live_" + "1".repeat(40);
      ManagedChannel channel = rs.channel();
      try {
        for (int i = 0; i < 2; i++) {
          Throwable e = rs.new Stream(channel, bad).errors.poll(5, TimeUnit.SECONDS);
          assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        }
        Throwable e = rs.new Stream(channel, bad).errors.poll(5, TimeUnit.SECONDS);
        assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      } finally {
        channel.shutdownNow();
      }
    }
  }
}
