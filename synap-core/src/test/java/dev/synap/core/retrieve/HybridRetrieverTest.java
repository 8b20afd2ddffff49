package dev.synap.core.retrieve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.MemoryEngine;
import dev.synap.core.ingest.RecordRequest;
import dev.synap.core.model.Memory;
import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Scope;
import dev.synap.core.tenant.RelationshipMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hybrid retriever end to end: real pipeline, real SQLite store, real Lucene index, real e5 model. */
class HybridRetrieverTest {
  @TempDir Path dir;
  MemoryEngine engine;
  String instance;

  @BeforeEach
  void open() {
    engine = MemoryEngine.open(MemoryEngine.Config.defaults(dir));
    instance = engine.tenancy().createInstance("test", RelationshipMode.B2C).instanceId();
  }

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void supersededFactIsNeverReturned() throws Exception {
    say(instance, "alice", "I live in Paris, near the river.", "2024-01-10T10:00:00Z");
    idle();
    Memory paris = only(fetch(instance, "alice", "Where do I live?", "fast"), "Paris");
    // Superseded straight in the store, as an extractor would: the index has not been told.
    engine.store().memories().setStatus(instance, paris.memoryId(), "superseded", "2024-06-01");
    say(instance, "alice", "I moved, I live in Berlin now.", "2024-06-01T10:00:00Z");
    idle();
    for (String mode : List.of("fast", "accurate")) {
      ContextResult r = fetch(instance, "alice", "Where do I live?", mode);
      assertThat(r.items()).extracting(i -> i.memory().content()).anyMatch(c -> c.contains("Berlin")).noneMatch(c -> c.contains("Paris"));
    }
  }

  @Test
  void scopesNeverLeakAcrossUsersOrInstances() throws Exception {
    String other = engine.tenancy().createInstance("other", RelationshipMode.B2C).instanceId();
    say(instance, "alice", "My favourite food is sushi.", "2024-01-10T10:00:00Z");
    say(instance, "bob", "My favourite food is pizza with sushi toppings.", "2024-01-10T10:00:00Z");
    say(other, "alice", "My favourite food is sushi burritos.", "2024-01-10T10:00:00Z");
    idle();
    for (String mode : List.of("fast", "accurate")) {
      ContextResult r = fetch(instance, "alice", "What is my favourite food, sushi?", mode);
      assertThat(r.items()).isNotEmpty().allSatisfy(i -> {
        assertThat(i.memory().userId()).isEqualTo("alice");
        assertThat(i.memory().instanceId()).isEqualTo(instance);
      });
    }
  }

  @Test
  void customerScopeSeesOnlyTheCustomersOwnMemories() throws Exception {
    engine.ingest().record(new RecordRequest(instance, "conv-acme", null, "acme", "s1", "user", "message",
        "Acme renews its support contract every March.", Map.of(), Instant.parse("2024-01-10T10:00:00Z"), null));
    engine.ingest().record(new RecordRequest(instance, "conv-acme-ann", "ann", "acme", "s1", "user", "message",
        "My support contract question is private.", Map.of(), Instant.parse("2024-01-10T10:00:00Z"), null));
    engine.ingest().record(new RecordRequest(instance, "conv-globex", null, "globex", "s1", "user", "message",
        "Globex renews its support contract every June.", Map.of(), Instant.parse("2024-01-10T10:00:00Z"), null));
    idle();
    ContextResult r = engine.retriever().retrieve(new ContextQuery(instance, Scope.CUSTOMER, null, null, "acme",
        List.of("support contract renewal"), Set.of(), 10, "accurate", 4096));
    assertThat(r.items()).extracting(i -> i.memory().content()).containsExactly("Acme renews its support contract every March.");
  }

  @Test
  void tokenBudgetAndMaxResultsAreRespected() throws Exception {
    for (int i = 0; i < 30; i++) {
      say(instance, "alice", "Note " + i + ": I went hiking in the mountains with my friends and we watched the sunset over the lake.",
          java.time.Instant.parse("2024-01-01T10:00:00Z").plus(java.time.Duration.ofDays(i)).toString()); // one outing a day, not restatements
    }
    idle();
    ContextResult r = engine.retriever().retrieve(query(instance, "alice", "hiking in the mountains", Set.of(), 50, "fast", 100));
    assertThat(r.tokensUsed()).isLessThanOrEqualTo(100);
    assertThat(r.items().stream().mapToInt(ContextItem::tokens).sum()).isEqualTo(r.tokensUsed());
    assertThat(r.budgetExceeded()).isTrue();
    assertThat(engine.retriever().retrieve(query(instance, "alice", "hiking", Set.of(), 3, "accurate", 10_000)).items()).hasSize(3);
  }

  @Test
  void typesFilterHolds() throws Exception {
    say(instance, "alice", "I love hiking in the mountains.", "2024-01-10T10:00:00Z"); // preference
    say(instance, "alice", "The mountains near my town are tall.", "2024-01-10T10:01:00Z"); // fact
    idle();
    ContextResult r = engine.retriever().retrieve(query(instance, "alice", "mountains", Set.of(MemoryType.FACT), 10, "fast", 4096));
    assertThat(r.items()).isNotEmpty().allSatisfy(i -> assertThat(i.memory().type()).isEqualTo(MemoryType.FACT));
  }

