package dev.synap.core.retrieve.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.embed.Embedder;
import dev.synap.core.model.Memory;
import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Scope;
import dev.synap.core.store.sqlite.SqliteSystemOfRecord;
import dev.synap.core.tenant.RelationshipMode;
import dev.synap.core.tenant.Tenancy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embeddings are computed once and stored with the memory: a rebuild (on this node, or a node
 * building its index from the shared store) reads them and never runs the model for them.
 */
class StoredVectorsTest {
  @TempDir Path dir;
  SqliteSystemOfRecord store;
  String instance;

  @BeforeEach
  void open() {
    store = new SqliteSystemOfRecord(dir);
    instance = new Tenancy(store.tenants()).createInstance("vectors", RelationshipMode.B2C).instanceId();
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aRebuildFromTheStoreUsesStoredVectorsAndNeverCallsTheModel() throws Exception {
    List<String> ids = insert("Ada bakes sourdough.", "Ada swims at dawn.", "Ada reads Tolstoy.");
    Counting model = new Counting();
    float[] before;
    try (MemoryIndex index = new MemoryIndex(dir.resolve("index-a"), store, model, IndexText.DEFAULT)) {
      index.reindex(instance, ids);
      assertThat(index.awaitIdle(Duration.ofSeconds(30))).isTrue();
      assertThat(model.passages).hasValue(6); // own text and text in context, once each
      before = firstVector(index);
    }
    assertThat(store.vectors().get(instance, ids)).containsOnlyKeys(ids);

    // Another node (or this one after losing its index folder) builds its index from the store with
    // a model that must not run: the embedder fails if called.
    Embedder mustNotRun = new Counting() {
      @Override
      public List<float[]> embedPassages(List<String> texts) {
        throw new AssertionError("the model ran for " + texts);
      }
    };
    try (MemoryIndex index = new MemoryIndex(dir.resolve("index-b"), store, mustNotRun, IndexText.DEFAULT)) {
      index.rebuild(instance);
      assertThat(index.forInstance(instance).searchableCount()).isEqualTo(3);
      assertThat(index.stats().failedBatches()).isZero();
      assertThat(firstVector(index)).containsExactly(before);
    }
  }

  @Test
  void anEditedMemoryIsEmbeddedAgainAndADeletedOneTakesItsVectorWithIt() throws Exception {
    List<String> ids = insert("Bo plays chess.", "Bo grows figs.");
    Counting model = new Counting();
    try (MemoryIndex index = new MemoryIndex(dir.resolve("index"), store, model, IndexText.DEFAULT)) {
      index.reindex(instance, ids);
      assertThat(index.awaitIdle(Duration.ofSeconds(30))).isTrue();
      String hash = store.vectors().get(instance, ids).get(ids.get(0)).textHash();
      int calls = model.passages.get();

      store.memories().updateContent(instance, ids.get(0), "Bo plays go.");
      index.reindex(instance, List.of(ids.get(0)));
      assertThat(index.awaitIdle(Duration.ofSeconds(30))).isTrue();
      assertThat(model.passages.get()).isEqualTo(calls + 2); // only the edited one, once
      assertThat(store.vectors().get(instance, ids).get(ids.get(0)).textHash()).isNotEqualTo(hash);

      store.memories().delete(instance, ids.get(1));
      assertThat(store.vectors().get(instance, ids)).containsOnlyKeys(ids.get(0));
    }
  }

  private float[] firstVector(MemoryIndex index) {
    try (InstanceIndex.View v = index.forInstance(instance).view()) {
      var hits = v.lexical(List.of("sourdough"), new MatchAllDocsQuery(), 1);
      return v.vector(hits.getFirst().doc());
    }
  }

  private List<String> insert(String... texts) {
    List<Memory> memories = new ArrayList<>();
    Instant at = Instant.parse("2025-01-01T00:00:00Z");
    for (int i = 0; i < texts.length; i++) {
      memories.add(new Memory("m-" + i, instance, "u", null, "c", Scope.USER, MemoryType.FACT, texts[i], 0.8, null, Map.of(), null, null,
          "perpetual", List.of(), "current", at, at));
    }
    store.memories().insert(memories);
    return memories.stream().map(Memory::memoryId).toList();
  }

  /** A small deterministic model that counts the passages it embeds. */
  private static class Counting implements Embedder {
    final AtomicInteger passages = new AtomicInteger();

    @Override
    public float[] embedQuery(String text) {
      return vector(text);
    }

    @Override
    public List<float[]> embedPassages(List<String> texts) {
      passages.addAndGet(texts.size());
      return texts.stream().map(Counting::vector).toList();
    }

    static float[] vector(String text) {
      float[] v = new float[8];
      for (String w : text.toLowerCase().split("\\W+")) v[Math.floorMod(w.hashCode(), 8)] += 1;
      v[0] += 0.5f;
      return v;
    }

    @Override
    public int dimension() {
      return 8;
    }

    @Override
    public String model() {
      return "counting-8";
    }

    @Override
    public boolean ready() {
      return true;
    }
  }
}
