package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synap.core.anticipate.Predictor;
import dev.synap.server.config.ServerConfig;
import dev.synap.server.limit.RateLimitSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Floods a real server that refuses events (a tiny rate limit, a full ingest queue, invalid
 * events) through the real SDK: in the end every event is stored exactly once, or the caller was
 * told (onEventRejected) exactly which one was not.
 */
class StreamDeliveryTest {
  @TempDir Path dir;

  @Test
  void aFloodIntoATinyRateLimitIsStoredExactlyOnceOrReported() throws Exception {
    Result r = flood(ServerConfig.forTests(dir).withRateLimits(new RateLimitSettings(50, 50, 0, 0, 0, 0)), 600, ts -> {});
    assertThat(r.delivery.resent()).as("the rate limit refused events, and the SDK resent them").isPositive();
  }

  @Test
  void fiveThousandEventsIntoAFullQueueAreStoredExactlyOnceOrReported() throws Exception {
    // The queue is filled first (one REST batch), so the stream's first events meet a full queue.
    Result r = flood(ServerConfig.forTests(dir).withMaxQueued(300), 5_000, ts -> {
      StringBuilder batch = new StringBuilder("{\"messages\":[");
      String conv = UUID.randomUUID().toString();
      for (int i = 0; i < 300; i++) {
        batch.append(i == 0 ? "" : ",").append("{\"conversation_id\":\"").append(conv).append("\",\"role\":\"user\",\"user_id\":\"v\",")
            .append("\"content\":\"").append(("On day " + i + " I walked to the old harbour with Maria and we talked about moving to Lisbon. ").repeat(8))
            .append("\"}");
      }
      HttpResponse<String> res = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ts.server.httpPort()
          + "/v1/conversations/messages/batch")).header("Authorization", "Bearer " + ts.key).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(batch.append("]}").toString())).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(res.statusCode()).isLessThan(300);
    });
    assertThat(r.delivery.resent()).as("the full queue refused events, and the SDK resent them").isPositive();
  }

  @Test
  void anEventRefusedAsInvalidIsReportedAndNotCountedAsConfirmed() throws Exception {
    try (TestServer ts = new TestServer(ServerConfig.forTests(dir)); Synap synap = ts.client()) {
      List<RejectedEvent> rejected = new CopyOnWriteArrayList<>();
      synap.instance().listen(ListenCallbacks.none().withOnEventRejected(rejected::add));
      String conv = UUID.randomUUID().toString();
      for (int i = 0; i < 5; i++) synap.instance().sendMessage(SendMessage.builder("fine " + i).userId("kai").conversationId(conv).build());
      synap.instance().sendMessage(SendMessage.builder("odd").eventType("no_such_type").userId("kai").conversationId(conv)
          .metadata("event_id", "bad-1").build());
      assertThat(synap.instance().flush(Duration.ofSeconds(20))).isTrue();
      InstanceClient.Delivery d = synap.instance().delivery();
      assertThat(rejected).hasSize(1);
      assertThat(rejected.getFirst().eventId()).isEqualTo("bad-1");
      assertThat(rejected.getFirst().cause()).isEqualTo(RejectedEvent.Cause.INVALID);
      assertThat(rejected.getFirst().reason()).contains("no_such_type");
      assertThat(d.rejected()).isEqualTo(1);
      assertThat(d.confirmed()).isEqualTo(5);
    }
  }

  @Test
  void aSenderThatOutrunsAServerThatStoresNothingIsToldNotDropped() throws Exception {
    // 1 request per 100 s after a burst of 3 (whoami and the Listen call spend two): nothing is
    // confirmed for longer than the SDK's stall bound (30 s).
    try (TestServer ts = new TestServer(ServerConfig.forTests(dir).withRateLimits(new RateLimitSettings(0.01, 3, 0, 0, 0, 0)));
        Synap synap = Synap.builder().apiKey(ts.key).baseUrl("http://127.0.0.1:" + ts.server.httpPort()).grpcHost("127.0.0.1")
            .grpcPort(ts.server.grpcPort()).connectTimeout(Duration.ofSeconds(3)).heartbeat(Duration.ofSeconds(1), Duration.ofSeconds(1)).build()) {
      List<RejectedEvent> rejected = new CopyOnWriteArrayList<>();
      synap.instance().listen(ListenCallbacks.none().withOnEventRejected(rejected::add));
      String conv = UUID.randomUUID().toString();
      int taken = 0;
      long start = System.nanoTime();
      RateLimitException refused = null;
      try {
        for (int i = 0; i < 3_000; i++) {
          synap.instance().sendMessage(SendMessage.builder("stalled " + i).userId("kai").conversationId(conv).metadata("event_id", "s-" + i).build());
          taken++;
        }
      } catch (RateLimitException e) {
        refused = e;
      }
      System.out.printf("stalled server: %d events taken, then %s after %.1f s; %s%n", taken, refused, (System.nanoTime() - start) / 1e9,
          synap.instance().delivery());
      assertThat(refused).as("the sender is told, once 1,000 events are held and none is confirmed").isNotNull();
      // 1,000 held, plus the few the burst let through and the server confirmed.
      assertThat(taken).isBetween(StreamConnection.UNCONFIRMED_LIMIT, StreamConnection.UNCONFIRMED_LIMIT + 3);
      InstanceClient.Delivery d = synap.instance().delivery();
      assertThat(d.confirmed() + d.unconfirmed() + d.queued() + d.dropped() + d.rejected()).as("every taken event is accounted for").isEqualTo(taken);
      long held = d.unconfirmed() + d.queued();
      synap.instance().stopListening();
      assertThat(rejected.stream().filter(e -> e.cause() == RejectedEvent.Cause.UNCONFIRMED_AT_CLOSE).count())
          .as("what was still held when listening stopped is reported").isEqualTo(held);
    }
  }

  private record Result(InstanceClient.Delivery delivery) {}

  interface Setup {
    void run(TestServer ts) throws Exception;
  }

  private Result flood(ServerConfig config, int events, Setup setup) throws Exception {
    try (TestServer ts = new TestServer(config); Synap synap = ts.client()) {
      ts.server.predictor(Predictor.NONE); // measure delivery, not retrieval
      List<RejectedEvent> rejected = new CopyOnWriteArrayList<>();
      synap.instance().listen(ListenCallbacks.none().withOnEventRejected(rejected::add));
      setup.run(ts);
      long start = System.nanoTime();
      String conv = UUID.randomUUID().toString();
      for (int i = 0; i < events; i++) {
        synap.instance().sendMessage(SendMessage.builder("flood event " + i).userId("kai").conversationId(conv).metadata("event_id", "ev-" + i).build());
      }
      boolean flushed = synap.instance().flush(Duration.ofSeconds(45));
      InstanceClient.Delivery d = synap.instance().delivery();
      Map<String, Integer> stored = new HashMap<>();
      // The SDK module does not read java.sql; this test, patched into it, reads the store directly.
      StreamDeliveryTest.class.getModule().addReads(ModuleLayer.boot().findModule("java.sql").orElseThrow());
      try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("synap.db"));
          var ps = c.prepareStatement("SELECT content, COUNT(*) FROM messages WHERE user_id = 'kai' GROUP BY content");
          var rs = ps.executeQuery()) {
        while (rs.next()) stored.put(rs.getString(1), rs.getInt(2));
      }
      System.out.printf("flood: %d events in %.1f s, flushed %s, %s, %d stored, %d reported%n", events, (System.nanoTime() - start) / 1e9, flushed, d,
          stored.size(), rejected.size());
      assertThat(flushed).as("every event confirmed or reported in time").isTrue();
      Map<String, RejectedEvent> reported = new HashMap<>();
      for (RejectedEvent e : rejected) reported.put(e.eventId(), e);
      for (int i = 0; i < events; i++) {
        int copies = stored.getOrDefault("flood event " + i, 0);
        if (reported.containsKey("ev-" + i)) {
          assertThat(copies).as("event %d was reported as not stored", i).isZero();
        } else {
          assertThat(copies).as("event %d stored exactly once", i).isEqualTo(1);
        }
      }
      assertThat(d.confirmed() + d.dropped() + d.rejected()).isEqualTo(events);
      return new Result(d);
    }
  }
}
