package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Documents, transcripts and memory CRUD over REST (contract 9.5 and 9.12), plus user deletion. */
class MemoriesApiTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  RunningServer rs;

  @BeforeEach
  void start() {
    rs = new RunningServer(dir);
  }

  @AfterEach
  void stop() {
    rs.close();
  }

  private JsonNode ok(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rs.server.httpPort() + path))
        .header("Authorization", "Bearer " + rs.key).header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
    return rs.http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void documentLifecycleCreateStatusGetUpdateHistoryDelete() throws Exception {
    String doc = "# Travel\\n\\nHenry prefers aisle seats on long flights.\\n\\n## Food\\n\\nHenry is allergic to peanuts.";
    JsonNode created = ok(rs.post("/api/v1/memories/create", "{\"document\":\"" + doc + "\",\"document_type\":\"document\",\"document_id\":\"prefs-1\","
        + "\"document_created_at\":null,\"user_id\":\"henry\",\"customer_id\":null,\"mode\":\"long-range\",\"metadata\":{}}", rs.key));
    assertThat(created.get("status").asText()).isEqualTo("queued");
    assertThat(created.get("document_id").asText()).isEqualTo("prefs-1");
    String ingestion = created.get("ingestion_id").asText();
    rs.awaitIngested();

    JsonNode status = ok(rs.get("/api/v1/memories/status/" + ingestion, rs.key));
    assertThat(status.get("status").asText()).isEqualTo("completed");
    assertThat(status.get("memories_created").asInt()).isEqualTo(2);
    String memoryId = status.get("memory_ids").get(1).asText();

    JsonNode memory = ok(rs.get("/api/v1/memories/" + memoryId, rs.key));
    assertThat(memory.get("content").asText()).isEqualTo("Travel > Food: Henry is allergic to peanuts.");
    assertThat(memory.get("source_document_id").asText()).isEqualTo("prefs-1");

    // Same id and content again: a duplicate, nothing new queued. Other content under the same id: 409.
    JsonNode again = ok(rs.post("/api/v1/memories/create", "{\"document\":\"" + doc + "\",\"document_id\":\"prefs-1\",\"user_id\":\"henry\"}", rs.key));
    assertThat(again.get("status").asText()).isEqualTo("duplicate");
    assertThat(again.get("ingestion_id").asText()).isEqualTo(ingestion);
    assertThat(rs.post("/api/v1/memories/create", "{\"document\":\"other\",\"document_id\":\"prefs-1\",\"user_id\":\"henry\"}", rs.key).statusCode()).isEqualTo(409);

    JsonNode updated = ok(send("PATCH", "/api/v1/memories/" + memoryId, "{\"document\":\"Henry is allergic to peanuts. He carries an EpiPen.\"}"));
    // smart-merge keeps what was there and adds only the sentence that is new
    assertThat(updated.get("content").asText()).isEqualTo("Travel > Food: Henry is allergic to peanuts. He carries an EpiPen.");

    JsonNode deleted = ok(send("DELETE", "/api/v1/memories/" + memoryId, null));
    assertThat(deleted.get("memory_id").asText()).isEqualTo(memoryId);
    assertThat(rs.get("/api/v1/memories/" + memoryId, rs.key).statusCode()).isEqualTo(404);
    JsonNode history = ok(rs.get("/api/v1/memories/" + memoryId + "/history", rs.key));
    assertThat(history.get("history")).extracting(h -> h.get("action").asText()).containsExactly("created", "updated", "deleted");

    // A deleted memory is never served again.
    JsonNode fetched = ok(rs.post("/v1/context/user/fetch", "{\"user_id\":\"henry\",\"search_query\":[\"peanuts allergy\"]}", rs.key));
    assertThat(fetched.toString()).doesNotContain("peanuts");
  }

  @Test
  void transcriptIngestIsIdempotentAndConflictsAreTyped() throws Exception {
    String body = "{\"conversation_id\":\"support-call-7\",\"user_id\":\"ivy\",\"transcript\":["
        + "{\"role\":\"user\",\"content\":\"My router keeps dropping the connection.\",\"timestamp\":\"2024-03-01T10:00:00Z\",\"speaker\":\"Ivy\",\"metadata\":null},"
        + "{\"role\":\"assistant\",\"content\":\"Let us reset it to factory settings.\",\"timestamp\":null,\"speaker\":null,\"metadata\":null}]}";
    JsonNode first = ok(rs.post("/v1/conversations/ingest", body, rs.key));
    assertThat(first.get("status").asText()).isEqualTo("queued");
    assertThat(first.get("turns_recorded").asInt()).isEqualTo(2);
    assertThat(first.get("external_conversation_id").asText()).isEqualTo("support-call-7");
    assertThat(UUID.fromString(first.get("conversation_id").asText())).isNotNull();
    assertThat(ok(rs.post("/v1/conversations/ingest", body, rs.key)).get("status").asText()).isEqualTo("duplicate");

    HttpResponse<String> conflict = rs.post("/v1/conversations/ingest", body.replace("dropping", "losing"), rs.key);
    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(conflict.body()).get("detail").get("code").asText()).isEqualTo("transcript_conflict");
    rs.awaitIngested();
    JsonNode fetched = ok(rs.post("/v1/context/user/fetch", "{\"user_id\":\"ivy\",\"search_query\":[\"router connection\"]}", rs.key));
    assertThat(fetched.toString()).contains("router keeps dropping");
  }

  @Test
  void deletingAUserRemovesEveryMemoryAndRawMessageAndNothingElse() throws Exception {
    String conv = UUID.randomUUID().toString();
    for (String[] m : new String[][] {{"jack", "I live at 12 Elm Street."}, {"jack", "My cat Whiskerton was born in Lisbon."},
        {"kate", "I live on Oak Avenue."}}) {
      ok(rs.post("/v1/conversations/messages", "{\"conversation_id\":\"" + (m[0].equals("jack") ? conv : UUID.randomUUID())
          + "\",\"role\":\"user\",\"content\":\"" + m[1] + "\",\"user_id\":\"" + m[0] + "\"}", rs.key));
    }
    ok(rs.post("/api/v1/memories/create", "{\"document\":\"Jack drives a red bicycle.\",\"user_id\":\"jack\"}", rs.key));
    rs.awaitIngested();

    JsonNode d = ok(send("DELETE", "/v1/users/jack", null));
    assertThat(d.get("deleted").get("memories").asInt()).isEqualTo(3);
    assertThat(d.get("deleted").get("messages").asInt()).isEqualTo(3);

    var engine = rs.server.engine();
    String instance = engine.tenancy().instances().getFirst().instanceId();
    assertThat(engine.store().messages().byUser(instance, "jack", 100)).isEmpty();
    assertThat(engine.store().memories().list(new dev.synap.core.store.MemoryFilter(instance, null, null, null, null, java.util.Set.of(), true), 100, 0))
        .extracting(dev.synap.core.model.Memory::content).containsExactly("I live on Oak Avenue.");
    // Searching the store for the deleted text finds nothing, in any table.
    for (String table : new String[] {"messages", "memories", "memory_history", "conversations", "entities", "entity_aliases"}) {
      assertThat(countRowsContaining(table, "Elm Street")).as(table).isZero();
      assertThat(countRowsContaining(table, "Whiskerton")).as(table).isZero();
      assertThat(countRowsContaining(table, "bicycle")).as(table).isZero();
    }
    JsonNode fetched = ok(rs.post("/v1/context/user/fetch", "{\"user_id\":\"jack\",\"search_query\":[\"where do I live\"]}", rs.key));
    assertThat(fetched.get("context").toString()).doesNotContain("Elm");
  }

  private long countRowsContaining(String table, String text) throws Exception {
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("synap.db"));
        var ps = c.prepareStatement("SELECT COUNT(*) FROM " + table + " t WHERE instr(CAST((SELECT group_concat(value) FROM json_each(json_array(t.*))) AS TEXT), ?) > 0")) {
      ps.setString(1, text);
      try (var rsl = ps.executeQuery()) {
        return rsl.next() ? rsl.getLong(1) : 0;
      }
    } catch (java.sql.SQLException e) {
      // json_array(t.*) is not valid SQL everywhere; fall back to a full dump of the table.
      try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("synap.db"));
          var st = c.createStatement(); var rsl = st.executeQuery("SELECT * FROM " + table)) {
        long n = 0;
        int cols = rsl.getMetaData().getColumnCount();
        while (rsl.next()) {
          for (int i = 1; i <= cols; i++) {
            String v = rsl.getString(i);
            if (v != null && v.contains(text)) {
              n++;
              break;
            }
          }
        }
        return n;
      }
    }
  }
}
