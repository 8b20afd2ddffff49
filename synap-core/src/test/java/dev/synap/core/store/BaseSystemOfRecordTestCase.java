package dev.synap.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synap.core.compact.Compaction;
import dev.synap.core.compact.CompactionResult;
import dev.synap.core.compact.KeyExtractions;
import dev.synap.core.compact.Strategy;
import dev.synap.core.entity.Entity;
import dev.synap.core.entity.EntityType;
import dev.synap.core.model.Memory;
import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Message;
import dev.synap.core.model.Scope;
import dev.synap.core.store.MessageStore.Appended;
import dev.synap.core.store.MessageStore.Completion;
import dev.synap.core.store.MessageStore.Ingestion;
import dev.synap.core.store.MessageStore.Release;
import dev.synap.core.tenant.ApiKeyInfo;
import dev.synap.core.tenant.ApiKeys;
import dev.synap.core.tenant.Instance;
import dev.synap.core.tenant.RelationshipMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The storage contract, in the spirit of Lucene's base format test cases: every {@link
 * SystemOfRecord} implementation extends this class and must pass all of it, so the embedded and
 * the shared store behave the same for every operation the engine relies on. A subclass only says
 * how to open a store on an empty database and how to reach that database with plain SQL.
 */
public abstract class BaseSystemOfRecordTestCase {

  /** Opens the store under test on an empty database of its own (called once per test). */
  protected abstract SystemOfRecord openFresh();

  /** Opens the store again on the database of the last {@link #openFresh} (a restart). */
  protected abstract SystemOfRecord reopen();

  /** Runs a statement on that database, outside the store. */
  protected abstract void execute(String sql);

  /** The first column of every row a query on that database returns, as text. */
  protected abstract List<String> column(String sql);

  protected SystemOfRecord store;
  private final AtomicInteger seq = new AtomicInteger();
  private long clock = 1_700_000_000_000L;

  @BeforeEach
  void openStore() {
    store = openFresh();
  }

  @AfterEach
  void closeStore() {
    if (store != null) store.close();
  }

  // ---- fixtures ------------------------------------------------------------------------------

  protected Message message(String instance, String conversation, String user, String customer, String content) {
    return message(instance, conversation, user, customer, null, "user", content);
  }

  protected Message message(String instance, String conversation, String user, String customer, String session, String role, String content) {
    Instant at = Instant.ofEpochMilli(clock += 1000);
    return new Message("msg_" + UUID.randomUUID(), instance, conversation, user, customer, session, role, "message", content,
        Map.of("k", "v"), at, at);
  }

  protected Appended append(Message m) {
    return store.messages().appendAll(List.of(m), List.of("dedup-" + m.messageId())).getFirst();
  }

  protected Memory memory(String instance, String user, String customer, String conversation, String content, MemoryType type, String... sources) {
    Instant at = Instant.ofEpochMilli(clock += 1000);
    Scope scope = user != null ? Scope.USER : customer != null ? Scope.CUSTOMER : Scope.CLIENT;
    return new Memory("mem_" + seq.incrementAndGet() + "_" + UUID.randomUUID(), instance, user, customer, conversation, scope, type,
        content, 0.8, "general", Map.of("attribute_key", "pet_name"), null, null, null, List.of(sources), "current", at, at);
  }

  protected Memory fact(String instance, String user, String conversation, String content, String... sources) {
    return memory(instance, user, null, conversation, content, MemoryType.FACT, sources);
  }

  private static MemoryFilter all(String instance) {
    return new MemoryFilter(instance, null, null, null, null, Set.of(), true);
  }

  private List<String> ids(List<Memory> memories) {
    return memories.stream().map(Memory::memoryId).toList();
  }

  /** Appends, claims and completes one message with these memories; returns the message id. */
  private String record(Message m, Memory... memories) {
    append(m);
    assertThat(store.messages().claimQueued(1)).extracting(Message::messageId).containsExactly(m.messageId());
    store.messages().complete(m.messageId(), List.of(memories));
    return m.messageId();
  }

  private Compaction job(String instance, String conversation, String user) {
    return new Compaction("cmp_" + UUID.randomUUID(), instance, conversation, user, "manual_api", Strategy.BALANCED, 500,
        Instant.ofEpochMilli(clock += 1000), Compaction.IN_PROGRESS, null, null, null, null);
  }

  private CompactionResult result(String summary) {
    return new CompactionResult(Strategy.BALANCED, 1000, 400, 0.9, false, "extractive", summary, Map.of("topic", "pets"),
        KeyExtractions.EMPTY, 12, "msg_cut", Instant.ofEpochMilli(clock));
  }

  // ---- tenants -------------------------------------------------------------------------------

