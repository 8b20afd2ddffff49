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

  // ---- operator reads and the instance archive (console, export / import) ------------------------

  @Test
  void usersConversationsAndCompactionHistoryAreListedForOperators() {
    Instance inst = store.tenants().createInstance("ops", RelationshipMode.B2C);
    String i = inst.instanceId();
    store.messages().registerConversation(i, "c1", "alice", null);
    record(message(i, "c1", "alice", null, "hello"), fact(i, "alice", "c1", "Alice has a dog"));
    record(message(i, "c1", null, null, null, "assistant", "hi alice"));
    record(message(i, "c2", "bob", null, "bob here"));
    assertThat(store.messages().users(i, null, 10)).extracting(MessageStore.UserSummary::userId).containsExactly("bob", "alice");
    assertThat(store.messages().users(i, "LIC", 10)).extracting(MessageStore.UserSummary::userId, MessageStore.UserSummary::messages)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("alice", 1L));
    assertThat(store.messages().conversations(i, "alice", 10)).singleElement()
        .satisfies(c -> assertThat(c.conversationId()).isEqualTo("c1")).satisfies(c -> assertThat(c.messages()).isEqualTo(2));
    assertThat(store.messages().conversations(i, null, 10)).hasSize(2);
    Compaction first = job(i, "c1", "alice");
    store.compactions().start(first);
    store.compactions().complete(first.compactionId(), result("v1"), Instant.now());
    Compaction second = job(i, "c1", "alice");
    store.compactions().start(second);
    assertThat(store.compactions().all(i, "c1")).extracting(Compaction::compactionId).containsExactly(second.compactionId(), first.compactionId());
  }

  @Test
  void theArchiveCoversEveryTableAndReimportsAUserIntoAnEmptyCopy() {
    assertThat(store.archive().schemaTables()).as("every table is in the export plan").containsExactlyInAnyOrderElementsOf(store.archive().tables());
    Instance inst = store.tenants().createInstance("arch", RelationshipMode.B2C);
    String i = inst.instanceId();
    store.messages().registerConversation(i, "c1", "alice", null);
    record(message(i, "c1", "alice", null, "I have a dog"), fact(i, "alice", "c1", "Alice has a dog"));
    record(message(i, "c9", "bob", null, "I have a cat"), fact(i, "bob", "c9", "Bob has a cat"));
    List<InstanceArchive.Row> whole = new ArrayList<>();
    store.archive().export(InstanceArchive.Selection.instance(i), whole::add);
    assertThat(whole).extracting(InstanceArchive.Row::table).contains("clients", "instances", "messages", "memories", "memory_history");
    assertThat(whole).allSatisfy(r -> assertThat(r.columns()).doesNotContainKeys("seq", "rowid", "merge_id"));
    List<InstanceArchive.Row> alice = new ArrayList<>();
    store.archive().export(new InstanceArchive.Selection(i, null, "alice"), alice::add);
    assertThat(alice).extracting(InstanceArchive.Row::table).doesNotContain("clients", "instances", "api_keys");
    assertThat(alice.toString()).contains("Alice has a dog").doesNotContain("Bob has a cat");
    // Importing rows that exist already is refused as a whole: nothing of it is applied.
    long before = store.memories().count(i);
    assertThatThrownBy(() -> store.archive().importRows(alice.iterator())).isInstanceOf(RuntimeException.class);
    assertThat(store.memories().count(i)).isEqualTo(before);
    // The same rows into an emptied store come back as they were.
    store.deleteUser(i, null, "alice");
    List<InstanceArchive.Row> withoutHistory = alice.stream().filter(r -> !r.table().equals("memory_history")).toList();
    Map<String, Integer> counts = store.archive().importRows(withoutHistory.iterator());
    assertThat(counts).containsEntry("memories", 1).containsEntry("messages", 1);
    assertThat(store.memories().list(MemoryFilter.user(i, null, "alice"), 10, 0)).extracting(Memory::content).containsExactly("Alice has a dog");
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

  @Test
  void deletingAConversationKeepsWhatAnotherConversationAlsoSaid() {
    String here = record(message("i1", "c1", "alice", null, "My dog Rex loves the beach"),
        memory("i1", "alice", null, "c1", "Alice's dog Rex loves the beach", MemoryType.FACT));
    String later = record(message("i1", "c1", "alice", null, "I live in Lyon"));
    // Restated in c2: the memory was extracted in c1 but names a turn of c2 among its sources.
    String elsewhere = record(message("i1", "c2", "alice", null, "I live in Lyon, really"));
    Memory restated = memory("i1", "alice", null, "c1", "Alice lives in Lyon", MemoryType.FACT, later, elsewhere);
    store.memories().insert(List.of(restated));
    Compaction c1 = job("i1", "c1", "alice");
    store.compactions().start(c1);
    store.compactions().complete(c1.compactionId(), result("alice summary"), Instant.now());
    store.messages().describeConversation(new MessageStore.ConversationDetails("i1", "c1", "ext-1", "support", null, null, "{\"mood\":\"calm\"}"));

    SystemOfRecord.Deleted d = store.deleteConversation("i1", "c1");

    assertThat(d.messages()).isEqualTo(2);
    assertThat(d.memories()).isEqualTo(1);
    assertThat(d.touchedConversations()).containsExactly("c1");
    assertThat(store.messages().conversation("i1", "c1", 10)).isEmpty();
    assertThat(store.messages().byIds("i1", List.of(here))).isEmpty();
    assertThat(store.memories().list(all("i1"), 10, 0)).extracting(Memory::content).containsExactly("Alice lives in Lyon");
    assertThat(store.compactions().latest("i1", "c1")).isEmpty();
    assertThat(store.messages().conversationDetails("i1", "c1")).isEmpty();
    assertThat(column("SELECT content FROM memory_history WHERE content IS NOT NULL")).containsExactly("Alice lives in Lyon");
    assertThat(store.messages().conversation("i1", "c2", 10)).hasSize(1);
  }

  @Test
  void deletingACustomerRemovesItsUsersAndItsOwnMemoriesOnly() {
    record(message("i1", "c1", "u1", "acme", "acme user one"), memory("i1", "u1", "acme", "c1", "u1 of acme", MemoryType.FACT));
    record(message("i1", "c2", "u2", "acme", "acme user two"), memory("i1", "u2", "acme", "c2", "u2 of acme", MemoryType.FACT));
    store.memories().insert(List.of(memory("i1", null, "acme", "doc:d1", "acme handbook", MemoryType.FACT)));
    record(message("i1", "c3", "u1", "globex", "globex user"), memory("i1", "u1", "globex", "c3", "u1 of globex", MemoryType.FACT));
    store.messages().describeConversation(new MessageStore.ConversationDetails("i1", "c1", "ext", null, null, null, null));

    SystemOfRecord.Deleted d = store.deleteCustomer("i1", "acme");

    assertThat(d.memories()).isEqualTo(3);
    assertThat(d.messages()).isEqualTo(2);
    assertThat(store.memories().list(all("i1"), 10, 0)).extracting(Memory::content).containsExactly("u1 of globex");
    assertThat(store.messages().conversationDetails("i1", "c1")).isEmpty();
    assertThat(store.messages().byUser("i1", "u1", 10)).extracting(Message::content).containsExactly("globex user");
  }

  @Test
  void anEditSetsAttributesAndACountFollowsTheFilter() {
    Memory m = memory("i1", "alice", null, "c1", "Alice likes tea", MemoryType.PREFERENCE);
    record(message("i1", "c1", "alice", null, "I like tea"), m, memory("i1", "bob", null, "c9", "Bob likes coffee", MemoryType.PREFERENCE));
    assertThat(store.memories().updateContent("i1", m.memoryId(), "Alice likes green tea",
        Map.of("metadata", Map.of("source", "crm"), "document_type", "email"))).isTrue();
    assertThat(store.memories().updateContent("i1", m.memoryId(), "Alice likes green tea", Map.of("metadata", Map.of("team", "b")))).isTrue();
    Memory edited = store.memories().get("i1", m.memoryId()).orElseThrow();
    assertThat(edited.content()).isEqualTo("Alice likes green tea");
    assertThat(edited.attributes()).containsEntry("metadata", Map.of("team", "b")).containsEntry("document_type", "email")
        .containsEntry(MemoryStore.EDITED, true).containsEntry("attribute_key", "pet_name");
    assertThat(store.memories().updateContent("i1", "nope", "x", Map.of())).isFalse();
    assertThat(store.memories().count(MemoryFilter.user("i1", null, "alice"))).isEqualTo(1);
    assertThat(store.memories().count(all("i1"))).isEqualTo(2);
  }

  @Test
  void recentConversationsAndTheirDetails() {
    append(message("i1", "c1", "alice", null, "first"));
    append(message("i1", "c1", "alice", null, "second"));
    append(message("i1", "c2", "alice", null, "third"));
    append(message("i1", "c3", "bob", null, "other user"));
    store.messages().appendIngestion(new Ingestion("ing_x", "i1", "d1", "document", "h", "alice", null, Instant.now()),
        List.of(message("i1", "doc:d1", "alice", null, "a document")), List.of("doc-x"));
    List<MessageStore.ConversationActivity> recent = store.messages().recentConversations("i1", null, "alice", 5);
    assertThat(recent).extracting(MessageStore.ConversationActivity::conversationId).containsExactly("c2", "c1");
    assertThat(recent.get(1).messageCount()).isEqualTo(2);
    assertThat(recent.get(1).firstMessageAt()).isBefore(recent.get(1).lastMessageAt());
    assertThat(store.messages().recentConversations("i1", null, "alice", 1)).hasSize(1);

    Instant started = Instant.ofEpochMilli(1_700_000_000_000L);
    store.messages().describeConversation(new MessageStore.ConversationDetails("i1", "c1", "call-1", "support", started, null, "{\"a\":1}"));
    store.messages().describeConversation(new MessageStore.ConversationDetails("i1", "c1", "call-1", "sales", started, started.plusSeconds(60), null));
    MessageStore.ConversationDetails d = store.messages().conversationDetails("i1", "c1").orElseThrow();
    assertThat(d.conversationType()).isEqualTo("sales");
    assertThat(d.endedAt()).isEqualTo(started.plusSeconds(60));
    assertThat(d.analysisJson()).isNull();
    assertThat(store.messages().conversationDetails("i2", "c1")).isEmpty();
  }

  @Test
  void deletingAConversationRemovesItsTurnsMemoriesAndCompactionsOnly() {
    record(message("i1", "c1", "alice", null, "My dog is Rex"), memory("i1", "alice", null, "c1", "Alice's dog is Rex", MemoryType.FACT));
    record(message("i1", "c1", null, null, null, "assistant", "Rex sounds lovely"),
        memory("i1", null, null, "c1", "Rex sounds lovely", MemoryType.FACT));
    record(message("i1", "c2", "alice", null, "I live in Lyon"), memory("i1", "alice", null, "c2", "Alice lives in Lyon", MemoryType.FACT));
    Memory gone = store.memories().list(all("i1"), 10, 0).stream().filter(m -> m.content().contains("Rex")).findFirst().orElseThrow();
    Compaction c1 = job("i1", "c1", "alice");
    store.compactions().start(c1);
    store.compactions().complete(c1.compactionId(), result("alice summary"), Instant.now());

    SystemOfRecord.Deleted d = store.deleteConversation("i1", "c1");

    assertThat(d.memories()).isEqualTo(2);
    assertThat(d.messages()).isEqualTo(2);
    assertThat(d.touchedConversations()).containsExactly("c1");
    assertThat(store.memories().list(all("i1"), 10, 0)).extracting(Memory::content).containsExactly("Alice lives in Lyon");
    assertThat(store.messages().conversation("i1", "c1", 10)).isEmpty();
    assertThat(store.messages().conversation("i1", "c2", 10)).extracting(Message::content).containsExactly("I live in Lyon");
    assertThat(store.compactions().latest("i1", "c1")).isEmpty();
    assertThat(store.memories().history("i1", gone.memoryId())).extracting(MemoryStore.HistoryEntry::content).containsOnlyNulls();
    assertThat(store.memories().history("i1", gone.memoryId()).getLast().action()).isEqualTo("deleted");
    assertThat(store.deleteConversation("i1", "c1").messages()).as("already gone").isZero();
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

    if (store.shared()) {
      // Another node's start: c2's job may be running on a live node, so it stays.
      assertThat(store.compactions().failInterrupted("restart")).isZero();
      assertThat(store.compactions().latest("i1", "c2").orElseThrow().isRunning()).isTrue();
    } else {
      assertThat(store.compactions().failInterrupted("restart")).isEqualTo(1); // c2's job
      assertThat(store.compactions().latest("i1", "c2").orElseThrow().error()).isEqualTo("restart");
    }
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

  @Test
  void relationsAreWrittenWithTheirMemorySupersededAndGoWithIt() {
    Memory initech = withRelation(memory("i1", "u", null, "c1", "Ada works at Initech", MemoryType.FACT), "works_at", "ada", "initech");
    Memory sister = withRelation(memory("i1", "u", null, "c1", "Ada's sister is Bo", MemoryType.FACT), "sister", "ada", "bo");
    store.memories().insert(List.of(initech, sister));
    Memory globex = withRelation(memory("i1", "u", null, "c1", "Ada works at Globex", MemoryType.FACT), "works_at", "ada", "globex");
    store.memories().insert(List.of(globex));
    var all = store.relations().ofEntity("i1", "ada", false);
    assertThat(all).extracting(r -> r.relation() + ":" + r.objectEntityId() + ":" + r.status())
        .containsExactlyInAnyOrder("works_at:initech:superseded", "sister:bo:current", "works_at:globex:current");
    assertThat(store.relations().ofEntity("i1", "ada", true)).extracting(r -> r.objectEntityId()).containsExactlyInAnyOrder("bo", "globex");
    assertThat(store.relations().currentOf("i1", List.of("bo"), 10)).singleElement().satisfies(r -> assertThat(r.memoryId()).isEqualTo(sister.memoryId()));
    assertThat(store.relations().ofEntity("other-instance", "ada", false)).isEmpty();
    store.memories().setStatus("i1", sister.memoryId(), "retracted", null);
    assertThat(store.relations().ofEntity("i1", "bo", true)).as("a relation is current only while its memory is").isEmpty();
    store.memories().delete("i1", globex.memoryId());
    assertThat(store.relations().ofEntity("i1", "globex", false)).isEmpty();
  }

  private static Memory withRelation(Memory m, String relation, String subject, String object) {
    Map<String, Object> attrs = new java.util.HashMap<>(m.attributes());
    attrs.put("relations", List.of(Map.of("relation", relation, "subject_id", subject, "object_id", object)));
    return new Memory(m.memoryId(), m.instanceId(), m.userId(), m.customerId(), m.conversationId(), m.scope(), m.type(), m.content(),
        m.confidence(), m.category(), attrs, m.eventDate(), m.validUntil(), m.temporalCategory(), m.sourceMessageIds(), m.status(), m.createdAt(),
        m.updatedAt());
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
    assertThat(versions).startsWith("1", "2", "3", "5", "6", "7");
    assertThat(versions).contains("20"); // conversation_details (transcript details, summary mode)
    assertThat(versions).contains("10", "11", "12", "13"); // control plane, usage roll-ups, memory configurations, webhooks
    assertThat(versions).contains("30", "31", "32", "33"); // several nodes: leases, vectors, heartbeats, compaction claims
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

  // ---- control plane (instances, keys with permissions, admin keys, audit, usage, configurations, webhooks) ----

  @Test
  void instanceDetailsKeyPermissionsExpiryArchiveAndDeleteBehaveTheSame() {
    var info = store.tenants().createInstance(null, "bot", "prod", Map.of("env", "prod"), RelationshipMode.B2B);
    assertThat(info.instanceId()).matches("inst_[0-9a-f]{16}");
    assertThat(info.status()).isEqualTo("active");
    assertThat(store.tenants().instanceInfo(info.instanceId()).orElseThrow().metadata()).containsEntry("env", "prod");
    var second = store.tenants().createInstance(null, "second", null, null, RelationshipMode.B2C);
    assertThat(second.clientId()).as("the deployment's client").isEqualTo(info.clientId());
    assertThat(store.tenants().instanceInfos(false, 0, 1)).extracting(i -> i.instanceId()).containsExactly(info.instanceId());
    assertThat(store.tenants().instanceCount(false)).isEqualTo(2);
    assertThat(store.tenants().updateInstance(info.instanceId(), "bot2", null, null).orElseThrow().description()).isEqualTo("prod");

    var readOnly = store.tenants().addKey(info.instanceId(), "hash-ro", "sk_live_aaaaaa", "ro",
        java.util.EnumSet.of(dev.synap.core.control.Permission.MEMORIES_READ), null);
    var grant = store.tenants().grant("hash-ro").orElseThrow();
    assertThat(grant.permissions()).containsExactly(dev.synap.core.control.Permission.MEMORIES_READ);
    assertThat(grant.archived()).isFalse();
    assertThat(store.tenants().key(readOnly.keyId()).orElseThrow().permissions()).containsExactly(dev.synap.core.control.Permission.MEMORIES_READ);
    store.tenants().addKey(info.instanceId(), "hash-old", "sk_live_bbbbbb", "old", dev.synap.core.control.Permission.all(),
        Instant.now().minusSeconds(1));
    assertThat(store.tenants().grant("hash-old")).as("expired").isEmpty();
    assertThat(store.tenants().revokedKeyHashes()).contains("hash-old");
    var later = store.tenants().addKey(info.instanceId(), "hash-rot", "sk_live_cccccc", "rot", dev.synap.core.control.Permission.all(), null);
    store.tenants().expireKey(later.keyId(), Instant.now().plusSeconds(3600));
    assertThat(store.tenants().key(later.keyId()).orElseThrow().expiresAt()).isNotNull();
    assertThat(store.tenants().grant("hash-rot")).isPresent();

    store.messages().appendAll(List.of(message(info.instanceId(), UUID.randomUUID().toString(), "u", "c", "hello")), List.of("d-1"));
    assertThat(store.tenants().deleteInstance(info.instanceId())).as("an active instance is not deleted").isFalse();
    assertThat(store.tenants().archiveInstance(info.instanceId())).isTrue();
    assertThat(store.tenants().grant("hash-ro").orElseThrow().archived()).isTrue();
    assertThat(store.tenants().instanceCount(false)).isEqualTo(1);
    assertThat(store.tenants().deleteInstance(info.instanceId())).isTrue();
    assertThat(store.tenants().instanceInfo(info.instanceId())).isEmpty();
    assertThat(store.tenants().grant("hash-ro")).isEmpty();
    assertThat(column("SELECT count(*) FROM messages WHERE instance_id = '" + info.instanceId() + "'")).containsExactly("0");
    assertThat(store.tenants().instanceInfo(second.instanceId())).isPresent();
  }

  @Test
  void adminKeysAuditUsageConfigurationsAndWebhooksBehaveTheSame() {
    var admin = store.control().addAdminKey("admin-hash", "sk_admin_abcdef", "ops");
    assertThat(store.control().authenticateAdmin("admin-hash")).map(k -> k.keyId()).contains(admin.keyId());
    assertThat(store.control().revokeAdminKey("sk_admin_abcdef")).isTrue();
    assertThat(store.control().authenticateAdmin("admin-hash")).isEmpty();
    long first = store.control().audit("admin:x", "inst_1", "instance.create", "inst_1", Map.of("reason", "why"));
    long second = store.control().audit("admin:x", "inst_2", "instance.create", "inst_2", Map.of());
    assertThat(second).isGreaterThan(first);
    assertThat(store.control().auditLog(null, 0, 10)).extracting(e -> e.id()).containsExactly(second, first);
    assertThat(store.control().auditLog("inst_1", 0, 10).getFirst().detail()).containsEntry("reason", "why");

    var h = new dev.synap.core.analytics.LatencyHistogram();
    h.add(5);
    store.usage().merge(List.of(new UsageStore.Rollup("inst_1", "api_call", "minute", 60_000, "", "", 2, h)));
    store.usage().merge(List.of(new UsageStore.Rollup("inst_1", "api_call", "minute", 60_000, "", "", 3, h)));
    var rows = store.usage().read("inst_1", "api_call", "minute", "", 0, 120_000);
    assertThat(rows).singleElement().satisfies(r -> {
      assertThat(r.count()).isEqualTo(5);
      assertThat(r.latency().total()).isEqualTo(2);
    });
    store.usage().prune("minute", 120_000);
    assertThat(store.usage().read("inst_1", "api_call", "minute", "", 0, 120_000)).isEmpty();

    var v1 = store.memoryConfigs().add("inst_1", "pending_review", "{}", "api", "[]", "admin:x", "first");
    var v2 = store.memoryConfigs().add("inst_1", "pending_review", "{\"a\":1}", "api", "[]", "admin:x", null);
    assertThat(v2.version()).isEqualTo(v1.version() + 1);
    assertThat(store.memoryConfigs().updateDraft("inst_1", 2, "{\"a\":2}", "[]")).isTrue();
    store.memoryConfigs().activate("inst_1", 1, "immediate", Instant.now());
    store.memoryConfigs().activate("inst_1", 2, "graceful", Instant.now());
    assertThat(store.memoryConfigs().active("inst_1").orElseThrow().version()).isEqualTo(2);
    assertThat(store.memoryConfigs().get("inst_1", 1).orElseThrow().status()).isEqualTo("superseded");
    assertThat(store.memoryConfigs().updateDraft("inst_1", 2, "{}", "[]")).as("applied versions are not drafts").isFalse();
    assertThat(store.memoryConfigs().allActive()).hasSize(1);

    var hook = store.webhooks().add("inst_1", "https://example.com/h", List.of("ingestion.completed"), "whsec_x", null);
    assertThat(store.webhooks().list("inst_1")).extracting(w -> w.eventTypes()).containsExactly(List.of("ingestion.completed"));
    Instant now = Instant.now();
    store.webhooks().enqueue(new WebhookStore.Delivery("dlv_1", hook.webhookId(), "inst_1", "ingestion.completed", "{}", "pending", 0, now, null,
        null, now, null, false));
    assertThat(store.webhooks().claimDue(now, now.plusSeconds(30), 10)).extracting(d -> d.deliveryId()).containsExactly("dlv_1");
    assertThat(store.webhooks().claimDue(now, now.plusSeconds(30), 10)).as("leased").isEmpty();
    assertThat(store.webhooks().claimDue(now.plusSeconds(31), now.plusSeconds(60), 10)).as("an expired lease is due again").hasSize(1);
    store.webhooks().attempted("dlv_1", false, 500, "HTTP 500", now.plusSeconds(60), now);
    assertThat(store.webhooks().delivery("dlv_1").orElseThrow().status()).isEqualTo("pending");
    assertThat(store.webhooks().nextDue()).contains(Instant.ofEpochMilli(now.plusSeconds(60).toEpochMilli()));
    store.webhooks().attempted("dlv_1", true, 200, null, null, now);
    var d = store.webhooks().deliveries(hook.webhookId(), 10).getFirst();
    assertThat(d.status()).isEqualTo("delivered");
    assertThat(d.attempts()).isEqualTo(2);
    assertThat(store.webhooks().delete(hook.webhookId())).isTrue();
    assertThat(store.webhooks().list("inst_1")).isEmpty();
  }

  @Test
  void recentMessagesAndMemoriesCreatedBeforeACutoff() {
    Instance a = store.tenants().createInstance("acme", RelationshipMode.B2C);
    Message m1 = message(a.instanceId(), UUID.randomUUID().toString(), "u", null, "one");
    Message m2 = message(a.instanceId(), UUID.randomUUID().toString(), "u", null, "two");
    record(m1, fact(a.instanceId(), "u", m1.conversationId(), "Old fact", m1.messageId()));
    record(m2, fact(a.instanceId(), "u", m2.conversationId(), "New fact", m2.messageId()));
    assertThat(store.messages().recent(a.instanceId(), 1)).extracting(Message::messageId).containsExactly(m2.messageId());
    List<Memory> all = store.memories().list(all(a.instanceId()), 10, 0);
    Instant newest = all.stream().map(Memory::createdAt).max(java.util.Comparator.naturalOrder()).orElseThrow();
    assertThat(store.memories().createdBefore(a.instanceId(), newest, 10)).hasSize(1);
    assertThat(store.memories().createdBefore(a.instanceId(), newest.plusSeconds(1), 10)).hasSize(2);
  }
}
