package dev.synap.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synap.core.model.Memory;
import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Message;
import dev.synap.core.store.MemoryChanges;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsolidationTest {
  @TempDir Path dir;

  private static Memory only(List<Memory> memories, String contentPart) {
    List<Memory> found = memories.stream().filter(m -> m.content().contains(contentPart)).toList();
    assertThat(found).as("memories containing '%s' in %s", contentPart, memories).hasSize(1);
    return found.getFirst();
  }

  @Test
  void aNewValueForTheSameAttributeSupersedesTheOldOne() {
    try (PipelineFixture f = new PipelineFixture(dir).start()) {
      f.say("c1", "Caroline", "I live in Boston with my partner.", "2023-05-08T10:00:00Z");
      f.say("c2", "Caroline", "I moved to Denver last month.", "2023-09-01T10:00:00Z");

      Memory boston = only(f.all(), "Boston");
      Memory denver = only(f.all(), "Denver");
      assertThat(boston.status()).isEqualTo("superseded");
      assertThat(boston.validUntil()).isEqualTo("2023-09-01T10:00:00Z");
      assertThat(boston.attributes()).containsEntry("changed_by", denver.memoryId());
      assertThat(denver.isCurrent()).isTrue();
      assertThat(denver.attributes()).containsEntry("attribute_key", "residence").containsKey("supersedes");
      assertThat(f.current()).extracting(Memory::memoryId).doesNotContain(boston.memoryId());
    }
  }

  @Test
  void favouriteColourChangeSupersedesAndSameColourReinforces() {
    try (PipelineFixture f = new PipelineFixture(dir).start()) {
      f.say("c1", "Melanie", "My favourite colour is blue.", "2023-05-08T10:00:00Z");
      f.say("c1", "Melanie", "My favorite color is blue.", "2023-05-09T10:00:00Z");
      assertThat(f.all()).hasSize(1);
      f.say("c2", "Melanie", "My favourite colour is green now.", "2023-06-01T10:00:00Z");

      assertThat(only(f.all(), "blue").status()).isEqualTo("superseded");
      assertThat(only(f.current(), "green").type()).isEqualTo(MemoryType.PREFERENCE);
    }
  }

  @Test
  void aChangeForAnotherPersonLeavesTheFirstPersonsFactAlone() {
    try (PipelineFixture f = new PipelineFixture(dir).start()) {
      f.say("c1", "Caroline", "I live in Boston.", "2023-05-08T10:00:00Z");
      f.say("c1", "Melanie", "I live in Denver.", "2023-05-08T10:01:00Z");
      assertThat(f.current()).hasSize(2);
    }
  }

  @Test
  void forgetThatRetractsWhatWasSaidLast() {
    try (PipelineFixture f = new PipelineFixture(dir).start()) {
      f.say("c1", "Caroline", "I love hiking in the mountains.", "2023-05-08T10:00:00Z");
      f.say("c1", "Caroline", "I adopted a puppy named Toby yesterday.", "2023-05-08T10:01:00Z");
      f.say("c1", "Caroline", "Actually, forget that.", "2023-05-08T10:02:00Z");

      assertThat(only(f.all(), "Toby").status()).isEqualTo("retracted");
      assertThat(only(f.all(), "Toby").validUntil()).isEqualTo("2023-05-08T10:02:00Z");
      assertThat(only(f.current(), "hiking").isCurrent()).isTrue();
    }
  }

  @Test
  void ignoreWhatISaidAboutXRetractsMatchingMemories() {
    try (PipelineFixture f = new PipelineFixture(dir).start()) {
      f.say("c1", "Caroline", "I work as a nurse at the city hospital.", "2023-05-08T10:00:00Z");
      f.say("c1", "Caroline", "I love sushi.", "2023-05-08T10:01:00Z");
      f.say("c2", "Caroline", "Please ignore what I said about the nurse job.", "2023-05-09T10:00:00Z");

      assertThat(only(f.all(), "nurse").status()).isEqualTo("retracted");
      assertThat(only(f.current(), "sushi").isCurrent()).isTrue();
    }
  }

  @Test
  void thatsNotTrueAnymoreRetractsTheLatestStatement() {
    try (PipelineFixture f = new PipelineFixture(dir).start()) {
      f.say("c1", "Caroline", "I'm a vegetarian.", "2023-05-08T10:00:00Z");
      f.say("c1", "Caroline", "That's not true anymore.", "2023-05-10T10:00:00Z");
      assertThat(f.current()).isEmpty();
      assertThat(f.all()).singleElement().extracting(Memory::status).isEqualTo("retracted");
    }
  }

  @Test
  void aRestatedFactReinforcesInsteadOfDuplicating() {
    try (PipelineFixture f = new PipelineFixture(dir).start()) {
      String first = f.say("session-1", "Caroline", "I love hiking.", "2023-05-08T10:00:00Z");
      String again = f.say("session-5", "Caroline", "I love hiking!", "2023-08-20T10:00:00Z");

      Memory m = f.all().getFirst();
      assertThat(f.all()).hasSize(1);
      assertThat(m.sourceMessageIds()).containsExactly(first, again);
      assertThat(m.confidence()).isGreaterThan(0.8);
      assertThat(m.attributes()).containsEntry("last_seen", "2023-08-20T10:00:00Z").containsEntry("reinforcements", 1);
      assertThat(f.store.messages().status(PipelineFixture.INSTANCE, again).orElseThrow().memoriesCreated()).isEqualTo(1);
    }
  }

  @Test
  void episodesOnDifferentDaysAreNotDuplicates() {
    try (PipelineFixture f = new PipelineFixture(dir).start()) {
      f.say("c1", "Caroline", "I went swimming yesterday.", "2023-05-08T10:00:00Z");
      f.say("c1", "Caroline", "I went swimming yesterday.", "2023-05-15T10:00:00Z");
      assertThat(f.current()).hasSize(2);
    }
  }

  @Test
  void memoriesCarryCanonicalEntityIdsAndAliasesResolve() {
    try (PipelineFixture f = new PipelineFixture(dir).start()) {
      f.say("c1", "Caroline", "I went hiking with Melanie yesterday.", "2023-05-08T10:00:00Z");
      f.say("c1", "Caroline", "I'm painting a portrait of Mel for her birthday.", "2023-05-09T10:00:00Z");

      Memory hike = only(f.current(), "hiking");
      Memory portrait = only(f.current(), "portrait");
      var melanie = f.entities.entities(PipelineFixture.INSTANCE).stream().filter(e -> e.canonicalName().equals("Melanie")).findFirst().orElseThrow();
      var caroline = f.entities.entities(PipelineFixture.INSTANCE).stream().filter(e -> e.canonicalName().equals("Caroline")).findFirst().orElseThrow();
      assertThat(hike.attributes().get("entity_ids")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).contains(melanie.entityId());
      assertThat(portrait.attributes().get("entity_ids")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).contains(melanie.entityId());
      assertThat(portrait.attributes()).containsEntry("entity_id", caroline.entityId());
      assertThat(melanie.aliases()).contains("Mel");
    }
  }

  @Test
  void reRunningACompletedMessageAppliesNothingTwice() {
    try (PipelineFixture f = new PipelineFixture(dir)) {
      f.pipeline.record(PipelineFixture.request("c1", "Caroline", "I live in Boston.", "2023-05-08T10:00:00Z"));
      Message claimed = f.store.messages().claimQueued(1).getFirst();
      f.pipeline.process(claimed);
      List<Memory> after = f.all();

      // A worker that re-runs the same message (say, after a lost acknowledgement) applies nothing,
      // and the message keeps its completed state.
      f.pipeline.process(claimed);
      assertThat(f.all()).isEqualTo(after);
      assertThat(f.store.messages().status(claimed.instanceId(), claimed.messageId()).orElseThrow().status()).isEqualTo("completed");
    }
  }

  @Test
  void aMessageLeftInProcessingByACrashIsRunOnceOnRestart() {
    String id;
    try (PipelineFixture f = new PipelineFixture(dir)) {
      id = f.pipeline.record(PipelineFixture.request("c1", "Caroline", "I love hiking.", "2023-05-08T10:00:00Z")).messageId();
      f.store.messages().claimQueued(1); // claimed by a worker that then died before committing
    }
    try (PipelineFixture f = new PipelineFixture(dir).start()) {
      f.awaitDone(id);
      assertThat(f.all()).singleElement().satisfies(m -> assertThat(m.sourceMessageIds()).containsExactly(id));
    }
  }

  @Test
  void plainCompleteStillInsertsWithoutConsolidation() {
    try (PipelineFixture f = new PipelineFixture(dir)) {
      f.pipeline.record(PipelineFixture.request("c1", "Caroline", "I love tea.", "2023-05-08T10:00:00Z"));
      Message claimed = f.store.messages().claimQueued(1).getFirst();
      MemoryChanges none = f.store.messages().complete(claimed.messageId(), ledger -> MemoryChanges.insertOnly(List.of()));
      assertThat(none.inserts()).isEmpty();
      assertThat(f.store.messages().status(PipelineFixture.INSTANCE, claimed.messageId()).orElseThrow().status()).isEqualTo("completed");
    }
  }
}
