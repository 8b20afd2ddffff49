package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synap.core.compact.Compaction;
import dev.synap.core.compact.CompactionRequest;
import dev.synap.proto.v1.ContextBundleProto;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The per-instance knobs of the memory configuration that decide when and how much (issue 15
 * item 7), each on a real server with two instances side by side that differ only in the knob:
 * compaction thresholds, the default retrieval mode and context budget, anticipation on / off and
 * its item and token budgets. (Categories, threshold, never-remember and retention:
 * {@link MemoryConfigTest}.)
 */
class InstanceKnobsTest extends AdminServerFixture {
  /** A new instance with this configuration applied (null: none) and a key of it. */
  private String[] instance(String name, String config) throws Exception {
    String id = admin.createInstance(name, "b2c").get("instance_id").asText();
    if (config != null) {
      JsonNode draft = admin.ok("POST", "/dashboard/instances/" + id + "/memory-config/drafts",
          AdminApi.JSON.createObjectNode().put("config_text", config).toString());
      admin.ok("POST", "/dashboard/instances/" + id + "/memory-config/versions/" + draft.get("version").asInt() + "/apply", "{}");
    }
    return new String[] {id, admin.key(id, null)};
  }

  private void say(String key, String conversation, String user, String text) throws Exception {
    String body = AdminApi.JSON.createObjectNode().put("conversation_id", conversation).put("role", "user").put("content", text)
        .put("user_id", user).toString();
    assertThat(admin.call("POST", "/v1/conversations/messages", body, key).statusCode()).isEqualTo(200);
  }

  private List<Compaction> compactions(String instance, String conversation) {
    return rs.server.engine().store().compactions().all(instance, conversation);
  }

