package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.proto.v1.ContextBundleProto;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.HeartbeatPing;
import dev.synap.proto.v1.SessionControl;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 item 9 over raw gRPC: tool_result, session_start / session_end and SessionControl are acted on. */
class StreamEventsParityTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private static StreamEvent event(String type, String conversation, String user, String content) {
    return StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setEventType(type).setRole("assistant")
        .setConversationId(conversation).setUserId(user).setContent(content).putMetadata("event_id", UUID.randomUUID().toString())
        .setTimestampMs(System.currentTimeMillis())).build();
  }

  /** The next bundle of this origin pattern (other pushes, such as memory updates, are skipped). */
  private static ContextBundleProto bundle(RunningServer.Stream s, String pattern) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      StreamResponse r = s.next(StreamResponse.PayloadCase.CONTEXT_BUNDLE, 100);
      if (r != null && r.getContextBundle().getOriginPatternId().equals(pattern)) return r.getContextBundle();
    }
    return null;
  }

  private static void pingAndWait(RunningServer.Stream s) throws InterruptedException {
    s.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(42)).build());
    assertThat(s.next(StreamResponse.PayloadCase.HEARTBEAT_PONG, 10_000)).isNotNull();
  }

  @Test
  void aToolResultIsRecordedAndAnticipatesTheNextStep() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      String conv = UUID.randomUUID().toString();
      rs.post("/v1/conversations/messages", "{\"conversation_id\":\"" + conv + "\",\"role\":\"user\",\"user_id\":\"eva\","
          + "\"content\":\"I always stay at the Hotel Miramar when I visit Lisbon.\"}", rs.key);
      rs.awaitIngested();
      ManagedChannel channel = rs.channel();
      try {
        RunningServer.Stream s = rs.new Stream(channel, rs.key);
        s.send(StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setEventType("tool_result").setRole("assistant")
            .setConversationId(conv).setUserId("eva").setToolName("search_hotels").setContent("{\"city\":\"Lisbon\",\"available\":[\"Miramar\"]}")
            .putMetadata("event_id", UUID.randomUUID().toString())).build());
        ContextBundleProto next = bundle(s, "tool_result.next_step");
        assertThat(next).as("a bundle for the next step").isNotNull();
        assertThat(next.toString()).contains("Miramar");
        pingAndWait(s);
        JsonNode stored = JSON.readTree(rs.get("/api/v1/memories?user_id=eva&conversation_id=" + conv, rs.key).body());
        assertThat(stored.path("total").asInt()).isPositive();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("synap.db"));
            var rsq = c.createStatement().executeQuery("SELECT count(*) FROM messages WHERE kind = 'tool_result' AND content LIKE '%Miramar%'")) {
          assertThat(rsq.getInt(1)).as("the tool result is recorded").isEqualTo(1);
        }
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void aSessionStartPushesTheUsersSummaryAndASessionEndCompacts() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      String conv = UUID.randomUUID().toString();
      rs.post("/v1/conversations/messages", "{\"conversation_id\":\"" + UUID.randomUUID() + "\",\"role\":\"user\",\"user_id\":\"finn\","
          + "\"content\":\"I work as a lighthouse keeper on the island of Sark.\"}", rs.key);
      rs.awaitIngested();
      ManagedChannel channel = rs.channel();
      try {
        RunningServer.Stream s = rs.new Stream(channel, rs.key);
        s.send(event("session_start", conv, "finn", ""));
        ContextBundleProto summary = bundle(s, "session_start.user_summary");
        assertThat(summary).isNotNull();
        assertThat(summary.getBundleType()).isEqualTo("user_summary");
        assertThat(summary.getAnticipationUserId()).isEqualTo("finn");
        assertThat(summary.toString()).contains("lighthouse");

        // The same through SessionControl, which the official client defines but never sends.
        s.send(StreamEvent.newBuilder().setSessionControl(SessionControl.newBuilder().setAction("start").setConversationId(conv)
            .setUserId("finn")).build());
        assertThat(bundle(s, "session_start.user_summary")).isNotNull();

        s.send(event("user_message", conv, "finn", "Tonight the fog horn broke and I fixed it with a spare valve."));
        s.send(event("assistant_message", conv, "finn", "Well done fixing the fog horn with the spare valve."));
        s.send(StreamEvent.newBuilder().setSessionControl(SessionControl.newBuilder().setAction("end").setConversationId(conv)
            .setUserId("finn")).build());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonNode status;
        do {
          Thread.sleep(50);
          status = JSON.readTree(rs.get("/v1/conversations/" + conv + "/compaction/status", rs.key).body());
          assertThat(System.nanoTime()).as("the session end compacted: " + status).isLessThan(deadline);
        } while (!status.path("status").asText().equals("completed"));
        JsonNode compacted = JSON.readTree(rs.get("/v1/conversations/" + conv + "/compacted", rs.key).body());
        assertThat(compacted.path("formatted_context").asText()).contains("fog horn");
      } finally {
        channel.shutdownNow();
      }
    }
  }
}
