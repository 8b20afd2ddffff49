package dev.synap.sdk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The anticipation engine seen through the SDK: bundle types, dedup, updates, feedback. */
class AnticipationTest {
  @TempDir Path dir;
  TestServer ts;
  Synap synap;
  BlockingQueue<ContextBundle> bundles = new LinkedBlockingQueue<>();
  String conv = UUID.randomUUID().toString();

  @BeforeEach
  void start() throws Exception {
    ts = new TestServer(dir);
    synap = ts.client();
    for (String text : List.of("I am allergic to shellfish and peanuts.", "I prefer window seats when I fly.",
        "My daughter Emma starts school in September.", "I love hiking in the Alps.")) {
      synap.conversation().recordMessage(RecordMessage.user(conv, text).userId("nora").build());
    }
    synap.conversation().recordMessage(RecordMessage.user(UUID.randomUUID().toString(), "I go climbing in the Dolomites every summer.").userId("otto").build());
    synap.conversation().recordMessage(RecordMessage.user(UUID.randomUUID().toString(), "I prefer aisle seats on long flights.").userId("pia").build());
    synap.conversation().recordMessage(RecordMessage.user(UUID.randomUUID().toString(), "My daughter Emma starts school in September.").userId("rae").build());
    ts.awaitIngested();
    synap.instance().listen(ListenCallbacks.onContext(bundles::add));
  }

  @AfterEach
  void stop() {
    synap.close();
    ts.close();
  }

  /** Sends an event and returns the bundle that answers it (skipping updates for memories the events themselves created). */
  private ContextBundle send(SendMessage.Builder m) throws InterruptedException {
    return send(m, "nora");
  }

  private ContextBundle send(SendMessage.Builder m, String user) throws InterruptedException {
    synap.instance().sendMessage(m.userId(user).conversationId(conv).build());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (System.nanoTime() < deadline) {
      ContextBundle b = bundles.poll(50, TimeUnit.MILLISECONDS);
      if (b != null && !"memory_write.update".equals(b.originPatternId())) return b;
    }
    return null;
  }

  @Test
  void eachEventTypeProducesItsDocumentedBundle() throws Exception {
    ContextBundle user = send(SendMessage.builder("am I allergic to any food?"));
    assertThat(user.bundleType()).isEqualTo("anticipation");
    assertThat(user.originPatternId()).isEqualTo("user_message.direct");
    assertThat(user.items()).extracting(ContextItem::content).anyMatch(c -> c.contains("shellfish"));

    // (Users whose memories this stream does not hold yet: nora's are all pushed by the first bundle.)
    ContextBundle tool = send(SendMessage.builder("").eventType("tool_call").role("assistant").tool("book_flight", "{\"to\":\"Geneva\"}"), "pia");
    assertThat(tool.bundleType()).isEqualTo("anticipation");
    assertThat(tool.originPatternId()).isEqualTo("tool_call.classified");
    assertThat(tool.searchQueries().getFirst()).contains("Geneva").contains("travel preferences");
    assertThat(tool.items()).extracting(ContextItem::content).anyMatch(c -> c.contains("aisle seats"));

    ContextBundle reactive = send(SendMessage.builder("").eventType("context_request").searchQuery("shellfish allergy").contextType("facts"));
    assertThat(reactive.bundleType()).isEqualTo("reactive");
    assertThat(reactive.items()).isNotEmpty();

    ContextBundle assistant = send(SendMessage.builder("Emma will love her first day, I'll remind you about school supplies.")
        .eventType("assistant_message").role("assistant"), "rae");
    assertThat(assistant.bundleType()).isEqualTo("anticipation");
    assertThat(assistant.originPatternId()).isEqualTo("assistant_message.follow_up");
    // The reply's names and promises become queries of their own (its items depend on what the stream already holds).
    assertThat(assistant.searchQueries()).contains("Emma", "remind you about school supplies");

    ContextBundle thinking = send(SendMessage.builder("The user goes climbing, suggest gear").eventType("agent_thinking").role("assistant"), "otto");
    assertThat(thinking.originPatternId()).isEqualTo("agent_thinking.hint");
    assertThat(thinking.items()).extracting(ContextItem::content).anyMatch(c -> c.contains("Dolomites"));
  }

