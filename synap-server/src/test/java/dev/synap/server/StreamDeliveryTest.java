package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.core.anticipate.Predictor;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.HeartbeatPing;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.proto.v1.StreamSignal;
import dev.synap.server.config.ServerConfig;
import dev.synap.server.limit.RateLimitSettings;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pong is a delivery promise (raw gRPC, no SDK): every event sent before a ping is, once its
 * pong arrives, either stored or named (by {@code event_id}) in a signal that came before the
 * pong. Never both, never neither.
 */
class StreamDeliveryTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void aPongNeverCoversAnEventTheRateLimitDropped() throws Exception {
    var config = ServerConfig.forTests(dir).withRateLimits(new RateLimitSettings(10, 10, 0, 0, 0, 0));
    Outcome o = floodThenPing(config, 600, rs -> {});
    o.assertEveryEventStoredOrNamed(600);
    assertThat(o.named).as("the rate limit refused some events").isNotEmpty();
  }

  @Test
  void aPongNeverCoversAnEventTheFullQueueRefused() throws Exception {
    // The queue is filled first (one REST batch), so the stream's events meet a full queue.
    Outcome o = floodThenPing(ServerConfig.forTests(dir).withMaxQueued(200), 400, rs -> {
      StringBuilder batch = new StringBuilder("{\"messages\":[");
      String conv = UUID.randomUUID().toString();
      for (int i = 0; i < 200; i++) {
        batch.append(i == 0 ? "" : ",").append("{\"conversation_id\":\"").append(conv).append("\",\"role\":\"user\",\"user_id\":\"v\",")
            .append("\"content\":\"").append(("On day " + i + " I walked to the old harbour with Maria and we talked about moving to Lisbon. ").repeat(8))
            .append("\"}");
      }
      assertThat(rs.post("/v1/conversations/messages/batch", batch.append("]}").toString(), rs.key).statusCode()).isLessThan(300);
    });
    o.assertEveryEventStoredOrNamed(400);
    assertThat(o.named).as("the full queue refused some events").isNotEmpty();
  }

  @Test
  void anEventRefusedAsInvalidIsNamedBeforeThePong() throws Exception {
    try (RunningServer rs = new RunningServer(ServerConfig.forTests(dir))) {
      ManagedChannel channel = rs.channel();
      try {
        RunningServer.Stream s = rs.new Stream(channel, rs.key);
        // Passes the shape rules, refused by the session's id rules.
        s.send(StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setEventType("user_message").setRole("user")
            .setContent("hello").setConversationId("not-a-uuid").putMetadata("event_id", "bad-conv")).build());
        s.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(-1)).build());
        Set<String> invalid = new HashSet<>();
        while (true) {
          StreamResponse r = s.responses.poll(5, java.util.concurrent.TimeUnit.SECONDS);
          assertThat(r).as("a pong").isNotNull();
          if (r.hasHeartbeatPong()) break;
          if (r.hasSignal() && r.getSignal().getSignalType().equals("invalid_event")) invalid.addAll(names(r.getSignal()));
        }
        assertThat(invalid).containsExactly("bad-conv");
      } finally {
        channel.shutdownNow();
      }
    }
  }

  /** What one stream learnt: the event ids named in signals before the pong, and what the store holds. */
  private record Outcome(Set<String> named, Set<String> stored, Set<String> signalTypes) {
    void assertEveryEventStoredOrNamed(int events) {
      Set<String> both = new HashSet<>(named);
      both.retainAll(stored);
      Set<String> neither = new HashSet<>();
      for (int i = 0; i < events; i++) if (!named.contains("ev-" + i) && !stored.contains("ev-" + i)) neither.add("ev-" + i);
      System.out.printf("pong promise: %d events, %d stored, %d named in signals (%s), %d both, %d neither%n", events, stored.size(), named.size(),
          signalTypes, both.size(), neither.size());
      assertThat(both).as("named as refused but stored").isEmpty();
      assertThat(neither).as("neither stored nor named, yet covered by the pong").isEmpty();
    }
  }

  interface Setup {
    void run(RunningServer rs) throws Exception;
  }

  private Outcome floodThenPing(ServerConfig config, int events, Setup setup) throws Exception {
    try (RunningServer rs = new RunningServer(config)) {
      rs.server.predictor(Predictor.NONE); // measure delivery, not retrieval
      setup.run(rs);
      ManagedChannel channel = rs.channel();
      try {
        RunningServer.Stream s = rs.new Stream(channel, rs.key);
        String conv = UUID.randomUUID().toString();
        for (int i = 0; i < events; i++) {
          s.send(StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setEventType("user_message").setRole("user")
              .setContent("flood message ev-" + i).setConversationId(conv).setUserId("u").putMetadata("event_id", "ev-" + i)).build());
        }
        s.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(-7)).build());
        Set<String> named = new HashSet<>();
        Set<String> types = new HashSet<>();
        while (true) {
          StreamResponse r = s.responses.poll(20, java.util.concurrent.TimeUnit.SECONDS);
          assertThat(r).as("the pong of the ping sent after every event").isNotNull();
          if (r.hasHeartbeatPong() && r.getHeartbeatPong().getTimestampMs() == -7) break;
          if (r.hasSignal()) {
            named.addAll(names(r.getSignal()));
            types.add(r.getSignal().getSignalType());
          }
        }
        return new Outcome(named, stored(), types);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  /** The events a signal names: {@code event_ids} (a JSON array) or, failing that, {@code event_id}. */
  static Set<String> names(StreamSignal s) throws Exception {
    Set<String> out = new HashSet<>();
    String ids = s.getMetadataMap().get("event_ids");
    if (ids != null) {
      for (var n : JSON.readTree(ids)) out.add(n.asText());
    } else if (s.getMetadataMap().containsKey("event_id")) {
      out.add(s.getMetadataMap().get("event_id"));
    }
    return out;
  }

  /** The event ids stored, read from the message text ("flood message ev-N"). */
  private Set<String> stored() throws Exception {
    Set<String> out = new HashSet<>();
    try (var c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("synap.db"));
        var ps = c.prepareStatement("SELECT content FROM messages");
        var rs = ps.executeQuery()) {
      while (rs.next()) {
        String content = rs.getString(1);
        if (content.startsWith("flood message ")) out.add(content.substring("flood message ".length()));
      }
    }
    return out;
  }
}
