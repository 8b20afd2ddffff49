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
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 item 7: deleting a conversation or a B2B customer leaves no trace of its words, with
 * the completeness checks of {@link UserDeletionTest} (tables, database files, index), and takes
 * nothing else with it.
 */
class ConversationAndCustomerDeletionTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String ONLY_HERE = "Gribbleflonk", ONLY_HERE_PART = "ribbleflon";
  static final String ASSISTANT = "Snorvelpaxt", ASSISTANT_PART = "norvelpax";
  static final String ELSEWHERE = "Trumbledorf", ELSEWHERE_PART = "rumbledor";
  static final String CUSTOMER_DOC = "Plimquastery", CUSTOMER_DOC_PART = "limquaster";
  @TempDir Path dir;
  RunningServer rs;

  @AfterEach
  void stop() {
    if (rs != null) rs.close();
  }

  @Test
  void deletingAConversationRemovesItsTurnsMemoriesCompactionsAndIndexEntriesOnly() throws Exception {
    rs = new RunningServer(dir);
    String conv = UUID.randomUUID().toString();
    String other = UUID.randomUUID().toString();
    say(conv, "user", "nia", null, "My piano teacher " + ONLY_HERE + " lives in a lighthouse near Brest.");
    say(conv, "assistant", "nia", null, "Then " + ASSISTANT + " must have a wonderful view of the sea.");
    say(other, "user", "nia", null, "My sister " + ELSEWHERE + " breeds alpacas in the Andes.");
    rs.awaitIngested();
    compact(conv);
    String instance = rs.server.engine().tenancy().instances().getFirst().instanceId();
    rs.server.engine().index().forInstance(instance).commit();
    List<String> parts = List.of(ONLY_HERE_PART, ASSISTANT_PART);
    assertThat(Traces.tableHits(dir, parts)).containsExactlyInAnyOrderElementsOf(parts);
    assertThat(Traces.indexHits(dir, instance, parts)).contains(ONLY_HERE_PART);

    JsonNode deleted = ok(send("DELETE", "/v1/conversations/" + conv));
    assertThat(deleted.path("deleted").path("messages").asInt()).isEqualTo(2);
    assertThat(deleted.path("deleted").path("memories").asInt()).isPositive();

    assertThat(Traces.tableHits(dir, parts)).as("any column of any table").isEmpty();
    assertThat(Traces.fileHits(dir, parts)).as("raw bytes of synap.db and its WAL").isEmpty();
    rs.awaitIngested();
    assertThat(Traces.indexHits(dir, instance, parts)).as("terms and files of the index").isEmpty();
    assertThat(rs.get("/v1/conversations/" + conv + "/compacted", rs.key).statusCode()).isEqualTo(404);
    assertThat(send("DELETE", "/v1/conversations/" + conv).statusCode()).as("nothing left: 404").isEqualTo(404);
    // The other conversation of the same user is untouched.
    assertThat(Traces.tableHits(dir, List.of(ELSEWHERE_PART))).containsExactly(ELSEWHERE_PART);
    JsonNode fetched = ok(rs.post("/v1/context/user/fetch", "{\"user_id\":\"nia\",\"search_query\":[\"alpacas sister\"]}", rs.key));
    assertThat(fetched.toString()).contains(ELSEWHERE).doesNotContain(ONLY_HERE);
  }

  @Test
  void deletingACustomerRemovesItsUsersAndItsOwnDocumentsButNoOtherCustomer() throws Exception {
    rs = new RunningServer(ServerConfig.forTests(dir).withMode(RelationshipMode.B2B));
    say(UUID.randomUUID().toString(), "user", "ola", "acme", "Our supplier " + ONLY_HERE + " ships copper wire from Chile.");
    say(UUID.randomUUID().toString(), "user", "pam", "acme", "I booked " + ASSISTANT + " for the team offsite in May.");
    ok(rs.post("/api/v1/memories/create", "{\"document\":\"The acme handbook says " + CUSTOMER_DOC + " is the escalation contact.\","
        + "\"customer_id\":\"acme\"}", rs.key));
    say(UUID.randomUUID().toString(), "user", "ola", "globex", "Our supplier " + ELSEWHERE + " ships steel beams from Korea.");
    rs.awaitIngested();
    String instance = rs.server.engine().tenancy().instances().getFirst().instanceId();
    rs.server.engine().index().forInstance(instance).commit();
    List<String> parts = List.of(ONLY_HERE_PART, ASSISTANT_PART, CUSTOMER_DOC_PART);
    assertThat(Traces.tableHits(dir, parts)).containsExactlyInAnyOrderElementsOf(parts);

    JsonNode deleted = ok(send("DELETE", "/v1/customers/acme"));
    assertThat(deleted.path("deleted").path("messages").asInt()).isEqualTo(3);

    assertThat(Traces.tableHits(dir, parts)).as("any column of any table").isEmpty();
    assertThat(Traces.fileHits(dir, parts)).as("raw bytes of synap.db and its WAL").isEmpty();
    rs.awaitIngested();
    assertThat(Traces.indexHits(dir, instance, parts)).as("terms and files of the index").isEmpty();
    JsonNode globex = ok(rs.get("/api/v1/memories?user_id=ola&customer_id=globex", rs.key));
    assertThat(globex.toString()).contains(ELSEWHERE);
  }

  @Test
  void customersExistOnlyInB2b() throws Exception {
    rs = new RunningServer(dir);
    HttpResponse<String> r = send("DELETE", "/v1/customers/acme");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(r.body()).path("detail").asText()).contains("B2B");
  }

  private void say(String conversation, String role, String user, String customer, String content) throws Exception {
    String body = "{\"conversation_id\":\"" + conversation + "\",\"role\":\"" + role + "\",\"content\":\"" + content + "\""
        + (user == null ? "" : ",\"user_id\":\"" + user + "\"") + (customer == null ? "" : ",\"customer_id\":\"" + customer + "\"") + "}";
    ok(rs.post("/v1/conversations/messages", body, rs.key));
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

  private HttpResponse<String> send(String method, String path) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + rs.server.httpPort() + path))
        .header("Authorization", "Bearer " + rs.key).method(method, HttpRequest.BodyPublishers.noBody()).build();
    return rs.http.send(req, HttpResponse.BodyHandlers.ofString());
  }
}