  @Test
  void temporalQuestionPrefersMemoriesFromTheNamedPeriod() throws Exception {
    say(instance, "alice", "We had a picnic at the lake with the kids.", "2023-05-14T10:00:00Z");
    say(instance, "alice", "We had a picnic at the lake with the kids.", "2024-01-20T10:00:00Z");
    idle();
    for (String mode : List.of("fast", "accurate")) {
      ContextResult r = fetch(instance, "alice", "What did we do at the lake in May 2023?", mode);
      assertThat(r.items()).hasSizeGreaterThanOrEqualTo(2);
      assertThat(r.items().getFirst().memory().createdAt()).isEqualTo(Instant.parse("2023-05-14T10:00:00Z"));
    }
  }

  @Test
  void fusionRanksAParaphraseAboveNoise() throws Exception {
    say(instance, "alice", "We adopted a golden retriever puppy last month.", "2024-01-10T10:00:00Z");
    say(instance, "alice", "The quarterly budget report is due on Friday.", "2024-01-10T10:01:00Z");
    say(instance, "alice", "My car needs new tyres before winter.", "2024-01-10T10:02:00Z");
    say(instance, "alice", "The printer at the office jammed again.", "2024-01-10T10:03:00Z");
    idle();
    for (String mode : List.of("fast", "accurate")) {
      ContextResult r = fetch(instance, "alice", "new canine companion", mode); // no word in common with the answer
      assertThat(r.items()).isNotEmpty();
      assertThat(r.items().getFirst().memory().content()).contains("puppy");
      assertThat(r.items()).allSatisfy(i -> {
        assertThat(i.relevance()).isBetween(0.0, 1.0);
        assertThat(i.similarity()).isBetween(0.0, 1.0);
      });
    }
  }

  @Test
  void indexIsRebuiltFromTheStore() throws Exception {
    say(instance, "alice", "I play the cello in a local orchestra.", "2024-01-10T10:00:00Z");
    idle();
    engine.index().forInstance(instance).deleteAll();
    engine.index().forInstance(instance).refresh();
    assertThat(fetch(instance, "alice", "cello orchestra", "fast").items()).isEmpty();
    engine.index().rebuild(instance);
    assertThat(fetch(instance, "alice", "cello orchestra", "fast").items()).extracting(i -> i.memory().content()).anyMatch(c -> c.contains("cello"));
  }

  @Test
  void memoriesWaitingForTheEmbedderAreFoundWithinTheirScopeOnly() throws Exception {
    String other = engine.tenancy().createInstance("other", RelationshipMode.B2C).instanceId();
    engine.index().pause();
    say(instance, "alice", "My locker code word is zebrafish.", "2024-01-10T10:00:00Z");
    say(instance, "bob", "My locker code word is zebrafish too.", "2024-01-10T10:00:00Z");
    say(other, "alice", "The zebrafish tank needs cleaning.", "2024-01-10T10:00:00Z");
    while (engine.ingest().queueDepth() > 0) Thread.sleep(10);
    // Both users' memories committed and waiting for the paused embedder (an empty queue alone was
    // seen, rarely, before the last completion landed).
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (engine.index().notYetIndexed(instance).size() < 2 && System.nanoTime() < deadline) Thread.sleep(10);
    assertThat(engine.index().notYetIndexed(instance)).isNotEmpty().hasSize((int) engine.store().memories().count(instance));
    for (String mode : List.of("fast", "accurate")) {
      ContextResult r = fetch(instance, "alice", "what is my locker code word zebrafish", mode);
      assertThat(r.items()).as("%s: sources %s, waiting %s", mode, r.sourcesQueried(), engine.index().notYetIndexed(instance))
          .extracting(i -> i.memory().content()).containsExactly("My locker code word is zebrafish.");
    }
    engine.index().resume();
    idle();
    assertThat(engine.index().notYetIndexed(instance)).isEmpty();
    assertThat(fetch(instance, "alice", "what is my locker code word zebrafish", "fast").items())
        .extracting(i -> i.memory().content()).containsOnlyOnce("My locker code word is zebrafish.").doesNotContain("My locker code word is zebrafish too.");
  }

  @Test
  void anIndexThatDisagreesWithTheStoreAtStartIsRebuilt() throws Exception {
    say(instance, "alice", "I play the cello in a local orchestra.", "2024-01-10T10:00:00Z");
    idle();
    engine.close();
    try (var files = java.nio.file.Files.walk(dir.resolve("index"))) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
    engine = MemoryEngine.open(MemoryEngine.Config.defaults(dir));
    idle();
    assertThat(engine.index().forInstance(instance).size()).isEqualTo(engine.store().memories().count(instance));
    ContextResult r = fetch(instance, "alice", "which musical instrument do I play?", "fast");
    assertThat(r.sourcesQueried()).contains("vector");
    assertThat(r.items()).extracting(i -> i.memory().content()).anyMatch(c -> c.contains("cello"));
  }

  private void say(String instanceId, String user, String text, String at) {
    engine.ingest().record(new RecordRequest(instanceId, "conv-" + user, user, null, "s1", "user", "message", text, Map.of(), Instant.parse(at),
        null));
  }

  private void idle() throws InterruptedException {
    assertThat(engine.awaitIdle(Duration.ofSeconds(60))).isTrue();
  }

  private ContextResult fetch(String instanceId, String user, String question, String mode) {
    return engine.retriever().retrieve(query(instanceId, user, question, Set.of(), 10, mode, 4096));
  }

  private static ContextQuery query(String instanceId, String user, String q, Set<MemoryType> types, int max, String mode, int budget) {
    return new ContextQuery(instanceId, Scope.USER, null, user, null, List.of(q), types, max, mode, budget);
  }

  private static Memory only(ContextResult r, String containing) {
    return r.items().stream().map(ContextItem::memory).filter(m -> m.content().contains(containing)).findFirst().orElseThrow();
  }
}
