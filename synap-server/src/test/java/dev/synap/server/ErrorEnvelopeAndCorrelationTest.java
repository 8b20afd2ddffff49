package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.server.config.ServerConfig;
import dev.synap.server.limit.RateLimitSettings;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 item 4: correlation ids on every response, the error envelope, rate-limit headers. */
class ErrorEnvelopeAndCorrelationTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void everyResponseCarriesACorrelationIdAndTheCallersIsEchoed() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      for (HttpResponse<String> r : java.util.List.of(rs.get("/health", null), rs.get("/api/v1/auth/whoami", rs.key),
          rs.get("/api/v1/auth/whoami", "sk_live_wrong"), rs.get("/v1/nothing/here", rs.key))) {
        assertThat(r.headers().firstValue("X-Correlation-Id")).as(r.uri() + " " + r.statusCode()).hasValueSatisfying(v -> assertThat(v).startsWith("syn_"));
      }
      HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rs.server.httpPort() + "/v1/context/user/fetch"))
          .header("Authorization", "Bearer " + rs.key).header("X-Correlation-ID", "syn_inst_0_1795669374119_1e9c7b")
          .POST(HttpRequest.BodyPublishers.ofString("{\"user_id\":\"ann\",\"search_query\":[\"dog\"]}")).build();
      HttpResponse<String> fetched = rs.http.send(req, HttpResponse.BodyHandlers.ofString());
      assertThat(fetched.statusCode()).isEqualTo(200);
      assertThat(fetched.headers().firstValue("X-Correlation-Id")).hasValue("syn_inst_0_1795669374119_1e9c7b");
      JsonNode meta = JSON.readTree(fetched.body()).path("metadata");
      assertThat(meta.path("correlation_id").asText()).isEqualTo("syn_inst_0_1795669374119_1e9c7b");
      assertThat(java.time.Instant.parse(meta.path("retrieved_at").asText())).isBeforeOrEqualTo(java.time.Instant.now());
    }
  }

  @Test
  void theCorrelationIdFollowsTheRequestIntoTheBackgroundWorkItStarts() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      java.util.concurrent.BlockingQueue<String> seen = new java.util.concurrent.LinkedBlockingQueue<>();
      // Called on the compaction job's thread, with the log context (SLF4J MDC) the job runs in.
      rs.server.engine().compactions().onCompleted(c -> seen.add(String.valueOf(org.slf4j.MDC.get("correlation_id"))));
      String conv = UUID.randomUUID().toString();
      rs.post("/v1/conversations/messages", "{\"conversation_id\":\"" + conv + "\",\"role\":\"user\",\"content\":\"My cat Tiger sleeps all day.\"}",
          rs.key);
      HttpRequest compact = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rs.server.httpPort() + "/v1/conversations/compact"))
          .header("Authorization", "Bearer " + rs.key).header("X-Correlation-ID", "syn_test_background_1")
          .POST(HttpRequest.BodyPublishers.ofString("{\"conversation_id\":\"" + conv + "\"}")).build();
      assertThat(rs.http.send(compact, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      assertThat(seen.poll(30, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("syn_test_background_1");
    }
  }

  @Test
  void errorsCarryDetailCodeDetailsAndTheCorrelationId() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      HttpResponse<String> bad = rs.post("/v1/context/user/fetch", "{\"user_id\":\"ann\",\"max_results\":0}", rs.key);
      assertThat(bad.statusCode()).isEqualTo(400);
      JsonNode body = JSON.readTree(bad.body());
      assertThat(body.path("detail").asText()).contains("max_results");
      assertThat(body.path("code").asText()).isEqualTo("invalid_input");
      assertThat(body.path("details").isObject()).isTrue();
      assertThat(body.path("correlation_id").asText()).isEqualTo(bad.headers().firstValue("X-Correlation-Id").orElseThrow());

      // The transcript conflict keeps detail.code, which the official client reads (contract 6.3).
      String conv = UUID.randomUUID().toString();
      rs.post("/v1/conversations/ingest", "{\"conversation_id\":\"" + conv + "\",\"user_id\":\"ann\",\"transcript\":\"Ann: hello there\"}", rs.key);
      HttpResponse<String> conflict = rs.post("/v1/conversations/ingest",
          "{\"conversation_id\":\"" + conv + "\",\"user_id\":\"ann\",\"transcript\":\"Ann: something else\"}", rs.key);
      assertThat(conflict.statusCode()).isEqualTo(409);
      JsonNode c = JSON.readTree(conflict.body());
      assertThat(c.path("detail").path("code").asText()).isEqualTo("transcript_conflict");
      assertThat(c.path("code").asText()).isEqualTo("transcript_conflict");
      assertThat(c.path("correlation_id").asText()).startsWith("syn_");
    }
  }

  @Test
  void a429NamesTheBudgetInHeadersAndDetails() throws Exception {
    try (RunningServer rs = new RunningServer(ServerConfig.forTests(dir).withRateLimits(new RateLimitSettings(1, 3, 0, 0, 0, 0)))) {
      for (int i = 0; i < 3; i++) assertThat(rs.get("/api/v1/auth/whoami", rs.key).statusCode()).isEqualTo(200);
      HttpResponse<String> refused = rs.get("/api/v1/auth/whoami", rs.key);
      assertThat(refused.statusCode()).isEqualTo(429);
      assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
      assertThat(refused.headers().firstValue("X-RateLimit-Limit")).hasValue("3");
      assertThat(refused.headers().firstValue("X-RateLimit-Remaining")).hasValue("0");
      assertThat(refused.headers().firstValue("X-RateLimit-Reset")).hasValue("1");
      JsonNode details = JSON.readTree(refused.body()).path("details");
      assertThat(details.path("limit").asText()).isEqualTo("key");
      assertThat(details.path("remaining").asInt(-1)).isZero();
    }
  }
}
