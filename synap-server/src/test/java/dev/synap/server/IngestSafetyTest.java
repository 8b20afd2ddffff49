package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Single requests that used to stop extraction or exhaust the server, replayed through a real
 * server over REST: each gets a bounded answer quickly and the queue keeps moving.
 */
class IngestSafetyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  private static String body(Map<String, Object> fields) throws Exception {
    return JSON.writeValueAsString(fields);
  }

  private static String status(RunningServer rs, String messageId) throws Exception {
    return json(rs.get("/v1/conversations/messages/" + messageId + "/status", rs.key)).path("status").asText();
  }

  /**
   * The reproduction from the review: three messages of 8,000 words "Abc" (32,000 characters, under
   * the content limit) overflowed the stack in both extraction workers; they stayed processing and
   * every message after them stayed queued, for every tenant.
   */
  @Test
  void threeMessagesOfEightThousandCapitalisedWordsDoNotStopExtraction() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) { // two extraction workers, as the review ran it
      String conv = UUID.randomUUID().toString();
      String huge = "Abc ".repeat(8_000).strip();
      List<String> big = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r = rs.post("/v1/conversations/messages",
            body(Map.of("conversation_id", conv, "role", "user", "user_id", "pat", "content", huge + " " + i)), rs.key);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        big.add(json(r).path("message_id").asText());
      }
      HttpResponse<String> r = rs.post("/v1/conversations/messages",
          body(Map.of("conversation_id", conv, "role", "user", "user_id", "pat", "content", "I adopted a dog named Toby last week.")), rs.key);
      String normal = json(r).path("message_id").asText();

      long deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline && !status(rs, normal).equals("completed")) Thread.sleep(50);
      assertThat(status(rs, normal)).isEqualTo("completed");
      while (System.nanoTime() < deadline && big.stream().anyMatch(id -> {
        try {
          return !Set.of("completed", "failed").contains(status(rs, id));
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      })) {
        Thread.sleep(50);
      }
      for (String id : big) assertThat(status(rs, id)).as("message " + id).isIn("completed", "failed");
    }
  }

  @Test
  void aTranscriptOfTwoHundredThousandLinesIsRefusedQuicklyWithTheEnvelope() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      String transcript = "a\n".repeat(200_000);
      long start = System.nanoTime();
      HttpResponse<String> r = rs.post("/v1/conversations/ingest", body(Map.of("conversation_id", "call-1", "user_id", "pat",
          "transcript", transcript)), rs.key);
      long millis = (System.nanoTime() - start) / 1_000_000;

      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(json(r).path("code").asText()).isEqualTo("invalid_input");
      assertThat(json(r).path("detail").asText()).contains("10000 turns");
      assertThat(millis).as("milliseconds to answer").isLessThan(5_000);
      assertThat(rs.server.engine().ingest().queueDepth()).isZero();
    }
  }

  @Test
  void aTranscriptAtTheTurnLimitIsAcceptedAndHashedQuickly() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      StringBuilder transcript = new StringBuilder();
      for (int i = 0; i < 10_000; i++) transcript.append(i % 2 == 0 ? "user: " : "assistant: ").append("turn number ").append(i).append(" of a long call\n");
      Map<String, Object> request = Map.of("conversation_id", "call-2", "user_id", "pat", "transcript", transcript.toString());
      long start = System.nanoTime();
      HttpResponse<String> r = rs.post("/v1/conversations/ingest", body(request), rs.key);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(json(r).path("turns_recorded").asInt()).isEqualTo(10_000);
      assertThat(millis).as("milliseconds to accept 10,000 turns").isLessThan(10_000);

      HttpResponse<String> again = rs.post("/v1/conversations/ingest", body(request), rs.key);
      assertThat(json(again).path("status").asText()).isEqualTo("duplicate");
    }
  }

  @Test
  void aLineLongerThanAMessageIsRefusedLikeALongTurn() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      HttpResponse<String> r = rs.post("/v1/conversations/ingest", body(Map.of("conversation_id", "call-3", "user_id", "pat",
          "transcript", "user: hello\nuser: " + "x".repeat(40_000) + "\n")), rs.key);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
      assertThat(json(r).path("code").asText()).isEqualTo("invalid_input");
    }
  }

  /**
   * About 1 MB of JSON whose every value sits under a long key path: flattened naively, the path is
   * copied into each of ~100,000 values (gigabytes). Refused at once instead, with the envelope.
   */
  @Test
  void aDeeplyNestedJsonDocumentIsRefusedQuicklyWithTheEnvelope() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      String key = "k".repeat(100);
      StringBuilder doc = new StringBuilder();
      for (int i = 0; i < 100; i++) doc.append("{\"").append(key).append("\":");
      doc.append('[').append("1,".repeat(490_000)).append("1]");
      doc.append("}".repeat(100));
      assertThat(doc.length()).isBetween(900_000, 1_000_000);

      long start = System.nanoTime();
      HttpResponse<String> r = rs.post("/api/v1/memories/create", "{\"document\":" + doc + ",\"document_type\":\"json\",\"user_id\":\"pat\"}", rs.key);
      long millis = (System.nanoTime() - start) / 1_000_000;

      assertThat(r.statusCode()).as(r.body().substring(0, Math.min(300, r.body().length()))).isEqualTo(400);
      assertThat(json(r).path("code").asText()).isEqualTo("invalid_input");
      assertThat(json(r).path("detail").asText()).contains("flattened");
      assertThat(millis).as("milliseconds to answer").isLessThan(5_000);
    }
  }
}
