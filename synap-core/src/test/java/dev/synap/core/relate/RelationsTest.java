package dev.synap.core.relate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.MemoryEngine;
import dev.synap.core.entity.Entity;
import dev.synap.core.ingest.RecordRequest;
import dev.synap.core.tenant.RelationshipMode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Relations end to end on a real engine: extracted at ingestion, stored with their memory, superseded, deleted with it. */
class RelationsTest {
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
  void aRelationIsStoredWithTheMemoryStatingIt() throws Exception {
    say("alice", "Caroline", "My sister Anna is visiting next week.", "2024-01-10T10:00:00Z");
    idle();
    Entity caroline = entity("Caroline");
    Entity anna = entity("Anna");
    List<Relation> relations = engine.store().relations().ofEntity(instance, caroline.entityId(), true);
    assertThat(relations).singleElement().satisfies(r -> {
      assertThat(r.relation()).isEqualTo("sister");
      assertThat(r.subjectEntityId()).isEqualTo(caroline.entityId());
      assertThat(r.objectEntityId()).isEqualTo(anna.entityId());
      assertThat(engine.store().memories().get(instance, r.memoryId()).orElseThrow().content()).contains("Anna");
    });
    assertThat(engine.store().relations().ofEntity(instance, anna.entityId(), true)).hasSize(1);
  }

  @Test
  void aNewerSingleValuedRelationSupersedesTheOlder() throws Exception {
    say("alice", "Caroline", "I work at Initech as a designer.", "2024-01-10T10:00:00Z");
    idle();
    say("alice", "Caroline", "I started working at Globex Corporation this month.", "2024-05-10T10:00:00Z");
    idle();
    Entity caroline = entity("Caroline");
    List<Relation> all = engine.store().relations().ofEntity(instance, caroline.entityId(), false);
    Relation globex = all.stream().filter(r -> r.objectEntityId().equals(entity("Globex Corporation").entityId())).findFirst().orElseThrow();
    Relation initech = all.stream().filter(r -> r.objectEntityId().equals(entity("Initech").entityId())).findFirst().orElseThrow();
    assertThat(globex.isCurrent()).isTrue();
    assertThat(initech.status()).isEqualTo("superseded");
    assertThat(initech.supersededBy()).isEqualTo(globex.relationId());
    assertThat(engine.store().relations().ofEntity(instance, caroline.entityId(), true)).extracting(Relation::relationId)
        .containsExactly(globex.relationId());
  }

  @Test
  void deletingTheMemoryOrTheUserRemovesItsRelations() throws Exception {
    say("alice", "Caroline", "My brother Tom lives in Denver.", "2024-01-10T10:00:00Z");
    say("bob", "Dave", "My friend Lena works at Umbrella Corp.", "2024-01-10T10:00:00Z");
    idle();
    Entity tom = entity("Tom");
    Relation brother = engine.store().relations().ofEntity(instance, tom.entityId(), false).stream()
        .filter(r -> r.relation().equals("brother")).findFirst().orElseThrow();
    engine.store().memories().delete(instance, brother.memoryId());
    assertThat(engine.store().relations().ofEntity(instance, tom.entityId(), false)).isEmpty();
    String lena = entity("Lena").entityId();
    assertThat(engine.store().relations().ofEntity(instance, lena, false)).isNotEmpty();
    engine.store().deleteUser(instance, null, "bob");
    assertThat(engine.store().relations().ofEntity(instance, lena, false)).isEmpty();
  }

  private Entity entity(String name) {
    return engine.entities().entities(instance).stream().filter(e -> e.aliases().contains(name) || e.canonicalName().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no entity " + name + " in " + engine.entities().entities(instance)));
  }

  private void say(String user, String speaker, String text, String at) {
    engine.ingest().record(new RecordRequest(instance, "conv-" + user, user, null, "s1", "user", "message", text, Map.of("speaker", speaker),
        Instant.parse(at), null));
  }

  private void idle() throws InterruptedException {
    assertThat(engine.awaitIdle(Duration.ofSeconds(60))).isTrue();
  }
}
