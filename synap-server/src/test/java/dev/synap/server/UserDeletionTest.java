package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.core.tenant.RelationshipMode;
import dev.synap.server.config.ServerConfig;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code DELETE /v1/users/{id}} leaves no trace of the user's words: not in any column of any
 * table (the full-text shadow tables included), not in the raw bytes of {@code synap.db} and its
 * WAL, not in any term of the Lucene index; scoped by customer in B2B; and an indexing job that
 * was in flight when the user was deleted does not put the text back.
 */
class UserDeletionTest {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Invented words, each checked by an inner part so that stemming and case do not hide it. */
  static final String SAID = "Vrentaquiflux", SAID_PART = "rentaquiflu";
  static final String DELETED_EARLIER = "Zorbelquintic", DELETED_EARLIER_PART = "orbelquinti";
  static final String ASSISTANT_SAID = "Quaffelbrisk", ASSISTANT_SAID_PART = "uaffelbris";
  static final String IN_FLIGHT = "Plonkavetrish", IN_FLIGHT_PART = "lonkavetris";
  static final List<String> PARTS = List.of(SAID_PART, DELETED_EARLIER_PART, ASSISTANT_SAID_PART);

  @TempDir Path dir;
  RunningServer rs;

  @AfterEach
  void stop() {
    if (rs != null) rs.close();
  }

  @Test
  void deletingAUserLeavesNoTraceInAnyTableTheIndexOrTheDatabaseFiles() throws Exception {
    rs = new RunningServer(dir);
    String conv = UUID.randomUUID().toString();
    say(conv, "user", "zed", null, "My neighbour " + SAID + " grows purple tomatoes in the garden.");
    say(conv, "assistant", "zed", null, SAID + " sounds like a wonderful gardener to know.");
    say(conv, "assistant", null, null, "Say hello to " + ASSISTANT_SAID + " from me next time you visit.");
    say(UUID.randomUUID().toString(), "user", "kate", null, "I live on Oak Avenue near the old mill.");
    // A memory created, edited and then deleted one by one through the memories API.
    String ingestion = ok(rs.post("/api/v1/memories/create",
        "{\"document\":\"Zed keeps a diary about " + DELETED_EARLIER + " adventures.\",\"user_id\":\"zed\"}", rs.key)).get("ingestion_id").asText();
    rs.awaitIngested();
    List<String> created = new ArrayList<>();
    ok(rs.get("/api/v1/memories/status/" + ingestion, rs.key)).get("memory_ids").forEach(id -> created.add(id.asText()));
    assertThat(created).isNotEmpty();
    for (String id : created) {
      ok(send("PATCH", "/api/v1/memories/" + id, "{\"document\":\"Zed keeps a diary about " + DELETED_EARLIER + " adventures. " + DELETED_EARLIER + " is far away.\"}"));
      ok(send("DELETE", "/api/v1/memories/" + id, null));
    }
    compact(conv);
    rs.awaitIngested();

    // The checks below can see the words: before the deletion every one of them finds them.
    String instance = rs.server.engine().tenancy().instances().getFirst().instanceId();
    rs.server.engine().index().forInstance(instance).commit();
    assertThat(tableHits(PARTS)).contains(SAID_PART, DELETED_EARLIER_PART, ASSISTANT_SAID_PART);
    assertThat(fileHits(PARTS)).contains(SAID_PART);
    assertThat(indexHits(instance, PARTS)).contains(SAID_PART, ASSISTANT_SAID_PART);
    assertThat(relationRows()).as("zed's neighbour relation").isPositive();

    JsonNode deleted = ok(send("DELETE", "/v1/users/zed", null));
    assertThat(deleted.get("deleted").get("messages").asInt())
        .as("zed's two turns, the document's chunk, and the assistant's turn without user id in zed's conversation").isEqualTo(4);

    assertThat(tableHits(PARTS)).as("any column of any table").isEmpty();
    assertThat(relationRows()).as("relations stated by the deleted memories").isZero();
    assertThat(fileHits(PARTS)).as("raw bytes of synap.db and synap.db-wal").isEmpty();
    rs.awaitIngested(); // the index's segments are rewritten in the background
    assertThat(indexHits(instance, PARTS)).as("terms of every Lucene segment").isEmpty();
    assertThat(rs.get("/v1/conversations/" + conv + "/compacted", rs.key).statusCode()).isEqualTo(404);
    // Nothing of anyone else went with it.
    JsonNode kate = ok(rs.post("/v1/context/user/fetch", "{\"user_id\":\"kate\",\"search_query\":[\"where do I live\"]}", rs.key));
    assertThat(kate.toString()).contains("Oak Avenue");
  }