  @Test
  void instancesAndKeysAreStoredAndKeysAuthenticateUntilRevoked() {
    Instance a = store.tenants().createInstance("acme", RelationshipMode.B2B);
    Instance b = store.tenants().createInstance("other", RelationshipMode.B2C);
    assertThat(store.tenants().findInstance(a.instanceId())).contains(a);
    assertThat(store.tenants().findInstance("nope")).isEmpty();
    assertThat(store.tenants().instances()).containsExactlyInAnyOrder(a, b);

    String secret = ApiKeys.newSecret();
    ApiKeyInfo key = store.tenants().addKey(a.instanceId(), ApiKeys.hash(secret), ApiKeys.displayPrefix(secret), "ci");
    String secret2 = ApiKeys.newSecret();
    ApiKeyInfo key2 = store.tenants().addKey(b.instanceId(), ApiKeys.hash(secret2), ApiKeys.displayPrefix(secret2), null);
    assertThat(store.tenants().authenticate(ApiKeys.hash(secret))).contains(a);
    assertThat(store.tenants().authenticate(ApiKeys.hash("sk_live_unknown"))).isEmpty();
    assertThat(store.tenants().keys(a.instanceId())).extracting(ApiKeyInfo::keyId).containsExactly(key.keyId());
    assertThat(store.tenants().keys(null)).extracting(ApiKeyInfo::keyId).containsExactlyInAnyOrder(key.keyId(), key2.keyId());

    store.tenants().touch(ApiKeys.hash(secret));
    assertThat(store.tenants().keys(a.instanceId()).getFirst().lastUsedAt()).isNotNull();

    assertThat(store.tenants().revokeKey(key.keyId())).isTrue();
    assertThat(store.tenants().revokeKey(key.keyId())).as("already revoked").isFalse();
    assertThat(store.tenants().revokeKey(key2.prefix())).as("by display prefix").isTrue();
    assertThat(store.tenants().authenticate(ApiKeys.hash(secret))).isEmpty();
    assertThat(store.tenants().revokedKeyHashes()).containsExactlyInAnyOrder(ApiKeys.hash(secret), ApiKeys.hash(secret2));
    assertThat(store.tenants().keys(a.instanceId()).getFirst().revokedAt()).isNotNull();
  }

  // ---- messages ------------------------------------------------------------------------------

  @Test
  void appendedMessagesReadBackWithEveryFieldAndDuplicatesKeepTheFirstId() {
    Message m = message("i1", "c1", "alice", "acme", "s1", "user", "My dog is called Rex");
    List<Appended> out = store.messages().appendAll(List.of(m, message("i1", "c1", "alice", "acme", "again")), List.of("k1", "k2"));
    assertThat(out).extracting(Appended::duplicate).containsExactly(false, false);
    Message same = message("i1", "c1", "alice", "acme", "My dog is called Rex");
    Appended dup = store.messages().appendAll(List.of(same), List.of("k1")).getFirst();
    assertThat(dup).isEqualTo(new Appended(m.messageId(), true));
    assertThat(store.messages().appendAll(List.of(same), List.of("k1")).getFirst().duplicate()).isTrue();
    // The same dedup key in another instance is another message.
    assertThat(store.messages().appendAll(List.of(message("i2", "c1", "alice", null, "x")), List.of("k1")).getFirst().duplicate()).isFalse();

    assertThat(store.messages().byIds("i1", List.of(m.messageId()))).containsExactly(m);
    assertThat(store.messages().byIds("i2", List.of(m.messageId()))).as("never across instances").isEmpty();
    assertThat(store.messages().conversation("i1", "c1", 10)).extracting(Message::content).containsExactly("My dog is called Rex", "again");
    assertThat(store.messages().conversation("i1", "c1", 1)).extracting(Message::content).containsExactly("again");
    assertThat(store.messages().byUser("i1", "alice", 10)).hasSize(2);
    assertThat(store.messages().byUser("i2", "bob", 10)).isEmpty();
    assertThat(store.messages().queueDepth()).isEqualTo(3);
    assertThat(store.messages().status("i1", m.messageId())).contains(new MessageStore.Status(m.messageId(), "queued", null, 0));
    assertThat(store.messages().status("i2", m.messageId())).isEmpty();
    store.messages().registerConversation("i1", "c9", "alice", "acme");
    store.messages().registerConversation("i1", "c9", "bob", null);
  }

  @Test
  void precedingTurnsComeFromTheSameConversationAndSessionOldestFirst() {
    Message a = message("i1", "c1", "u", null, "s1", "user", "one");
    Message other = message("i1", "c1", "u", null, "s2", "user", "other session");
    Message b = message("i1", "c1", null, null, "s1", "assistant", "two");
    Message c = message("i1", "c1", "u", null, "s1", "user", "three");
    Message n1 = message("i1", "c2", "u", null, null, "user", "no session 1");
    Message n2 = message("i1", "c2", "u", null, null, "user", "no session 2");
    for (Message m : List.of(a, other, b, c, n1, n2)) append(m);
    assertThat(store.messages().preceding("i1", c.messageId(), 5)).extracting(Message::content).containsExactly("one", "two");
    assertThat(store.messages().preceding("i1", c.messageId(), 1)).extracting(Message::content).containsExactly("two");
    assertThat(store.messages().preceding("i1", n2.messageId(), 5)).extracting(Message::content).containsExactly("no session 1");
    assertThat(store.messages().preceding("i2", c.messageId(), 5)).isEmpty();
  }

