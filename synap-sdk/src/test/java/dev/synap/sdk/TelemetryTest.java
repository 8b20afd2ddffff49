package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK's telemetry: off by default; when on, batched to /v1/telemetry/batch and visible in the server's metrics. */
class TelemetryTest {
  @TempDir Path dir;
  TestServer ts;

  @BeforeEach
  void start() {
    ts = new TestServer(dir);
  }

  @AfterEach
  void stop() {
    ts.close();
  }

  private String metrics() throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ts.server.httpPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString()).body();
    }
  }

  private Synap client(boolean telemetry) {
    return Synap.builder().apiKey(ts.key).baseUrl("http://127.0.0.1:" + ts.server.httpPort()).grpcHost("127.0.0.1")
        .grpcPort(ts.server.grpcPort()).telemetry(telemetry).build();
  }

  @Test
  void offByDefault() throws Exception {
    try (Synap synap = ts.client()) {
      synap.user().context().fetch(FetchRequest.forUser("u").query("dog").build());
    }
    assertThat(metrics()).doesNotContain("synap_client_events_total");
  }

  @Test
  void whenOnEventsReachTheServerAndAreFlushedOnClose() throws Exception {
    try (Synap synap = client(true)) {
      synap.instance().listen(ListenCallbacks.none());
      for (int i = 0; i < 3; i++) synap.user().context().fetch(FetchRequest.forUser("u").query("dog " + i).build());
    }
    String m = metrics();
    assertThat(m).contains("synap_client_events_total{event_type=\"sdk_init\"} 1.0", "synap_client_events_total{event_type=\"sdk_shutdown\"} 1.0",
        "synap_client_events_total{event_type=\"listen_start\"} 1.0", "synap_client_events_total{event_type=\"fetch_user_context\"} 3.0",
        "synap_client_cache_total{result=\"miss\"}");
  }

  @Test
  void fiftyWaitingEventsAreSentWithoutWaitingForTheInterval() throws Exception {
    try (Synap synap = client(true)) {
      for (int i = 0; i < 30; i++) synap.user().context().fetch(FetchRequest.forUser("u").query("cat " + i).build()); // 2 events each
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (!metrics().contains("synap_client_events_total{event_type=\"fetch_user_context\"}") && System.nanoTime() < deadline) Thread.sleep(50);
      assertThat(metrics()).contains("synap_client_events_total{event_type=\"fetch_user_context\"}");
    }
  }

  @Test
  void batchesThatKeepFailingAreDroppedAfterTwoRetries() throws Exception {
    try (TelemetrySender sender = new TelemetrySender("http://127.0.0.1:1", "sk_x", Duration.ofMillis(20), Duration.ofMillis(5))) {
      for (int i = 0; i < 3; i++) sender.record(SdkEvent.of("cache_hit"));
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (sender.dropped() < 3 && System.nanoTime() < deadline) Thread.sleep(10);
      assertThat(sender.dropped()).isEqualTo(3);
      assertThat(sender.sent()).isZero();
    }
  }

  @Test
  void theQueueNeverHoldsMoreThanAThousandEvents() {
    // An interval far away and a dead server: nothing drains except by overflow (50 wakes the flusher, which then fails).
    try (TelemetrySender sender = new TelemetrySender("http://127.0.0.1:1", "sk_x", Duration.ofHours(1), Duration.ofMillis(1))) {
      for (int i = 0; i < 5000; i++) {
        sender.record(SdkEvent.of("cache_miss"));
        assertThat(sender.queued()).isLessThanOrEqualTo(TelemetrySender.QUEUE_LIMIT);
      }
      assertThat(sender.sent()).isZero();
    }
  }
}
