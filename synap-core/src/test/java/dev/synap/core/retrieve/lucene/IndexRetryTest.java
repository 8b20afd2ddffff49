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
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Indexing writes that fail are retried, never dropped: the failure is injected through the
 * index's embedder (its own seam), with a real SQLite store and a real Lucene index.
 */
class IndexRetryTest {
  @TempDir Path dir;
  SqliteSystemOfRecord store;
  MemoryIndex index;
  String instance;

  @BeforeEach
  void open() {
    store = new SqliteSystemOfRecord(dir);
    instance = new Tenancy(store.tenants()).createInstance("retry", RelationshipMode.B2C).instanceId();
  }

  @AfterEach
  void close() {
    if (index != null) index.close();
    store.close();
  }

  @Test
  void aBatchThatFailsIsRetriedUntilItIsIndexed() throws Exception {
    FailingEmbedder embedder = new FailingEmbedder(texts -> true, 2); // the first two attempts fail
    index = new MemoryIndex(dir.resolve("index"), store, embedder, IndexText.DEFAULT);
    List<String> ids = insert("Ada bakes sourdough.", "Ada swims at dawn.", "Ada reads Tolstoy.");
    index.reindex(instance, ids);

    assertThat(index.awaitIdle(Duration.ofSeconds(30))).isTrue();
    assertThat(index.stats().failedBatches()).isEqualTo(2);
    assertThat(index.forInstance(instance).searchableCount()).isEqualTo(3);
    assertThat(index.notYetIndexed(instance)).isEmpty();
  }

  @Test
  void aWriteThatKeepsFailingIsSetAsideAndTheOthersAreIndexed() throws Exception {
    FailingEmbedder embedder = new FailingEmbedder(texts -> texts.stream().anyMatch(t -> t.contains("POISON")), Integer.MAX_VALUE);
    index = new MemoryIndex(dir.resolve("index"), store, embedder, IndexText.DEFAULT);
    List<String> ids = insert("Bo plays chess.", "Bo grows figs.", "Bo says POISON.", "Bo owns a kayak.");
    for (String id : ids) index.reindex(instance, List.of(id));

    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (index.stats().setAside() == 0 && System.nanoTime() < deadline) Thread.sleep(50);
    assertThat(index.stats().setAside()).isEqualTo(1);
    while (index.notYetIndexed(instance).size() > 1 && System.nanoTime() < deadline) Thread.sleep(50); // the writes behind it
    assertThat(index.forInstance(instance).searchableCount()).isEqualTo(3);
    assertThat(index.notYetIndexed(instance)).containsExactly(ids.get(2)); // still served from the store
    assertThat(index.stats().failedBatches()).isGreaterThanOrEqualTo(8);
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

  /** A small deterministic embedder whose passage calls fail while {@code failWhen} holds, at most {@code failures} times. */
  private static final class FailingEmbedder implements Embedder {
    private final Predicate<List<String>> failWhen;
    private final AtomicInteger failuresLeft;

    FailingEmbedder(Predicate<List<String>> failWhen, int failures) {
      this.failWhen = failWhen;
      this.failuresLeft = new AtomicInteger(failures);
    }

    @Override
    public float[] embedQuery(String text) {
      return vector(text);
    }

    @Override
    public List<float[]> embedPassages(List<String> texts) {
      if (failWhen.test(texts) && failuresLeft.getAndDecrement() > 0) throw new IllegalStateException("injected embedder failure");
      return texts.stream().map(FailingEmbedder::vector).toList();
    }

    private static float[] vector(String text) {
      float[] v = new float[8];
      for (String w : text.toLowerCase().split("\\W+")) v[Math.floorMod(w.hashCode(), 8)] += 1;
      v[0] += 0.5f; // never all zero: cosine needs a length
      return v;
    }

    @Override
    public int dimension() {
      return 8;
    }

    @Override
    public boolean ready() {
      return true;
    }
  }
}