  /** The bundles the last event caused after its first: the dense search's additions, if any (waits until it says it is complete). */
  private List<ContextBundle> rest(ContextBundle first) throws InterruptedException {
    List<ContextBundle> out = new java.util.ArrayList<>();
    if (first == null || !first.partial()) return out;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    while (System.nanoTime() < deadline) {
      ContextBundle b = bundles.poll(50, TimeUnit.MILLISECONDS);
      if (b == null || "memory_write.update".equals(b.originPatternId())) continue;
      out.add(b);
      if (!b.partial()) break;
    }
    return out;
  }

  @Test
  void aLexicalFirstPassGoesOutAtOnceAndTheDenseSearchOnlyAddsToIt() throws Exception {
    String sam = UUID.randomUUID().toString();
    synap.conversation().recordMessage(RecordMessage.user(sam, "My dog Rex loves chasing tennis balls on the beach.").userId("sam").build());
    for (String text : List.of("I work as a nurse in Boston.", "I prefer tea over coffee in the morning.", "My sister Jane lives in Denver.",
        "I started learning the piano last year.", "I drive a blue Subaru to work.")) {
      synap.conversation().recordMessage(RecordMessage.user(sam, text).userId("sam").build());
    }
    ts.awaitIngested();
    // No word in common with the dog memory, so only the dense search can find it.
    ContextBundle first = send(SendMessage.builder("puppy favourite toy?"), "sam");
    assertThat(first.partial()).as("the first pass ran without the query embedding").isTrue();
    assertThat(first.items()).extracting(ContextItem::content).noneMatch(c -> c.contains("Rex"));
    List<ContextBundle> rest = rest(first);
    assertThat(rest).as("the dense search's additions").isNotEmpty();
    ContextBundle dense = rest.getLast();
    assertThat(dense.partial()).isFalse();
    assertThat(dense.originPatternId()).isEqualTo(first.originPatternId());
    assertThat(dense.searchQueries()).isEqualTo(first.searchQueries());
    assertThat(dense.items()).extracting(ContextItem::content).anyMatch(c -> c.contains("Rex"));
    assertThat(dense.itemIds()).doesNotContainAnyElementsOf(first.itemIds());
  }

  @Test
  void itemsTheClientHoldsAreNotPushedAgain() throws Exception {
    ContextBundle first = send(SendMessage.builder("what am I allergic to?"));
    assertThat(first).isNotNull();
    rest(first);
    ContextBundle second = send(SendMessage.builder("what am I allergic to?"));
    assertThat(second).as("nothing new to push").isNull();
    // Reactive answers are not cached by clients, so they always carry everything.
    ContextBundle reactive = send(SendMessage.builder("what am I allergic to?").eventType("context_request"));
    assertThat(reactive.items()).extracting(ContextItem::content).anyMatch(c -> c.contains("shellfish"));
    assertThat(first.items()).extracting(ContextItem::content).anyMatch(c -> c.contains("shellfish"));
  }

  @Test
  void memoriesWrittenLaterReachTheStreamsThatHoldTheirOwner() throws Exception {
    send(SendMessage.builder("what am I allergic to?"));
    // Another agent (plain REST client, no stream) records something new about nora.
    try (Synap other = ts.client()) {
      other.conversation().recordMessage(RecordMessage.user(UUID.randomUUID().toString(), "I am also allergic to kiwi fruit.").userId("nora").build());
    }
    // The question's dense additions may still arrive first on a loaded machine: wait past them.
    ContextBundle update = bundles.poll(3, TimeUnit.SECONDS);
    while (update != null && "user_message.direct".equals(update.originPatternId())) update = bundles.poll(3, TimeUnit.SECONDS);
    assertThat(update).isNotNull();
    assertThat(update.originPatternId()).isEqualTo("memory_write.update");
    assertThat(update.userId()).isEqualTo("nora");
    assertThat(update.items()).extracting(ContextItem::content).anyMatch(c -> c.contains("kiwi"));
    ContextResponse cached = synap.user().context().fetch(FetchRequest.forUser("nora").query("kiwi allergy").build());
    assertThat(cached.fromCache()).isTrue();
  }

  @Test
  void aCacheHitReportsContextUsedAndTheServerCreditsThePattern() throws Exception {
    send(SendMessage.builder("which seats do I like on planes?"));
    ContextResponse r = synap.user().context().fetch(FetchRequest.forUser("nora").query("which seats do I like on planes?").build());
    assertThat(r.fromCache()).isTrue();
    var feedback = ts.server.engine().planner().feedback();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
    while (feedback.total().precision() == 0 && System.nanoTime() < deadline) Thread.sleep(20);
    assertThat(feedback.total().hitRate()).isPositive();
    assertThat(feedback.snapshot(null)).containsKey("user_message.direct");
  }
}