  @Test
  void concurrentAppendsAreEachStoredOnceWhateverBatchTheyShare() throws Exception {
    int threads = 16, each = 25;
    java.util.concurrent.ConcurrentLinkedQueue<Appended> results = new java.util.concurrent.ConcurrentLinkedQueue<>();
    List<Thread> writers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      writers.add(Thread.ofVirtual().start(() -> {
        for (int i = 0; i < each; i++) {
          // Two threads share every key: one of them must find the other's message.
          String key = "k" + (thread / 2) + "-" + i;
          results.add(store.messages().appendAll(List.of(message("i1", "c" + thread, "u" + thread, null, "m " + key)), List.of(key)).getFirst());
        }
      }));
    }
    for (Thread w : writers) w.join();
    assertThat(results).hasSize(threads * each);
    assertThat(results.stream().filter(a -> !a.duplicate()).count()).isEqualTo(threads * each / 2);
    assertThat(results.stream().map(Appended::messageId).distinct().count()).isEqualTo(threads * each / 2);
    assertThat(store.messages().queueDepth()).isEqualTo(threads * each / 2);
  }

  // ---- the queue -----------------------------------------------------------------------------

  @Test
  void claimingTakesTheOldestQueuedMessagesOnceAndCountsAttempts() {
    Message m1 = message("i1", "c1", "u", null, "first");
    Message m2 = message("i1", "c1", "u", null, "second");
    Message m3 = message("i1", "c1", "u", null, "third");
    for (Message m : List.of(m1, m2, m3)) append(m);

    assertThat(store.messages().claimQueued(2)).extracting(Message::messageId).containsExactly(m1.messageId(), m2.messageId());
    assertThat(store.messages().claimQueued(5)).extracting(Message::messageId).containsExactly(m3.messageId());
    assertThat(store.messages().claimQueued(5)).isEmpty();
    assertThat(store.messages().status("i1", m1.messageId()).orElseThrow().status()).isEqualTo("processing");
    assertThat(store.messages().queueDepth()).isEqualTo(3);

    assertThat(store.messages().release(m1.messageId(), 2, "boom")).isEqualTo(Release.QUEUED_AGAIN);
    assertThat(store.messages().status("i1", m1.messageId()).orElseThrow()).extracting(MessageStore.Status::status, MessageStore.Status::error)
        .containsExactly("queued", "boom");
    assertThat(store.messages().release(m1.messageId(), 2, "again")).as("no longer in processing").isEqualTo(Release.NOT_IN_PROCESSING);

    // A message tried before is claimed alone, even when more are asked for and more are queued.
    Message m4 = message("i1", "c1", "u", null, "fourth");
    append(m4);
    assertThat(store.messages().claimQueued(5)).extracting(Message::messageId).containsExactly(m1.messageId());
    assertThat(store.messages().release(m1.messageId(), 2, "boom twice")).isEqualTo(Release.FAILED);
    MessageStore.Status failed = store.messages().status("i1", m1.messageId()).orElseThrow();
    assertThat(failed.status()).isEqualTo("failed");
    assertThat(failed.error()).contains("2 attempts").contains("boom twice");
    assertThat(store.messages().claimQueued(5)).extracting(Message::messageId).containsExactly(m4.messageId());
  }

  @Test
  void aRestartRequeuesWhatWasInProcessingAndFailsWhatCrashedTooOften() {
    Message m1 = message("i1", "c1", "u", null, "first");
    Message m2 = message("i1", "c1", "u", null, "second");
    append(m1);
    append(m2);
    // Claimed by a node that then died: its leases are over by the time of the restart.
    MessageStore.Lease dead = new MessageStore.Lease("dead-node", java.time.Duration.ofMillis(1));
    store.messages().claimQueued(dead, 2);
    sleep(20);
    assertThat(store.messages().requeueInFlight(3)).isEqualTo(new MessageStore.Resumed(2, 0));
    store.messages().claimQueued(dead, 1); // m1, second attempt
    sleep(20);
    assertThat(store.messages().requeueInFlight(2)).isEqualTo(new MessageStore.Resumed(0, 1));
    MessageStore.Status s = store.messages().status("i1", m1.messageId()).orElseThrow();
    assertThat(s.status()).isEqualTo("failed");
    assertThat(s.error()).contains("interrupted in 2 attempts");
    assertThat(store.messages().claimQueued(5)).extracting(Message::messageId).containsExactly(m2.messageId());
  }

  @Test
  void completingStoresTheMemoriesOnceAndRefusesASecondRun() {
    Message m = message("i1", "c1", "alice", null, "My dog is called Rex");
    append(m);
    store.messages().claimQueued(1);
    Memory rex = fact("i1", "alice", "c1", "Alice's dog is called Rex", m.messageId());
    store.messages().complete(m.messageId(), List.of(rex));
    assertThat(store.messages().status("i1", m.messageId())).contains(new MessageStore.Status(m.messageId(), "completed", null, 1));
    assertThat(store.messages().queueDepth()).isZero();
    assertThat(store.memories().get("i1", rex.memoryId())).contains(rex);

    assertThatThrownBy(() -> store.messages().complete(m.messageId(), List.of(fact("i1", "alice", "c1", "again", m.messageId()))))
        .isInstanceOf(StoreException.class);
    assertThat(store.memories().count("i1")).isEqualTo(1);
  }

  @Test
  void aBatchOfCompletionsSeesEarlierOnesAndAFailingDecisionFailsOnlyItsMessage() {
    Message m1 = message("i1", "c1", "alice", null, "first");
    Message m2 = message("i1", "c1", "alice", null, "second");
    Message m3 = message("i1", "c1", "alice", null, "third");
    for (Message m : List.of(m1, m2, m3)) append(m);
    store.messages().claimQueued(3);
    Memory first = fact("i1", "alice", "c1", "Alice lives in Paris", m1.messageId());
    List<Memory> seenBySecond = new ArrayList<>();
    List<MemoryChanges> out = store.messages().completeAll(List.of(
        new Completion(m1.messageId(), ledger -> MemoryChanges.insertOnly(List.of(first))),
        new Completion(m2.messageId(), ledger -> {
          throw new IllegalStateException("extractor bug");
        }),
        new Completion(m3.messageId(), ledger -> {
          seenBySecond.addAll(ledger.similar(MemoryFilter.user("i1", null, "alice"), List.of("paris"), 10));
          seenBySecond.addAll(ledger.withAttribute(MemoryFilter.user("i1", null, "alice"), "pet_name"));
          seenBySecond.addAll(ledger.newest(MemoryFilter.user("i1", null, "alice"), 10));
          return MemoryChanges.insertOnly(List.of());
        })));
    assertThat(out.get(0)).isNotNull();
    assertThat(out.get(1)).isNull();
    assertThat(out.get(2)).isNotNull();
    assertThat(seenBySecond).extracting(Memory::memoryId).containsOnly(first.memoryId()).hasSize(3);
    assertThat(store.messages().status("i1", m2.messageId()).orElseThrow().status()).isEqualTo("failed");
    assertThat(store.messages().status("i1", m2.messageId()).orElseThrow().error()).contains("extractor bug");
    assertThat(store.messages().status("i1", m3.messageId()).orElseThrow().status()).isEqualTo("completed");
  }

  @Test
  void supersessionAndReinforcementApplyWithTheCompletionAndStayInHistory() {
    Memory paris = fact("i1", "alice", "c1", "Alice lives in Paris");
    Memory job = fact("i1", "alice", "c1", "Alice works as a nurse");
    String first = record(message("i1", "c1", "alice", null, "I live in Paris and work as a nurse"), paris, job);
    Message move = message("i1", "c1", "alice", null, "I moved to Berlin; still a nurse");
    append(move);
    store.messages().claimQueued(1);
    Memory berlin = fact("i1", "alice", "c1", "Alice lives in Berlin", move.messageId());
    Memory reinforced = new Memory(job.memoryId(), job.instanceId(), job.userId(), job.customerId(), job.conversationId(), job.scope(),
        job.type(), job.content(), 0.95, job.category(), Map.of("attribute_key", "job", "restated", 2), null, null, null,
        List.of(first, move.messageId()), "current", job.createdAt(), job.updatedAt());
    store.messages().complete(move.messageId(), ledger -> new MemoryChanges(List.of(berlin), List.of(reinforced),
        List.of(new MemoryChanges.StatusChange(paris.memoryId(), "superseded", "2024-05-01", "moved", berlin.memoryId()))));

    Memory old = store.memories().get("i1", paris.memoryId()).orElseThrow();
    assertThat(old.status()).isEqualTo("superseded");
    assertThat(old.validUntil()).isEqualTo("2024-05-01");
    assertThat(old.attributes()).containsEntry("status_reason", "moved").containsEntry("changed_by", berlin.memoryId());
    Memory restated = store.memories().get("i1", job.memoryId()).orElseThrow();
    assertThat(restated.confidence()).isEqualTo(0.95);
    assertThat(restated.sourceMessageIds()).containsExactly(first, move.messageId());
    assertThat(restated.attributes()).containsEntry("restated", 2);

    MemoryFilter alice = MemoryFilter.user("i1", null, "alice");
    assertThat(ids(store.memories().list(alice, 10, 0))).containsExactly(berlin.memoryId(), job.memoryId());
    assertThat(ids(store.memories().list(new MemoryFilter("i1", Scope.USER, null, "alice", null, Set.of(), true), 10, 0)))
        .containsExactly(berlin.memoryId(), job.memoryId(), paris.memoryId());
    assertThat(store.memories().history("i1", paris.memoryId())).extracting(MemoryStore.HistoryEntry::action)
        .containsExactly("created", "superseded");
    assertThat(store.memories().history("i1", paris.memoryId()).getFirst().content()).isEqualTo("Alice lives in Paris");
    assertThat(store.memories().history("i1", job.memoryId())).extracting(MemoryStore.HistoryEntry::action).containsExactly("created", "reinforced");
    assertThat(store.messages().status("i1", move.messageId()).orElseThrow().memoriesCreated()).isEqualTo(2);
  }

  @Test
  void ingestionsRecordTheirMessagesAndReportProgress() {
    Instant at = Instant.ofEpochMilli(1_700_000_000_000L);
    Ingestion ing = new Ingestion("ing_1", "i1", "doc-7", "document", "hash", "alice", null, at);
    Message c1 = message("i1", "doc:doc-7", "alice", null, "chunk one about Rex");
    Message c2 = message("i1", "doc:doc-7", "alice", null, "chunk two");
    List<Appended> out = store.messages().appendIngestion(ing, List.of(c1, c2), List.of("d1", "d2"));
    assertThat(out).extracting(Appended::duplicate).containsExactly(false, false);
    assertThat(store.messages().findIngestion("i1", "document", "doc-7")).contains(ing);
    assertThat(store.messages().findIngestion("i2", "document", "doc-7")).isEmpty();

    MessageStore.IngestionStatus s = store.messages().ingestionStatus("i1", "ing_1").orElseThrow();
    assertThat(s.total()).isEqualTo(2);
    assertThat(s.queued()).isEqualTo(2);
    assertThat(s.completedAt()).isNull();

    store.messages().claimQueued(2);
    Memory rex = fact("i1", "alice", "doc:doc-7", "Rex is a dog", c1.messageId());
    store.messages().complete(c1.messageId(), List.of(rex));
    store.messages().complete(c2.messageId(), List.of());
    s = store.messages().ingestionStatus("i1", "ing_1").orElseThrow();
    assertThat(s.completed()).isEqualTo(2);
    assertThat(s.memoryIds()).containsExactly(rex.memoryId());
    assertThat(s.completedAt()).isNotNull();
    assertThat(store.messages().ingestionStatus("i2", "ing_1")).isEmpty();
  }

  // ---- memories ------------------------------------------------------------------------------

  @Test
  void scopeFiltersAdmitOnlyTheirOwnersMemories() {
    Memory alice = memory("i1", "alice", "acme", "c1", "alice at acme", MemoryType.FACT);
    Memory aliceElsewhere = memory("i1", "alice", "globex", "c2", "alice at globex", MemoryType.PREFERENCE);
    Memory customer = memory("i1", null, "acme", null, "acme policy", MemoryType.FACT);
    Memory client = memory("i1", null, null, null, "instance knowledge", MemoryType.FACT);
    Memory bob = memory("i1", "bob", "acme", "c3", "bob at acme", MemoryType.FACT);
    Memory otherInstance = memory("i2", "alice", "acme", "c1", "other instance", MemoryType.FACT);
    store.memories().insert(List.of(alice, aliceElsewhere, customer, client, bob, otherInstance));

    assertThat(ids(store.memories().list(MemoryFilter.user("i1", null, "alice"), 10, 0)))
        .containsExactlyInAnyOrder(alice.memoryId(), aliceElsewhere.memoryId());
    assertThat(ids(store.memories().list(MemoryFilter.user("i1", "acme", "alice"), 10, 0))).containsExactly(alice.memoryId());
    assertThat(ids(store.memories().list(new MemoryFilter("i1", Scope.CUSTOMER, "acme", null, null, Set.of(), false), 10, 0)))
        .containsExactly(customer.memoryId());
    assertThat(ids(store.memories().list(new MemoryFilter("i1", Scope.CLIENT, null, null, null, Set.of(), false), 10, 0)))
        .containsExactly(client.memoryId());
    assertThat(ids(store.memories().list(new MemoryFilter("i1", Scope.CONVERSATION, null, "alice", "c1", Set.of(), false), 10, 0)))
        .containsExactly(alice.memoryId());
    assertThat(ids(store.memories().list(new MemoryFilter("i1", Scope.CONVERSATION, null, null, "c3", Set.of(), false), 10, 0)))
        .containsExactly(bob.memoryId());
    assertThat(ids(store.memories().list(MemoryFilter.user("i1", null, "alice").withTypes(Set.of(MemoryType.PREFERENCE)), 10, 0)))
        .containsExactly(aliceElsewhere.memoryId());
    assertThat(store.memories().list(all("i1"), 10, 0)).hasSize(5);
    assertThat(ids(store.memories().list(all("i1"), 2, 0))).as("newest first").containsExactly(bob.memoryId(), client.memoryId());
    assertThat(ids(store.memories().list(all("i1"), 2, 2))).containsExactly(customer.memoryId(), aliceElsewhere.memoryId());
    assertThat(store.memories().count("i1")).isEqualTo(5);
    assertThat(store.memories().count("i2")).isEqualTo(1);

    assertThat(store.memories().get("i1", alice.memoryId())).contains(alice);
    assertThat(store.memories().get("i2", alice.memoryId())).as("never across instances").isEmpty();
    assertThat(ids(store.memories().getAll("i1", List.of(alice.memoryId(), bob.memoryId(), otherInstance.memoryId(), "unknown"))))
        .containsExactlyInAnyOrder(alice.memoryId(), bob.memoryId());
    assertThat(ids(store.memories().getAll(MemoryFilter.user("i1", "acme", "alice"), List.of(alice.memoryId(), bob.memoryId(), aliceElsewhere.memoryId()))))
        .containsExactly(alice.memoryId());
    assertThat(store.memories().getAll("i1", List.of())).isEmpty();
  }

  @Test
  void lexicalSearchMatchesStemmedWordsWithinTheScopeBestFirst() {
    Memory dog = fact("i1", "alice", "c1", "Alice has a dog called Rex");
    Memory dogs = fact("i1", "alice", "c1", "Alice loves dogs, dogs and more dogs");
    Memory cat = fact("i1", "alice", "c1", "Alice has a cat");
    Memory bobDog = fact("i1", "bob", "c2", "Bob has a dog");
    store.memories().insert(List.of(dog, dogs, cat, bobDog));

    List<MemoryStore.LexicalHit> hits = store.memories().searchLexical(MemoryFilter.user("i1", null, "alice"), List.of("dog"), 10);
    assertThat(hits).extracting(h -> h.memory().memoryId()).containsExactlyInAnyOrder(dog.memoryId(), dogs.memoryId());
    assertThat(hits.getFirst().memory().memoryId()).as("more occurrences rank first").isEqualTo(dogs.memoryId());
    assertThat(hits.getFirst().score()).isGreaterThanOrEqualTo(hits.get(1).score());
    assertThat(store.memories().searchLexical(MemoryFilter.user("i1", null, "alice"), List.of("rex?", "CAT"), 10))
        .extracting(h -> h.memory().memoryId()).containsExactlyInAnyOrder(dog.memoryId(), cat.memoryId());
    assertThat(store.memories().searchLexical(MemoryFilter.user("i1", null, "alice"), List.of("!!", " "), 10)).isEmpty();
    assertThat(store.memories().searchLexical(MemoryFilter.user("i1", null, "alice"), List.of("dog"), 1)).hasSize(1);

    store.memories().setStatus("i1", dog.memoryId(), "retracted", null);
    assertThat(store.memories().searchLexical(MemoryFilter.user("i1", null, "alice"), List.of("dog"), 10))
        .extracting(h -> h.memory().memoryId()).containsExactly(dogs.memoryId());
  }

  @Test
  void editsStatusChangesAndDeletionsAreInHistoryAndMoveTheChangePosition() {
    Memory m = fact("i1", "alice", "c1", "Alice likes tea");
    long before = store.memories().changePosition();
    store.memories().insert(List.of(m));
    long afterInsert = store.memories().changePosition();
    assertThat(afterInsert).isGreaterThan(before);
    assertThat(store.memories().changedSince("i1", before)).containsExactly(m.memoryId());
    assertThat(store.memories().changedSince("i2", before)).isEmpty();

    assertThat(store.memories().updateContent("i1", m.memoryId(), "Alice likes green tea")).isTrue();
    assertThat(store.memories().updateContent("i2", m.memoryId(), "x")).isFalse();
    Memory edited = store.memories().get("i1", m.memoryId()).orElseThrow();
    assertThat(edited.content()).isEqualTo("Alice likes green tea");
    assertThat(edited.attributes()).containsEntry(MemoryStore.EDITED, true).containsEntry("attribute_key", "pet_name");
    assertThat(store.memories().searchLexical(MemoryFilter.user("i1", null, "alice"), List.of("green"), 5)).hasSize(1);

    assertThat(store.memories().setStatus("i1", m.memoryId(), "retracted", "2024-01-01")).isTrue();
    assertThat(store.memories().setStatus("i1", "unknown", "retracted", null)).isFalse();
    assertThat(store.memories().get("i1", m.memoryId()).orElseThrow().validUntil()).isEqualTo("2024-01-01");
    assertThat(store.memories().changedSince("i1", afterInsert)).containsExactly(m.memoryId());

    assertThat(store.memories().delete("i1", m.memoryId())).isTrue();
    assertThat(store.memories().delete("i1", m.memoryId())).isFalse();
    assertThat(store.memories().get("i1", m.memoryId())).isEmpty();
    List<MemoryStore.HistoryEntry> history = store.memories().history("i1", m.memoryId());
    assertThat(history).extracting(MemoryStore.HistoryEntry::action).containsExactly("created", "updated", "retracted", "deleted");
    assertThat(history).extracting(MemoryStore.HistoryEntry::content).as("a deleted memory's words leave its history").containsOnlyNulls();
    assertThat(store.memories().searchLexical(MemoryFilter.user("i1", null, "alice"), List.of("tea"), 5)).isEmpty();
  }

  // ---- user deletion -------------------------------------------------------------------------

  @Test
  void deletingAUserLeavesNoRowHoldingTheirWordsAndKeepsEveryoneElses() {
    Entity rex = store.entities().create("i1", "Rex", EntityType.PET);
    Entity paris = store.entities().create("i1", "Paris", EntityType.PLACE);
    String aliceMsg = record(message("i1", "c1", "alice", null, "My dog Rex lives with me"),
        memory("i1", "alice", null, "c1", "Alice's dog is Rex", MemoryType.FACT));
    Memory aliceMemory = store.memories().list(MemoryFilter.user("i1", null, "alice"), 1, 0).getFirst();
    Memory withEntity = new Memory("mem_e", "i1", "alice", null, "c1", Scope.USER, MemoryType.FACT, "Rex barks", 0.9, null,
        Map.of("entity_ids", List.of(rex.entityId())), null, null, null, List.of(aliceMsg), "current", Instant.now(), Instant.now());
    store.memories().insert(List.of(withEntity));
    String reply = record(message("i1", "c1", null, null, null, "assistant", "Rex sounds lovely"),
        memory("i1", null, null, "c1", "Rex sounds lovely", MemoryType.FACT));
    Memory bobMemory = new Memory("mem_b", "i1", "bob", null, "c2", Scope.USER, MemoryType.FACT, "Bob visits Paris", 0.9, null,
        Map.of("entity_id", paris.entityId()), null, null, null, List.of(), "current", Instant.now(), Instant.now());
    // A remaining memory that names no entity must not keep orphans alive.
    record(message("i1", "c2", "bob", null, "I visit Paris"), bobMemory, memory("i1", "bob", null, "c2", "Bob likes trains", MemoryType.FACT));
    // Alice also spoke in Bob's conversation: its compactions summarise her words too.
    append(message("i1", "c2", "alice", null, "hi Bob"));
    Compaction c1 = job("i1", "c1", "alice");
    Compaction c2 = job("i1", "c2", "bob");
    store.compactions().start(c1);
    store.compactions().complete(c1.compactionId(), result("alice summary"), Instant.now());
    store.compactions().start(c2);
    store.compactions().complete(c2.compactionId(), result("bob summary"), Instant.now());
    store.messages().appendIngestion(new Ingestion("ing_a", "i1", "d1", "document", "h", "alice", null, Instant.now()),
        List.of(message("i1", "doc:d1", "alice", null, "Alice's document")), List.of("doc-1"));

    SystemOfRecord.Deleted d = store.deleteUser("i1", null, "alice");

    assertThat(d.memories()).isEqualTo(3);
    assertThat(d.messages()).isEqualTo(4);
    assertThat(d.conversations()).isEqualTo(2); // c1 and the document's
    assertThat(d.touchedConversations()).contains("c1", "c2", "doc:d1");
    assertThat(store.memories().list(all("i1"), 10, 0)).extracting(Memory::content).containsExactlyInAnyOrder("Bob visits Paris", "Bob likes trains");
    assertThat(store.messages().conversation("i1", "c1", 10)).isEmpty();
    assertThat(store.messages().byIds("i1", List.of(reply))).isEmpty();
    assertThat(store.messages().conversation("i1", "c2", 10)).extracting(Message::content).containsExactly("I visit Paris");
    assertThat(store.compactions().latest("i1", "c1")).isEmpty();
    assertThat(store.compactions().latest("i1", "c2")).isEmpty();
    assertThat(store.messages().ingestionStatus("i1", "ing_a")).isEmpty();
    assertThat(store.memories().history("i1", aliceMemory.memoryId())).extracting(MemoryStore.HistoryEntry::content).containsOnlyNulls();
    assertThat(store.memories().history("i1", aliceMemory.memoryId()).getLast().action()).isEqualTo("deleted");
    assertThat(store.entities().get("i1", rex.entityId())).as("only Alice's memories named Rex").isEmpty();
    assertThat(store.entities().get("i1", paris.entityId())).isPresent();
    assertThat(column("SELECT content FROM memory_history WHERE content IS NOT NULL")).containsExactlyInAnyOrder("Bob visits Paris", "Bob likes trains");
    assertThat(column("SELECT alias FROM entity_aliases")).containsExactly("Paris");
  }

  @Test
  void inB2bTheSameUserIdUnderAnotherCustomerIsSomeoneElse() {
    record(message("i1", "c1", "u1", "acme", "acme user"), memory("i1", "u1", "acme", "c1", "acme memory", MemoryType.FACT));
    record(message("i1", "c2", "u1", "globex", "globex user"), memory("i1", "u1", "globex", "c2", "globex memory", MemoryType.FACT));
    SystemOfRecord.Deleted d = store.deleteUser("i1", "acme", "u1");
    assertThat(d.memories()).isEqualTo(1);
    assertThat(store.memories().list(all("i1"), 10, 0)).extracting(Memory::content).containsExactly("globex memory");
    assertThat(store.messages().byUser("i1", "u1", 10)).extracting(Message::content).containsExactly("globex user");
  }

  // ---- compactions ---------------------------------------------------------------------------

  @Test
  void oneRunningCompactionPerConversationAndVersionsCountUp() {
    Compaction first = job("i1", "c1", "alice");
    assertThat(store.compactions().start(first)).isTrue();
    assertThat(store.compactions().start(job("i1", "c1", "alice"))).as("one running per conversation").isFalse();
    assertThat(store.compactions().start(job("i1", "c2", "alice"))).as("another conversation").isTrue();
    assertThat(store.compactions().latest("i1", "c1").orElseThrow().isRunning()).isTrue();
    assertThat(store.compactions().latestCompleted("i1", "c1")).isEmpty();

    Compaction done = store.compactions().complete(first.compactionId(), result("first summary"), Instant.ofEpochMilli(clock += 1000));
    assertThat(done.version()).isEqualTo(1);
    assertThat(done.result().summary()).isEqualTo("first summary");
    assertThat(done.result().currentState()).containsEntry("topic", "pets");
    assertThat(done.targetTokens()).isEqualTo(500);
    assertThat(done.strategyRequested()).isEqualTo(Strategy.BALANCED);

    Compaction second = job("i1", "c1", "alice");
    assertThat(store.compactions().start(second)).isTrue();
    assertThat(store.compactions().latest("i1", "c1").orElseThrow().compactionId()).isEqualTo(second.compactionId());
    store.compactions().complete(second.compactionId(), result("second summary"), Instant.ofEpochMilli(clock += 1000));
    assertThat(store.compactions().latestCompleted("i1", "c1").orElseThrow().version()).isEqualTo(2);
    assertThat(store.compactions().version("i1", "c1", 1).orElseThrow().result().summary()).isEqualTo("first summary");
    assertThat(store.compactions().version("i1", "c1", 3)).isEmpty();
    assertThat(store.compactions().version("i2", "c1", 1)).isEmpty();

    Compaction failing = job("i1", "c1", "alice");
    store.compactions().start(failing);
    store.compactions().fail(failing.compactionId(), "summarizer down", Instant.ofEpochMilli(clock += 1000));
    Compaction failed = store.compactions().latest("i1", "c1").orElseThrow();
    assertThat(failed.status()).isEqualTo(Compaction.FAILED);
    assertThat(failed.error()).isEqualTo("summarizer down");
    assertThat(failed.version()).isNull();

    assertThat(store.compactions().failInterrupted("restart")).isEqualTo(1); // c2's job
    assertThat(store.compactions().latest("i1", "c2").orElseThrow().error()).isEqualTo("restart");
  }

  // ---- entities ------------------------------------------------------------------------------

  @Test
  void entitiesAreIdempotentCarryAliasesAndMergesKeepOldIdsResolvable() {
    Entity mel = store.entities().create("i1", "Melanie", EntityType.PERSON);
    assertThat(store.entities().create("i1", " melanie ", EntityType.PERSON).entityId()).as("same name, same entity").isEqualTo(mel.entityId());
    assertThat(store.entities().create("i2", "Melanie", EntityType.PERSON).entityId()).as("another instance").isNotEqualTo(mel.entityId());
    store.entities().addAlias("i1", mel.entityId(), "Mel", "nickname");
    Entity melanie2 = store.entities().create("i1", "Mel Smith", EntityType.PERSON);
    store.entities().addAlias("i1", melanie2.entityId(), "mel", "alias");
    assertThat(store.entities().get("i1", mel.entityId()).orElseThrow().aliases()).containsExactlyInAnyOrder("Melanie", "Mel");
    assertThat(store.entities().get("i1", melanie2.entityId()).orElseThrow().aliases()).as("a taken name is left alone").containsExactly("Mel Smith");
    assertThat(store.entities().active("i1")).extracting(Entity::entityId).containsExactlyInAnyOrder(mel.entityId(), melanie2.entityId());

    Entity merged = store.entities().merge("i1", melanie2.entityId(), mel.entityId(), "same person");
    assertThat(merged.aliases()).containsExactlyInAnyOrder("Melanie", "Mel", "Mel Smith");
    assertThat(store.entities().get("i1", melanie2.entityId()).orElseThrow().mergedInto()).isEqualTo(mel.entityId());
    assertThat(store.entities().active("i1")).extracting(Entity::entityId).containsExactly(mel.entityId());
    assertThat(store.entities().merges("i1")).singleElement().satisfies(m -> {
      assertThat(m.fromEntityId()).isEqualTo(melanie2.entityId());
      assertThat(m.intoEntityId()).isEqualTo(mel.entityId());
      assertThat(m.reason()).isEqualTo("same person");
    });
    assertThat(store.entities().merges("i2")).isEmpty();
    assertThatThrownBy(() -> store.entities().merge("i1", mel.entityId(), mel.entityId(), "x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.entities().merge("i1", mel.entityId(), melanie2.entityId(), "x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void leasesKeepClaimsApartAndOnlyExpiredOnesAreTakenBack() {
    List<Message> all = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Message m = message("i1", "c1", "u", null, "turn " + i);
      append(m);
      all.add(m);
    }
    MessageStore.Lease live = new MessageStore.Lease("live-node", java.time.Duration.ofMinutes(5));
    MessageStore.Lease dying = new MessageStore.Lease("dying-node", java.time.Duration.ofMillis(300));
    List<Message> a = store.messages().claimQueued(live, 2);
    List<Message> b = store.messages().claimQueued(dying, 2);
    assertThat(a).extracting(Message::messageId).doesNotContainAnyElementsOf(b.stream().map(Message::messageId).toList());
    assertThat(store.messages().renew(dying)).isEqualTo(2);
    assertThat(store.messages().requeueExpired(3)).isEqualTo(new MessageStore.Resumed(0, 0));
    sleep(400); // dying stops renewing
    assertThat(store.messages().requeueExpired(3)).isEqualTo(new MessageStore.Resumed(2, 0));
    if (store.shared()) {
      // Another node's start must leave the live node's claims alone.
      assertThat(store.messages().requeueInFlight(3)).isEqualTo(new MessageStore.Resumed(0, 0));
    }
    assertThat(store.messages().claimQueued(live, 5)).extracting(Message::messageId).containsExactly(b.getFirst().messageId());
  }

  @Test
  void vectorsAreStoredWithTheirMemoryAndGoWithIt() {
    Memory m = memory("i1", "u", null, "c1", "Ada bakes sourdough", MemoryType.FACT);
    store.memories().insert(List.of(m));
    float[] own = {0.25f, -1.5f, 3f};
    store.vectors().put("i1", List.of(new VectorStore.StoredVector(m.memoryId(), "h1", own, null),
        new VectorStore.StoredVector("no-such-memory", "h1", own, own)));
    Map<String, VectorStore.StoredVector> got = store.vectors().get("i1", List.of(m.memoryId(), "no-such-memory"));
    assertThat(got).containsOnlyKeys(m.memoryId());
    assertThat(got.get(m.memoryId()).own()).containsExactly(own);
    assertThat(got.get(m.memoryId()).inContext()).isNull();
    store.vectors().put("i1", List.of(new VectorStore.StoredVector(m.memoryId(), "h2", own, own)));
    assertThat(store.vectors().get("i1", List.of(m.memoryId())).get(m.memoryId()).textHash()).isEqualTo("h2");
    assertThat(store.vectors().get("other-instance", List.of(m.memoryId()))).isEmpty();
    store.memories().delete("i1", m.memoryId());
    assertThat(store.vectors().get("i1", List.of(m.memoryId()))).isEmpty();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  // ---- migrations ----------------------------------------------------------------------------

  @Test
  void aFreshDatabaseRecordsEveryMigrationWithItsChecksum() {
    List<String> versions = column("SELECT version FROM schema_version ORDER BY version");
    assertThat(versions).containsExactly("1", "2", "3", "5", "6", "7", "30", "31");
    assertThat(column("SELECT checksum FROM schema_version")).allSatisfy(c -> assertThat(c).matches("[0-9a-f]{64}"));
  }

  @Test
  void reopeningKeepsTheDataAndAppliesNothingAgain() {
    Instance a = store.tenants().createInstance("acme", RelationshipMode.B2C);
    List<String> appliedAt = column("SELECT applied_at FROM schema_version ORDER BY version");
    store.close();
    store = reopen();
    assertThat(store.tenants().findInstance(a.instanceId())).contains(a);
    assertThat(column("SELECT applied_at FROM schema_version ORDER BY version")).isEqualTo(appliedAt);
  }

  @Test
  void aMigrationChangedSinceItWasAppliedRefusesTheStart() {
    store.close();
    store = null;
    execute("UPDATE schema_version SET checksum = 'tampered' WHERE version = 2");
    assertThatThrownBy(this::reopen)
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("migration 2 (V2__entities.sql)")
        .hasMessageContaining("changed");
  }
}
