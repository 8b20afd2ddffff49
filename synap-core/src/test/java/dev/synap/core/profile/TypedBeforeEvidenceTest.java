package dev.synap.core.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.MemoryEngine;
import dev.synap.core.anticipate.RecentMemories;
import dev.synap.core.ingest.RecordRequest;
import dev.synap.core.model.Memory;
import dev.synap.core.model.Scope;
import dev.synap.core.retrieve.ContextItem;
import dev.synap.core.retrieve.ContextQuery;
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

/**
 * Issue #20 on a real engine: a sentence that is not a typed memory is still stored and found by
 * retrieval (source evidence), but the profile leaves it out and the user's standing context puts
 * typed memories first.
 */
class TypedBeforeEvidenceTest {
  private static final String PREFERENCE = "I love hiking in the mountains.";
  private static final String EVIDENCE = "Your brother's new bakery downtown sells the best cinnamon rolls in the whole city.";
  @TempDir Path dir;
  MemoryEngine engine;
  String instance;

  @BeforeEach
  void start() throws InterruptedException {
    engine = MemoryEngine.open(MemoryEngine.Config.defaults(dir));
    instance = engine.tenancy().createInstance("test", RelationshipMode.B2C).instanceId();
    say(PREFERENCE, "2024-01-10T10:00:00Z");
    say(EVIDENCE, "2024-01-10T10:05:00Z"); // the newer of the two
    assertThat(engine.awaitIdle(Duration.ofSeconds(60))).isTrue();
  }

  @AfterEach
  void stop() {
    engine.close();
  }

  @Test
  void evidenceIsStoredAndRetrievable() {
    List<Memory> found = engine.retriever().retrieve(query("where are the best cinnamon rolls?")).items().stream().map(ContextItem::memory).toList();
    assertThat(found).filteredOn(m -> m.content().contains("cinnamon rolls")).singleElement()
        .satisfies(m -> assertThat(m.isEvidence()).isTrue());
  }

  @Test
  void theProfileIsMadeOfTypedMemoriesOnly() {
    UserProfile profile = engine.profiles().build(instance, null, "alice").orElseThrow();
    assertThat(profile.memoriesConsidered()).isEqualTo(1);
    assertThat(profile.attributes().toString()).contains("hiking").doesNotContain("cinnamon");
  }

  @Test
  void theStandingContextPutsTypedMemoriesBeforeNewerEvidence() {
    List<Memory> recent = RecentMemories.of(engine.store().memories(), query(""), 1).items().stream().map(ContextItem::memory).toList();
    assertThat(recent).extracting(Memory::content).containsExactly(PREFERENCE);
  }

  private void say(String text, String at) {
    engine.ingest().record(new RecordRequest(instance, "conv-alice", "alice", null, "s1", "user", "message", text, Map.of(), Instant.parse(at), null));
  }

  private ContextQuery query(String q) {
    return new ContextQuery(instance, Scope.USER, null, "alice", null, q.isEmpty() ? List.of() : List.of(q), Set.of(), 10, "fast", 4096);
  }
}