  @Test
  void eachInstancesCompactionThresholdsDecideWhenItsConversationsCompact() throws Exception {
    String[] byTurns = instance("by turns", "compaction: {auto_turns: 3, auto_tokens: 100000}\n");
    String[] byTokens = instance("by tokens", "compaction: {auto_turns: 1000, auto_tokens: 100}\n");
    String[] patient = instance("patient", "compaction: {auto_turns: 50, auto_tokens: 100000}\n");
    String[] manual = instance("manual", "compaction: {auto: false, auto_turns: 3, auto_tokens: 100}\n");
    String c1 = UUID.randomUUID().toString(), c2 = UUID.randomUUID().toString(), c3 = UUID.randomUUID().toString(),
        c4 = UUID.randomUUID().toString();
    List<String> shortTurns = List.of("I like tea.", "I live in Oslo.", "My cat is Pip.", "I ski in winter.");
    for (String t : shortTurns) {
      say(byTurns[1], c1, "kim", t);
      say(patient[1], c3, "kim", t);
      say(manual[1], c4, "kim", t);
    }
    // Two turns, fewer than three, but past 100 tokens together.
    say(byTokens[1], c2, "kim", "I have been learning to play the cello for three years with a teacher in Bergen who is very patient. "
        + "We practise scales for half an hour before every lesson, then work through a Bach suite, one movement a month. "
        + "Next winter I want to join the amateur orchestra that rehearses in the old church near the harbour.");
    say(byTokens[1], c2, "kim", "On weekends I hike along the fjords with my sister and we always bring a thermos of strong coffee. "
        + "Last autumn we walked from Flam to the glacier in four days and slept in wooden huts along the way. "
        + "This year we plan to cross the mountain plateau in the north with our two dogs and a small tent.");
    rs.awaitIngested();

    // The check runs after the debounce (2 s by default): wait for the two that must compact.
    long deadline = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < deadline && (!completed(byTurns[0], c1) || !completed(byTokens[0], c2))) Thread.sleep(100);
    assertThat(compactions(byTurns[0], c1)).as("3 turns reach auto_turns 3").anyMatch(c -> c.trigger().equals(CompactionRequest.AUTO));
    assertThat(compactions(byTokens[0], c2)).as("2 long turns reach auto_tokens 100").anyMatch(c -> c.trigger().equals(CompactionRequest.AUTO));
    Thread.sleep(3_000); // past the debounce of the last turns of the other two
    assertThat(compactions(patient[0], c3)).as("4 turns stay under auto_turns 50").isEmpty();
    assertThat(compactions(manual[0], c4)).as("auto: false compacts only on request").isEmpty();
  }

  private boolean completed(String instance, String conversation) {
    return compactions(instance, conversation).stream().anyMatch(c -> c.status().equals("completed"));
  }

  @Test
  void aFetchWithoutModeOrBudgetUsesTheInstancesDefaultsAndAnExplicitOneOverrides() throws Exception {
    String[] deep = instance("deep", "retrieval: {default_mode: accurate, context_budget_tokens: 30}\n");
    String[] plain = instance("plain", null);
    String conversation = UUID.randomUUID().toString();
    List<String> facts = List.of("I love hiking in the Dolomites with my brother Marco every summer.",
        "I work as a nurse at the hospital in Trento on night shifts.", "My favourite food is spicy ramen from the shop near the station.",
        "I am learning Japanese because I plan to visit Kyoto next spring.");
    for (String f : facts) {
      say(deep[1], conversation, "kim", f);
      say(plain[1], conversation, "kim", f);
    }
    rs.awaitIngested();
    String bare = "{\"user_id\":\"kim\",\"search_query\":[\"what does kim like and do\"]}";

    JsonNode d = fetch(deep[1], bare);
    assertThat(d.get("retrieval_mode").asText()).isEqualTo("accurate");
    assertThat(d.get("token_budget").asInt()).isEqualTo(30);
    assertThat(d.get("tokens_used").asInt()).isLessThanOrEqualTo(30);
    JsonNode p = fetch(plain[1], bare);
    assertThat(p.get("retrieval_mode").asText()).isEqualTo("fast");
    assertThat(p.get("token_budget").asInt()).isEqualTo(4096);
    assertThat(p.get("tokens_used").asInt()).as("the same memories, unbudgeted, are more than 30 tokens").isGreaterThan(30);

    JsonNode explicit = fetch(deep[1], "{\"user_id\":\"kim\",\"search_query\":[\"what does kim like and do\"],\"mode\":\"fast\",\"token_budget\":500}");
    assertThat(explicit.get("retrieval_mode").asText()).isEqualTo("fast");
    assertThat(explicit.get("token_budget").asInt()).isEqualTo(500);
    assertThat(explicit.get("tokens_used").asInt()).isGreaterThan(30);
  }

  private JsonNode fetch(String key, String body) throws Exception {
    var r = admin.call("POST", "/v1/context/user/fetch", body, key);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return AdminApi.JSON.readTree(r.body());
  }

  @Test
  void anticipationOffPushesNothingForThatInstanceAndItsBudgetsBoundEveryBundle() throws Exception {
    String[] quiet = instance("quiet", "anticipation: {enabled: false}\n");
    String[] chatty = instance("chatty", null);
    String[] tight = instance("tight", "anticipation: {enabled: true, max_items: 2, max_tokens: 40}\n");
    List<String> facts = List.of("I love hiking in the Dolomites with my brother Marco every summer.",
        "I work as a nurse at the hospital in Trento on night shifts.", "My favourite food is spicy ramen from the shop near the station.",
        "I am learning Japanese because I plan to visit Kyoto next spring.", "My dog Bruno loves long hikes and cold lakes.");
    for (String[] i : List.of(quiet, chatty, tight)) for (String f : facts) say(i[1], UUID.randomUUID().toString(), "kim", f);
    rs.awaitIngested();

    RunningServer.Stream q = rs.new Stream(channel, quiet[1]), c = rs.new Stream(channel, chatty[1]), t = rs.new Stream(channel, tight[1]);
    String conv = UUID.randomUUID().toString();
    for (RunningServer.Stream s : List.of(q, c, t)) {
      s.send(event("session_start", "", conv));
      s.send(event("user_message", "Tell me about my hikes, my work, food, Japanese and my dog", conv));
      s.send(event("assistant_message", "You hike in the Dolomites with Marco and Bruno loves lakes.", conv));
    }
    List<ContextBundleProto> chattyBundles = bundles(c, 3, 10_000);
    assertThat(chattyBundles).as("the instance with anticipation on gets pushes").isNotEmpty();
    // Memories written while streams hold bundles for kim are pushed as updates: they count too.
    for (String[] i : List.of(quiet, chatty, tight)) {
      say(i[1], UUID.randomUUID().toString(), "kim",
          "I also swim in the lake at dawn. I collect old maps. I bake sourdough bread on Sundays. I play chess with Marco.");
    }
    rs.awaitIngested();
    List<ContextBundleProto> tightBundles = bundles(t, 3, 10_000);
    assertThat(tightBundles).as("budgets limit pushes, they do not stop them").isNotEmpty();
    List<ContextBundleProto> quietBundles = bundles(q, Integer.MAX_VALUE, 2_000);
    assertThat(quietBundles).as("anticipation off: no bundle for that instance's stream").isEmpty();
    tightBundles.addAll(bundles(t, Integer.MAX_VALUE, 1_000));
    for (ContextBundleProto b : tightBundles) {
      assertThat(items(b)).as("%s bundle within max_items 2", b.getBundleType()).isLessThanOrEqualTo(2);
      assertThat(b.getTotalTokens()).as("%s bundle within max_tokens 40", b.getBundleType()).isLessThanOrEqualTo(40);
    }
    assertThat(chattyBundles.stream().mapToInt(InstanceKnobsTest::items).max().orElse(0)).as("the defaults allow more than 2 items").isGreaterThan(2);

    // A question asked outright is still answered when anticipation is off.
    q.send(event("context_request", "where do I hike", conv));
    StreamResponse answer = q.next(StreamResponse.PayloadCase.CONTEXT_BUNDLE, 10_000);
    assertThat(answer).isNotNull();
    assertThat(answer.getContextBundle().getBundleType()).isEqualTo("reactive");
    for (RunningServer.Stream s : List.of(q, c, t)) s.requests.onCompleted();
  }

  /** Bundles the stream gets until {@code want} have come or {@code millis} have passed. */
  private static List<ContextBundleProto> bundles(RunningServer.Stream s, int want, long millis) throws InterruptedException {
    List<ContextBundleProto> out = new ArrayList<>();
    long deadline = System.currentTimeMillis() + millis;
    while (out.size() < want && System.currentTimeMillis() < deadline) {
      StreamResponse r = s.next(StreamResponse.PayloadCase.CONTEXT_BUNDLE, Math.max(1, deadline - System.currentTimeMillis()));
      if (r != null) out.add(r.getContextBundle());
    }
    return out;
  }

  private static int items(ContextBundleProto b) {
    return b.getItemsByTypeMap().values().stream().mapToInt(l -> l.getItemsCount()).sum();
  }

  private static StreamEvent event(String type, String text, String conv) {
    return StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setEventType(type).setRole(type.startsWith("assistant")
        ? "assistant" : "user").setContent(text).setUserId("kim").setConversationId(conv)).build();
  }
}
