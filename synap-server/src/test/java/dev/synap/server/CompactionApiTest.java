package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.core.compact.Compaction;
import dev.synap.core.compact.Strategy;
import dev.synap.core.tenant.RelationshipMode;
import dev.synap.core.tenant.Tenancy;
import dev.synap.proto.v1.ContextBundleProto;
import dev.synap.proto.v1.ConversationContextProto;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import io.grpc.ManagedChannel;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Compaction over REST (contract 9.6-9.10) and the compaction_update push (7.6), on a real server. */
class CompactionApiTest {
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

  private String recordDialogue() throws Exception {
    String conv = UUID.randomUUID().toString();
    for (TripDialogue.Turn t : TripDialogue.TURNS) record(conv, t.role(), t.content());
    rs.awaitIngested();
    return conv;
  }

  private void record(String conv, String role, String content) throws Exception {
    String body = JSON.writeValueAsString(java.util.Map.of("conversation_id", conv, "role", role, "content", content, "user_id", "alice",
        "metadata", java.util.Map.of()));
    assertThat(rs.post("/v1/conversations/messages", body, rs.key).statusCode()).isEqualTo(200);
  }

  private HttpResponse<String> compact(String conv, String strategy, Integer target, boolean force, String key) throws Exception {
    String body = "{\"conversation_id\":\"" + conv + "\",\"strategy\":" + (strategy == null ? "null" : "\"" + strategy + "\"")
        + ",\"target_tokens\":" + target + ",\"force\":" + force + "}";
    return rs.post("/v1/conversations/compact", body, key);
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  private JsonNode awaitStatus(String conv, String status) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    JsonNode s = null;
    while (System.nanoTime() < deadline) {
      s = json(rs.get("/v1/conversations/" + conv + "/compaction/status", rs.key));
      if (status.equals(s.path("status").asText())) return s;
      Thread.sleep(20);
    }
    throw new AssertionError("status never became " + status + ": " + s);
  }