  @Test
  void inB2bDeletingAUserOfOneCustomerLeavesTheSameUserIdOfAnotherCustomerIntact() throws Exception {
    rs = new RunningServer(ServerConfig.forTests(dir).withMode(RelationshipMode.B2B));
    String acme = UUID.randomUUID().toString();
    String globex = UUID.randomUUID().toString();
    say(acme, "user", "sam", "acme", "I manage the warehouse in Rotterdam for the whole region.");
    say(globex, "user", "sam", "globex", "I design sailing boats in Gdansk for private owners.");
    rs.awaitIngested();
    compact(acme);
    compact(globex);

    ok(send("DELETE", "/v1/users/sam?customer_id=acme", null));

    assertThat(rs.get("/v1/conversations/" + acme + "/compacted", rs.key).statusCode()).isEqualTo(404);
    assertThat(rs.get("/v1/conversations/" + globex + "/compacted", rs.key).statusCode()).as("globex's sam keeps the compaction").isEqualTo(200);
    JsonNode globexSam = ok(rs.get("/api/v1/memories?user_id=sam&customer_id=globex", rs.key));
    assertThat(globexSam.toString()).contains("Gdansk");
    JsonNode acmeSam = ok(rs.get("/api/v1/memories?user_id=sam&customer_id=acme", rs.key));
    assertThat(acmeSam.toString()).doesNotContain("Rotterdam");
  }

  @Test
  void anIndexingJobInFlightWhenTheUserIsDeletedDoesNotPutTheTextBack() throws Exception {
    rs = new RunningServer(dir);
    String instance = rs.server.engine().tenancy().instances().getFirst().instanceId();
    var index = rs.server.engine().index();
    index.pause();
    String message = say(UUID.randomUUID().toString(), "user", "ria", null, "My cousin " + IN_FLIGHT + " repairs old clocks in Vienna.");
    // Extracted and committed to the store; its indexing job waits behind the paused indexer.
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!ok(rs.get("/v1/conversations/messages/" + message + "/status", rs.key)).get("status").asText().equals("completed")) {
      assertThat(System.nanoTime()).as("extraction finished").isLessThan(deadline);
      Thread.sleep(20);
    }
    ok(send("DELETE", "/v1/users/ria", null));
    index.resume();
    rs.awaitIngested();

    var idx = index.forInstance(instance);
    try (var view = idx.view()) {
      assertThat(view.lexical(idx.analyze(IN_FLIGHT), new org.apache.lucene.search.MatchAllDocsQuery(), 10)).as("searchable again").isEmpty();
    }
    idx.commit();
    assertThat(indexHits(instance, List.of(IN_FLIGHT_PART))).as("terms of every Lucene segment").isEmpty();
  }

  private String say(String conversation, String role, String user, String customer, String content) throws Exception {
    String body = "{\"conversation_id\":\"" + conversation + "\",\"role\":\"" + role + "\",\"content\":\"" + content + "\""
        + (user == null ? "" : ",\"user_id\":\"" + user + "\"") + (customer == null ? "" : ",\"customer_id\":\"" + customer + "\"") + "}";
    return ok(rs.post("/v1/conversations/messages", body, rs.key)).get("message_id").asText();
  }

  private void compact(String conversation) throws Exception {
    ok(rs.post("/v1/conversations/compact", "{\"conversation_id\":\"" + conversation + "\",\"force\":true}", rs.key));
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!ok(rs.get("/v1/conversations/" + conversation + "/compaction/status", rs.key)).get("status").asText().equals("completed")) {
      assertThat(System.nanoTime()).as("compaction finished").isLessThan(deadline);
      Thread.sleep(20);
    }
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

  /** Rows of entity_relations (they hold ids only, which the word scan cannot see). */
  private long relationRows() throws Exception {
    try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("synap.db"));
        var rsRows = c.createStatement().executeQuery("SELECT count(*) FROM entity_relations")) {
      rsRows.next();
      return rsRows.getLong(1);
    }
  }

  private List<String> tableHits(List<String> parts) throws Exception {
    return Traces.tableHits(dir, parts);
  }

  private List<String> fileHits(List<String> parts) throws Exception {
    return Traces.fileHits(dir, parts);
  }

  private List<String> indexHits(String instance, List<String> parts) throws Exception {
    return Traces.indexHits(dir, instance, parts);
  }
}
