package dev.synap.core.entity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.store.sqlite.SqliteSystemOfRecord;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EntityRegistryTest {
  @TempDir Path dir;

  @Test
  void resolvesExactAliasNicknameAndFuzzyMentionsToOneEntity() {
    try (SqliteSystemOfRecord store = new SqliteSystemOfRecord(dir)) {
      EntityRegistry registry = new EntityRegistry(store.entities());
      Entity melanie = registry.resolve("i1", "Melanie", EntityType.PERSON);
      Entity robert = registry.resolve("i1", "Robert", EntityType.PERSON);

      assertThat(registry.resolve("i1", "melanie", EntityType.PERSON).entityId()).isEqualTo(melanie.entityId());
      assertThat(registry.resolve("i1", "Mel", EntityType.PERSON).entityId()).isEqualTo(melanie.entityId());
      assertThat(registry.resolve("i1", "Bob", EntityType.PERSON).entityId()).isEqualTo(robert.entityId());
      assertThat(registry.resolve("i1", "Melanei", EntityType.PERSON).entityId()).isEqualTo(melanie.entityId());
      assertThat(store.entities().get("i1", melanie.entityId()).orElseThrow().aliases()).contains("Melanie", "Mel", "Melanei");
      // Another instance has its own registry.
      assertThat(registry.resolve("i2", "Melanie", EntityType.PERSON).entityId()).isNotEqualTo(melanie.entityId());
    }
  }

  @Test
  void distinctShortNamesStayDistinct() {
    try (SqliteSystemOfRecord store = new SqliteSystemOfRecord(dir)) {
      EntityRegistry registry = new EntityRegistry(store.entities());
      Entity tim = registry.resolve("i1", "Tim", EntityType.PERSON);
      assertThat(registry.resolve("i1", "Tom", EntityType.PERSON).entityId()).isNotEqualTo(tim.entityId());
      assertThat(registry.resolve("i1", "Boston", EntityType.PLACE).entityId()).isNotEqualTo(registry.resolve("i1", "Austin", EntityType.PLACE).entityId());
    }
  }

  @Test
  void aShortFormSeenFirstIsMergedIntoTheFullNameWithHistory() {
    try (SqliteSystemOfRecord store = new SqliteSystemOfRecord(dir)) {
      EntityRegistry registry = new EntityRegistry(store.entities());
      Entity mel = registry.resolve("i1", "Mel", EntityType.PERSON);
      Entity melanie = registry.resolve("i1", "Melanie", EntityType.PERSON);

      assertThat(melanie.aliases()).contains("Mel", "Melanie");
      assertThat(store.entities().get("i1", mel.entityId()).orElseThrow().mergedInto()).isEqualTo(melanie.entityId());
      assertThat(store.entities().merges("i1")).singleElement().satisfies(m -> {
        assertThat(m.fromEntityId()).isEqualTo(mel.entityId());
        assertThat(m.intoEntityId()).isEqualTo(melanie.entityId());
      });
      assertThat(registry.resolve("i1", "Mel", EntityType.PERSON).entityId()).isEqualTo(melanie.entityId());
      assertThat(registry.entities("i1")).extracting(Entity::canonicalName).containsExactly("Melanie");
    }
  }

  @Test
  void creationIsIdempotentAcrossRegistries() {
    try (SqliteSystemOfRecord store = new SqliteSystemOfRecord(dir)) {
      Entity a = new EntityRegistry(store.entities()).resolve("i1", "Denver", EntityType.PLACE);
      Entity b = new EntityRegistry(store.entities()).resolve("i1", "Denver", EntityType.PLACE);
      assertThat(a.entityId()).isEqualTo(b.entityId());
      assertThat(store.entities().active("i1")).hasSize(1);
    }
  }
}