  private static Set<String> keys(JsonNode n) {
    Set<String> out = new java.util.LinkedHashSet<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  @Test
  void compactAnswersAtOnceThenCompletesWithTheContractFields() throws Exception {
    String conv = recordDialogue();
    HttpResponse<String> r = compact(conv, "balanced", null, false, rs.key);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode started = json(r);
    assertThat(keys(started)).containsExactly("compaction_id", "conversation_id", "status", "trigger_type", "initiated_at",
        "estimated_completion_seconds", "previous_context", "previous_context_age_seconds", "previous_compaction_id");
    assertThat(started.path("status").asText()).isEqualTo("in_progress");
    assertThat(started.path("trigger_type").asText()).isEqualTo("manual_api");
    assertThat(started.path("previous_context").isObject()).isTrue();
    Instant.parse(started.path("initiated_at").asText());

    JsonNode status = awaitStatus(conv, "completed");
    assertThat(keys(status)).containsExactly("conversation_id", "status", "compaction_id", "completed_at", "compression_ratio",
        "validation_score", "estimated_completion_seconds", "error_message", "latest_version", "latest_created_at");
    assertThat(status.path("compaction_id").asText()).isEqualTo(started.path("compaction_id").asText());
    assertThat(status.path("latest_version").asInt()).isEqualTo(1);
    assertThat(status.path("compression_ratio").asDouble()).isBetween(0.05, 0.45);
    assertThat(status.path("validation_score").asDouble()).isBetween(0.0, 1.0);

    JsonNode c = json(rs.get("/v1/conversations/" + conv + "/compacted", rs.key));
    assertThat(keys(c)).containsExactly("formatted_context", "original_token_count", "compacted_token_count", "compression_ratio",
        "strategy_used", "compaction_id", "validation_score", "validation_passed", "facts", "decisions", "preferences", "current_state",
        "quality_warning", "ttl_seconds");
    assertThat(c.path("strategy_used").asText()).isEqualTo("balanced");
    assertThat(c.path("compacted_token_count").asInt()).isLessThanOrEqualTo((int) Math.ceil(c.path("original_token_count").asInt() * 0.4));
    assertThat(c.path("current_state").path("status").isTextual()).isTrue();
    for (JsonNode fact : c.path("facts")) assertThat(fact.path("content").isTextual()).isTrue();
  }

  @Test
  void everyFormatAndEveryVersionIsReadable() throws Exception {
    String conv = recordDialogue();
    compact(conv, "conservative", null, false, rs.key);
    awaitStatus(conv, "completed");
    String structured = json(rs.get("/v1/conversations/" + conv + "/compacted?format=structured", rs.key)).path("formatted_context").asText();
    String narrative = json(rs.get("/v1/conversations/" + conv + "/compacted?format=narrative", rs.key)).path("formatted_context").asText();
    String injection = json(rs.get("/v1/conversations/" + conv + "/compacted?format=injection", rs.key)).path("formatted_context").asText();
    assertThat(structured).startsWith("## Conversation summary").contains("## Current state").contains("Lisbon");
    assertThat(narrative).contains(" said: \"").contains("Where it stands");
    assertThat(injection).startsWith("<conversation_context").endsWith("</conversation_context>").contains(conv);
    assertThat(json(rs.get("/v1/conversations/" + conv + "/compacted?format=yaml", rs.key)).path("code").asText()).isEqualTo("invalid_input");

    record(conv, "user", "Change of plan: Carla from Porto joins us on 13 June.");
    rs.awaitIngested();
    String first = json(rs.get("/v1/conversations/" + conv + "/compacted", rs.key)).path("compaction_id").asText();
    compact(conv, "aggressive", null, false, rs.key);
    JsonNode second = awaitStatus(conv, "completed");
    assertThat(second.path("latest_version").asInt()).isEqualTo(2);
    JsonNode v1 = json(rs.get("/v1/conversations/" + conv + "/compacted?version=1", rs.key));
    JsonNode v2 = json(rs.get("/v1/conversations/" + conv + "/compacted?version=2", rs.key));
    assertThat(v1.path("compaction_id").asText()).isEqualTo(first);
    assertThat(v1.path("strategy_used").asText()).isEqualTo("conservative");
    assertThat(v2.path("strategy_used").asText()).isEqualTo("aggressive");
    assertThat(json(rs.get("/v1/conversations/" + conv + "/compacted", rs.key)).path("compaction_id").asText()).isEqualTo(v2.path("compaction_id").asText());
    assertThat(rs.get("/v1/conversations/" + conv + "/compacted?version=3", rs.key).statusCode()).isEqualTo(404);
    assertThat(rs.get("/v1/conversations/" + conv + "/compacted?version=zero", rs.key).statusCode()).isEqualTo(400);
  }

  @Test
  void contextForPromptJoinsSummaryAndLaterTurnsInEveryStyle() throws Exception {
    String conv = recordDialogue();
    JsonNode before = json(rs.get("/v1/conversations/" + conv + "/context-for-prompt", rs.key));
    assertThat(before.path("available").asBoolean()).isFalse();
    assertThat(before.path("total_message_count").asInt()).isEqualTo(TripDialogue.TURNS.size());
    assertThat(before.path("compression_ratio").isNull()).isTrue();

    compact(conv, "balanced", null, false, rs.key);
    awaitStatus(conv, "completed");
    record(conv, "user", "Please also add a day trip to Sintra on 15 June.");
    record(conv, "assistant", "Added Sintra on 15 June, train from Rossio at 10:11.");
    rs.awaitIngested();

    JsonNode p = json(rs.get("/v1/conversations/" + conv + "/context-for-prompt?style=structured", rs.key));
    assertThat(keys(p)).containsExactly("formatted_context", "available", "is_stale", "compression_ratio", "validation_score",
        "compaction_age_seconds", "quality_warning", "recent_messages", "recent_message_count", "compacted_message_count",
        "total_message_count");
    assertThat(p.path("available").asBoolean()).isTrue();
    assertThat(p.path("is_stale").asBoolean()).isFalse();
    assertThat(p.path("recent_message_count").asInt()).isEqualTo(2);
    assertThat(p.path("compacted_message_count").asInt()).isEqualTo(TripDialogue.TURNS.size());
    assertThat(p.path("total_message_count").asInt()).isEqualTo(TripDialogue.TURNS.size() + 2);
    for (JsonNode m : p.path("recent_messages")) assertThat(keys(m)).containsExactlyInAnyOrder("role", "content", "timestamp", "message_id");
    assertThat(p.path("formatted_context").asText()).startsWith("## Conversation summary").contains("## Since the summary").contains("Sintra");

    String narrative = json(rs.get("/v1/conversations/" + conv + "/context-for-prompt?style=narrative", rs.key)).path("formatted_context").asText();
    String bullets = json(rs.get("/v1/conversations/" + conv + "/context-for-prompt?style=bullet_points", rs.key)).path("formatted_context").asText();
    assertThat(narrative).contains("Since then, ").contains("Sintra");
    assertThat(bullets.lines()).allMatch(l -> l.startsWith("- "));
    assertThat(bullets).contains("- [recent] User: Please also add a day trip to Sintra");
    assertThat(rs.get("/v1/conversations/" + conv + "/context-for-prompt?style=poem", rs.key).statusCode()).isEqualTo(400);
  }

  @Test
  void manyTurnsAfterTheCompactionMakeItStale() throws Exception {
    String conv = recordDialogue();
    compact(conv, "balanced", null, false, rs.key);
    awaitStatus(conv, "completed");
    for (int i = 0; i < 20; i++) record(conv, "user", "Extra note number " + i + " about the Lisbon trip.");
    rs.awaitIngested();
    JsonNode p = json(rs.get("/v1/conversations/" + conv + "/context-for-prompt", rs.key));
    assertThat(p.path("is_stale").asBoolean()).isTrue();
    assertThat(p.path("recent_message_count").asInt()).isEqualTo(20);
  }

  @Test
  void withoutNewTurnsACompactReusesTheLastOneUnlessForced() throws Exception {
    String conv = recordDialogue();
    String first = json(compact(conv, null, null, false, rs.key)).path("compaction_id").asText();
    awaitStatus(conv, "completed");
    JsonNode again = json(compact(conv, null, null, false, rs.key));
    assertThat(again.path("status").asText()).isEqualTo("completed");
    assertThat(again.path("compaction_id").asText()).isEqualTo(first);
    assertThat(again.path("previous_compaction_id").asText()).isEqualTo(first);
    assertThat(again.path("previous_context").path("summary").asText()).isNotBlank();

    JsonNode forced = json(compact(conv, null, null, true, rs.key));
    assertThat(forced.path("status").asText()).isEqualTo("in_progress");
    assertThat(forced.path("compaction_id").asText()).isNotEqualTo(first);
    assertThat(forced.path("previous_compaction_id").asText()).isEqualTo(first);
    assertThat(awaitStatus(conv, "completed").path("latest_version").asInt()).isEqualTo(2);
  }

  @Test
  void aTinyTargetLosesFactsAndSaysSo() throws Exception {
    String conv = recordDialogue();
    compact(conv, "aggressive", 12, true, rs.key);
    awaitStatus(conv, "completed");
    JsonNode c = json(rs.get("/v1/conversations/" + conv + "/compacted", rs.key));
    assertThat(c.path("compacted_token_count").asInt()).isLessThanOrEqualTo(12);
    assertThat(c.path("validation_score").asDouble()).isLessThan(0.6);
    assertThat(c.path("quality_warning").asBoolean()).isTrue();
    assertThat(c.path("validation_passed").asBoolean()).isFalse();
  }

  @Test
  void errorsFollowTheContract() throws Exception {
    String empty = UUID.randomUUID().toString();
    HttpResponse<String> none = compact(empty, null, null, false, rs.key);
    assertThat(none.statusCode()).isEqualTo(404);
    assertThat(json(none).path("detail").asText()).contains("no messages");
    assertThat(rs.get("/v1/conversations/" + empty + "/compaction/status", rs.key).statusCode()).isEqualTo(404);
    assertThat(rs.get("/v1/conversations/" + empty + "/compacted", rs.key).statusCode()).isEqualTo(404);
    assertThat(rs.get("/v1/conversations/" + empty + "/context-for-prompt", rs.key).statusCode()).isEqualTo(404);

    assertThat(compact("not-a-uuid", null, null, false, rs.key).statusCode()).isEqualTo(400);
    assertThat(rs.post("/v1/conversations/compact", "{\"strategy\":null,\"target_tokens\":null,\"force\":false}", rs.key).statusCode()).isEqualTo(400);
    for (String path : List.of("/compacted", "/compaction/status", "/context-for-prompt")) {
      assertThat(rs.get("/v1/conversations/not-a-uuid" + path, rs.key).statusCode()).isEqualTo(400);
    }
    String conv = recordDialogue();
    assertThat(compact(conv, "extreme", null, false, rs.key).statusCode()).isEqualTo(400);
    assertThat(compact(conv, null, 0, false, rs.key).statusCode()).isEqualTo(400);
    assertThat(compact(conv, null, null, false, "synap_wrong").statusCode()).isEqualTo(401);
    JsonNode noneYet = json(rs.get("/v1/conversations/" + conv + "/compaction/status", rs.key));
    assertThat(noneYet.path("status").asText()).isEqualTo("none");
    assertThat(rs.get("/v1/conversations/" + conv + "/compacted", rs.key).statusCode()).isEqualTo(404);
  }

  @Test
  void aSecondCompactWhileOneRunsIsAConflict() throws Exception {
    String conv = recordDialogue();
    String instanceId = rs.server.engine().tenancy().authenticate(rs.key).orElseThrow().instanceId();
    // A job another node started and still runs: the durable guard must refuse a second one.
    rs.server.engine().store().compactions().start(new Compaction("cmp_other_node", instanceId, conv, "alice", "manual_api", Strategy.BALANCED,
        null, Instant.now(), Compaction.IN_PROGRESS, null, null, null, null));
    HttpResponse<String> r = compact(conv, null, null, true, rs.key);
    assertThat(r.statusCode()).isEqualTo(409);
    assertThat(json(r).path("detail").path("code").asText()).isEqualTo("compaction_in_progress");
    JsonNode status = json(rs.get("/v1/conversations/" + conv + "/compaction/status", rs.key));
    assertThat(status.path("status").asText()).isEqualTo("in_progress");
    assertThat(status.path("estimated_completion_seconds").asInt()).isPositive();
  }

  @Test
  void anotherInstanceCannotSeeOrCompactTheConversation() throws Exception {
    String conv = recordDialogue();
    compact(conv, null, null, false, rs.key);
    awaitStatus(conv, "completed");
    Tenancy t = rs.server.engine().tenancy();
    String other = t.createKey(t.createInstance("other", RelationshipMode.B2C).instanceId(), "test").secret();
    assertThat(compact(conv, null, null, true, other).statusCode()).isEqualTo(404);
    assertThat(rs.get("/v1/conversations/" + conv + "/compacted", other).statusCode()).isEqualTo(404);
    assertThat(rs.get("/v1/conversations/" + conv + "/compaction/status", other).statusCode()).isEqualTo(404);
    assertThat(rs.get("/v1/conversations/" + conv + "/context-for-prompt", other).statusCode()).isEqualTo(404);
  }

  @Test
  void conversationFetchCarriesTheConversationContext() throws Exception {
    String conv = recordDialogue();
    compact(conv, "balanced", null, false, rs.key);
    JsonNode status = awaitStatus(conv, "completed");
    record(conv, "user", "One more thing: Alice likes fado music.");
    rs.awaitIngested();
    JsonNode r = json(rs.post("/v1/context/conversation/fetch", "{\"conversation_id\":\"" + conv + "\",\"search_query\":[\"Alice\"],"
        + "\"max_results\":5,\"types\":[\"all\"],\"mode\":\"fast\"}", rs.key));
    JsonNode cc = r.path("conversation_context");
    assertThat(keys(cc)).containsExactly("summary", "current_state", "key_extractions", "recent_turns", "compaction_id", "compacted_at", "conversation_id");
    assertThat(cc.path("compaction_id").asText()).isEqualTo(status.path("compaction_id").asText());
    assertThat(cc.path("summary").asText()).isNotBlank();
    assertThat(cc.path("key_extractions").path("facts").isArray()).isTrue();
    assertThat(cc.path("recent_turns")).hasSize(1);
    assertThat(cc.path("recent_turns").get(0).path("content").asText()).contains("fado");
  }

  @Test
  void aCompletedCompactionIsPushedToTheStreamsFollowingTheConversation() throws Exception {
    String conv = UUID.randomUUID().toString();
    ManagedChannel channel = rs.channel();
    try {
      RunningServer.Stream following = rs.new Stream(channel, rs.key);
      RunningServer.Stream elsewhere = rs.new Stream(channel, rs.key);
      for (TripDialogue.Turn t : TripDialogue.TURNS) {
        following.send(StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder()
            .setEventType(t.role().equals("user") ? "user_message" : "assistant_message").setRole(t.role()).setContent(t.content())
            .setUserId("alice").setConversationId(conv)).build());
      }
      elsewhere.send(StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setEventType("user_message")
          .setContent("unrelated").setUserId("bob").setConversationId(UUID.randomUUID().toString())).build());
      awaitMessages(conv, TripDialogue.TURNS.size());
      rs.awaitIngested();
      String id = json(compact(conv, "balanced", null, false, rs.key)).path("compaction_id").asText();

      ContextBundleProto bundle = nextCompactionUpdate(following);
      assertThat(bundle).isNotNull();
      assertThat(bundle.getBundleType()).isEqualTo("compaction_update");
      assertThat(bundle.getAnticipationConversationId()).isEqualTo(conv);
      assertThat(bundle.getAnticipationUserId()).isEqualTo("alice");
      assertThat(bundle.getBundleId()).isNotEmpty();
      ConversationContextProto cc = bundle.getConversationContext();
      assertThat(cc.getCompactionId()).isEqualTo(id);
      assertThat(cc.getConversationId()).isEqualTo(conv);
      assertThat(cc.getSummary()).contains("Lisbon");
      Instant.parse(cc.getCompactedAt());
      assertThat(JSON.readTree(cc.getCurrentStateJson()).isObject()).isTrue();
      assertThat(JSON.readTree(cc.getKeyExtractionsJson()).path("facts").isArray()).isTrue();
      assertThat(nextCompactionUpdate(elsewhere, 300)).isNull();
    } finally {
      channel.shutdownNow();
    }
  }

  private void awaitMessages(String conv, int n) throws Exception {
    String instanceId = rs.server.engine().tenancy().authenticate(rs.key).orElseThrow().instanceId();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (rs.server.engine().store().messages().conversation(instanceId, conv, 1000).size() < n) {
      if (System.nanoTime() > deadline) throw new AssertionError("turns were not recorded");
      Thread.sleep(10);
    }
  }

  private static ContextBundleProto nextCompactionUpdate(RunningServer.Stream s) throws InterruptedException {
    return nextCompactionUpdate(s, 10_000);
  }

  private static ContextBundleProto nextCompactionUpdate(RunningServer.Stream s, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    List<String> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      StreamResponse r = s.next(StreamResponse.PayloadCase.CONTEXT_BUNDLE, 50);
      if (r == null) continue;
      seen.add(r.getContextBundle().getBundleType());
      if (r.getContextBundle().getBundleType().equals("compaction_update")) return r.getContextBundle();
    }
    return null;
  }
}
