package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.core.tenant.RelationshipMode;
import dev.synap.server.config.ServerConfig;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16 items 1, 2, 6 (transcripts) and 8: what a user fetch, summary mode and records do. */
class ContextFetchParityTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;
  RunningServer rs;

  @AfterEach
  void stop() {
    if (rs != null) rs.close();
  }

  private JsonNode ok(HttpResponse<String> r) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  private static List<JsonNode> items(JsonNode response) {
    List<JsonNode> out = new ArrayList<>();
    response.path("context").forEach(list -> list.forEach(out::add));
    return out;
  }

  private void say(String conversation, String user, String customer, String content) throws Exception {
    ok(rs.post("/v1/conversations/messages", "{\"conversation_id\":\"" + conversation + "\",\"role\":\"user\",\"content\":\"" + content + "\""
        + (user == null ? "" : ",\"user_id\":\"" + user + "\"") + (customer == null ? "" : ",\"customer_id\":\"" + customer + "\"") + "}", rs.key));
  }

  @Test
  void aUserFetchAlsoReadsTheCustomersAndTheClientsDocumentsLabelledAndTheNarrowerScopeWins() throws Exception {
    rs = new RunningServer(ServerConfig.forTests(dir).withMode(RelationshipMode.B2B));
    say(UUID.randomUUID().toString(), "ivy", "acme", "The quarterly report deadline is the third Friday of the month.");
    ok(rs.post("/api/v1/memories/create", "{\"document\":\"The quarterly report deadline is the third Friday of the month.\",\"customer_id\":\"acme\"}", rs.key));
    ok(rs.post("/api/v1/memories/create", "{\"document\":\"Expense claims for the quarterly report are filed in the Ledgerly portal.\","
        + "\"customer_id\":\"acme\"}", rs.key));
    ok(rs.post("/api/v1/memories/create", "{\"document\":\"Every quarterly report uses the Helvetica template from the brand kit.\"}", rs.key));
    ok(rs.post("/api/v1/memories/create", "{\"document\":\"The quarterly report of globex is due on Mondays.\",\"customer_id\":\"globex\"}", rs.key));
    rs.awaitIngested();

    JsonNode r = ok(rs.post("/v1/context/user/fetch", "{\"user_id\":\"ivy\",\"customer_id\":\"acme\",\"search_query\":[\"quarterly report deadline\","
        + "\"expense claims portal\",\"report template\"],\"max_results\":10}", rs.key));
    List<JsonNode> items = items(r);
    assertThat(r.path("metadata").path("scopes_queried")).extracting(JsonNode::asText).containsExactly("user", "customer", "client");
    assertThat(items).extracting(i -> i.path("scope").asText()).contains("user", "customer", "client");
    assertThat(r.toString()).contains("Ledgerly").contains("Helvetica").doesNotContain("globex");
    // The same statement held by the user and by the customer comes once, as the user's.
    List<JsonNode> deadline = items.stream().filter(i -> i.path("content").asText().contains("third Friday")).toList();
    assertThat(deadline).hasSize(1);
    assertThat(deadline.getFirst().path("scope").asText()).isEqualTo("user");
  }

  @Test
  void aConversationIdNarrowsTheUsersOwnMemoriesToThatConversation() throws Exception {
    rs = new RunningServer(dir);
    String trip = UUID.randomUUID().toString();
    String work = UUID.randomUUID().toString();
    say(trip, "joe", null, "I am packing hiking boots for the Dolomites trip.");
    say(work, "joe", null, "I am packing the hiking poster for the office wall.");
    rs.awaitIngested();
    JsonNode all = ok(rs.post("/v1/context/user/fetch", "{\"user_id\":\"joe\",\"search_query\":[\"packing hiking\"]}", rs.key));
    assertThat(all.toString()).contains("Dolomites").contains("poster");
    JsonNode narrowed = ok(rs.post("/v1/context/user/fetch", "{\"user_id\":\"joe\",\"conversation_id\":\"" + trip
        + "\",\"search_query\":[\"packing hiking\"]}", rs.key));
    assertThat(narrowed.toString()).contains("Dolomites").doesNotContain("poster");
  }

  @Test
  void summaryModeAnswersTheProfileAndTheLastConversationsWithTheirSummaries() throws Exception {
    rs = new RunningServer(dir);
    String older = UUID.randomUUID().toString();
    String newer = UUID.randomUUID().toString();
    say(older, "kim", null, "I live in Porto and I work as a marine biologist.");
    say(newer, "kim", null, "My favourite food is grilled sardines with lemon.");
    say(newer, "kim", null, "I am planning a dive trip to the Azores in June.");
    rs.awaitIngested();
    String body = "{\"user_id\":\"kim\",\"search_query\":[\"dive trip\"],\"context_mode\":\"conversation-summary\",\"include_profile\":true,"
        + "\"last_n_conversations\":2}";
    JsonNode first = ok(rs.post("/v1/context/user/fetch", body, rs.key));
    assertThat(first.path("profile").path("attributes").toString()).containsIgnoringCase("Porto");
    JsonNode conversations = first.path("conversations");
    assertThat(conversations).hasSize(2);
    assertThat(conversations.get(0).path("conversation_id").asText()).as("most recent first").isEqualTo(newer);
    assertThat(conversations.get(0).path("message_count").asInt()).isEqualTo(2);
    // No summary existed: one was started; the next fetch finds it.
    long deadline = System.nanoTime() + 30_000_000_000L;
    JsonNode later;
    do {
      Thread.sleep(50);
      later = ok(rs.post("/v1/context/user/fetch", body, rs.key)).path("conversations").get(0);
      assertThat(System.nanoTime()).as("summary available").isLessThan(deadline);
    } while (!later.path("summary_status").asText().equals("available"));
    assertThat(later.path("summary").path("text").asText()).contains("Azores");
    assertThat(later.path("compaction_version").asInt()).isEqualTo(1);

    JsonNode withoutProfile = ok(rs.post("/v1/context/user/fetch", "{\"user_id\":\"kim\",\"context_mode\":\"conversation-summary\","
        + "\"include_profile\":false,\"last_n_conversations\":1}", rs.key));
    assertThat(withoutProfile.has("profile")).isFalse();
    assertThat(withoutProfile.path("conversations")).hasSize(1);
    JsonNode plain = ok(rs.post("/v1/context/user/fetch", "{\"user_id\":\"kim\"}", rs.key));
    assertThat(plain.has("conversations")).as("in-conversation mode (default) adds nothing").isFalse();
  }

  @Test
  void mediumPrecisionKeepsWhatHighPrecisionDrops() throws Exception {
    rs = new RunningServer(dir);
    String conv = UUID.randomUUID().toString();
    say(conv, "lea", null, "I adopted a grey rescue greyhound called Comet last spring.");
    for (String s : List.of("My brother repairs vintage motorcycles in his garage.", "I prefer tea without sugar in the morning.",
        "Our office moved to a bigger building downtown.", "The bakery on my street sells excellent rye bread.")) {
      say(conv, "lea", null, s);
    }
    rs.awaitIngested();
    String q = "{\"user_id\":\"lea\",\"search_query\":[\"greyhound Comet\"],\"max_results\":20";
    int high = items(ok(rs.post("/v1/context/user/fetch", q + "}", rs.key))).size();
    JsonNode medium = ok(rs.post("/v1/context/user/fetch", q + ",\"precision_level\":\"medium\"}", rs.key));
    assertThat(medium.path("metadata").path("precision_level").asText()).isEqualTo("medium");
    assertThat(items(medium).size()).isGreaterThan(high);
    assertThat(rs.post("/v1/context/user/fetch", q + ",\"precision_level\":\"low\"}", rs.key).statusCode()).isEqualTo(400);
  }

  @Test
  void aTranscriptKeepsAnalysisAndEndTimeAndIsSummarised() throws Exception {
    rs = new RunningServer(dir);
    JsonNode accepted = ok(rs.post("/v1/conversations/ingest", "{\"conversation_id\":\"call-42\",\"user_id\":\"max\","
        + "\"transcript\":[{\"role\":\"user\",\"content\":\"I want to move my flight to Lisbon to Thursday.\"},"
        + "{\"role\":\"assistant\",\"content\":\"Done, your Lisbon flight is now on Thursday morning.\"}],"
        + "\"conversation_type\":\"support_call\",\"analysis\":{\"sentiment\":\"positive\",\"topics\":[\"rebooking\"]},"
        + "\"started_at\":\"2026-03-01T10:00:00Z\",\"ended_at\":\"2026-03-01T10:07:00Z\"}", rs.key));
    assertThat(accepted.path("summary_status").asText()).isEqualTo("in_progress");
    String conv = accepted.path("conversation_id").asText();
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!ok(rs.get("/v1/conversations/" + conv + "/compaction/status", rs.key)).path("status").asText().equals("completed")) {
      assertThat(System.nanoTime()).as("summary done").isLessThan(deadline);
      Thread.sleep(50);
    }
    assertThat(ok(rs.get("/v1/conversations/" + conv + "/compacted", rs.key)).path("formatted_context").asText()).contains("Lisbon");
    rs.awaitIngested();
    JsonNode c = ok(rs.post("/v1/context/user/fetch", "{\"user_id\":\"max\",\"context_mode\":\"conversation-summary\",\"include_profile\":false}",
        rs.key)).path("conversations").get(0);
    assertThat(c.path("external_conversation_id").asText()).isEqualTo("call-42");
    assertThat(c.path("conversation_type").asText()).isEqualTo("support_call");
    assertThat(c.path("ended_at").asText()).startsWith("2026-03-01T10:07");
    assertThat(c.path("analysis").path("sentiment").asText()).isEqualTo("positive");
    assertThat(c.path("summary_status").asText()).isEqualTo("available");
    JsonNode again = ok(rs.post("/v1/conversations/ingest", "{\"conversation_id\":\"call-42\",\"user_id\":\"max\","
        + "\"transcript\":[{\"role\":\"user\",\"content\":\"I want to move my flight to Lisbon to Thursday.\"},"
        + "{\"role\":\"assistant\",\"content\":\"Done, your Lisbon flight is now on Thursday morning.\"}]}", rs.key));
    assertThat(again.path("status").asText()).isEqualTo("duplicate");
    assertThat(again.path("summary_status").asText()).isEqualTo("already_compacted");
  }

  @Test
  void recordsGetASessionIdAndB2cRefusesCustomerIdsAndCompactionTakesTheLegacyLevel() throws Exception {
    rs = new RunningServer(dir);
    String conv = UUID.randomUUID().toString();
    JsonNode first = ok(rs.post("/v1/conversations/messages", "{\"conversation_id\":\"" + conv + "\",\"role\":\"user\",\"content\":\"Hello\","
        + "\"user_id\":\"ned\"}", rs.key));
    JsonNode second = ok(rs.post("/v1/conversations/messages", "{\"conversation_id\":\"" + conv + "\",\"role\":\"user\",\"content\":\"Again\","
        + "\"user_id\":\"ned\"}", rs.key));
    assertThat(first.path("session_id").asText()).startsWith("sess_");
    assertThat(second.path("session_id").asText()).as("one per conversation").isEqualTo(first.path("session_id").asText());
    JsonNode given = ok(rs.post("/v1/conversations/messages", "{\"conversation_id\":\"" + conv + "\",\"role\":\"user\",\"content\":\"Third\","
        + "\"user_id\":\"ned\",\"session_id\":\"s-1\"}", rs.key));
    assertThat(given.path("session_id").asText()).isEqualTo("s-1");

    HttpResponse<String> b2c = rs.post("/v1/conversations/messages", "{\"conversation_id\":\"" + conv + "\",\"role\":\"user\",\"content\":\"Hi\","
        + "\"user_id\":\"ned\",\"customer_id\":\"acme\"}", rs.key);
    assertThat(b2c.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(b2c.body()).path("detail").asText()).contains("B2C");
    assertThat(rs.post("/v1/context/user/fetch", "{\"user_id\":\"ned\",\"customer_id\":\"acme\"}", rs.key).statusCode()).isEqualTo(400);

    JsonNode compaction = ok(rs.post("/v1/conversations/compact", "{\"conversation_id\":\"" + conv + "\",\"compaction_level\":\"high\","
        + "\"force\":true}", rs.key));
    assertThat(compaction.path("status").asText()).isEqualTo("in_progress");
    long deadline = System.nanoTime() + 30_000_000_000L;
    JsonNode status;
    while (!(status = ok(rs.get("/v1/conversations/" + conv + "/compaction/status", rs.key))).path("status").asText().equals("completed")) {
      assertThat(System.nanoTime()).isLessThan(deadline);
      Thread.sleep(50);
    }
    assertThat(ok(rs.get("/v1/conversations/" + conv + "/compacted", rs.key)).path("strategy_used").asText()).isEqualTo("aggressive");
  }
}
