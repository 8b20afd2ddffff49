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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch that was already embedding when a write burst began steps back between chunks of
 * passages until the burst is over, then finishes: nothing is dropped.
 */
class IndexYieldTest {
  @TempDir Path dir;

  @Test
  void aBatchUnderWayPausesForABurstThatBeginsAndFinishesAfterIt() throws Exception {
    AtomicBoolean burst = new AtomicBoolean();
    AtomicLong burstEndedAt = new AtomicLong(Long.MAX_VALUE);
    List<Long> callsAt = new CopyOnWriteArrayList<>();
    Embedder embedder = new Embedder() {
      @Override
      public float[] embedQuery(String text) {
        return vector(text);
      }

      @Override
      public List<float[]> embedPassages(List<String> texts) {
        if (callsAt.isEmpty()) {
          // The burst begins while the first passages are being embedded, and lasts 600 ms.
          burst.set(true);
          Thread.ofPlatform().start(() -> {
            try {
              Thread.sleep(600);
            } catch (InterruptedException e) {
              return;
            }
            burstEndedAt.set(System.nanoTime());
            burst.set(false);
          });
        }
        callsAt.add(System.nanoTime());
        return texts.stream().map(IndexYieldTest::vector).toList();
      }

      @Override
      public int dimension() {
        return 8;
      }

      @Override
      public boolean ready() {
        return true;
      }
    };
    try (SqliteSystemOfRecord store = new SqliteSystemOfRecord(dir)) {
      String instance = new Tenancy(store.tenants()).createInstance("yield", RelationshipMode.B2C).instanceId();
      List<Memory> memories = new ArrayList<>();
      Instant at = Instant.parse("2025-01-01T00:00:00Z");
      for (int i = 0; i < 3 * MemoryIndex.EMBED_CHUNK; i++) {
        memories.add(new Memory("m-" + i, instance, "u", null, "c", Scope.USER, MemoryType.FACT, "Ada keeps note number " + i + ".", 0.8,
            null, Map.of(), null, null, "perpetual", List.of(), "current", at, at));
      }
      store.memories().insert(memories);
      try (MemoryIndex index = new MemoryIndex(dir.resolve("index"), store, embedder, IndexText.DEFAULT, burst::get, MemoryIndex.Durability.DEFAULT)) {
        index.reindex(instance, memories.stream().map(Memory::memoryId).toList());
        assertThat(index.awaitIdle(Duration.ofSeconds(30))).isTrue();
        assertThat(index.forInstance(instance).searchableCount()).isEqualTo(memories.size());
      }
      assertThat(callsAt).hasSizeGreaterThanOrEqualTo(3); // embedded in chunks, not in one call
      assertThat(callsAt.get(1)).isGreaterThanOrEqualTo(burstEndedAt.get()); // and the second chunk waited for the burst's end
    }
  }

  private static float[] vector(String text) {
    float[] v = new float[8];
    for (String w : text.toLowerCase().split("\\W+")) v[Math.floorMod(w.hashCode(), 8)] += 1;
    v[0] += 0.5f;
    return v;
  }
}
