package dev.synap.core.retrieve.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.embed.Vectors;
import dev.synap.core.model.Memory;
import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Scope;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dense search over a user's memories gives the exact nearest neighbours, and the same ones
 * however the index happened to be flushed into segments and how many replaced documents it
 * holds: the LoCoMo bench's figures moved between identical runs while it depended on the graph.
 */
class ExactNearestTest {
  static final int DIM = 16;
  @TempDir Path dir;

  @Test
  void theSameMemoriesGiveTheSameExactNeighboursWhateverTheSegments() {
    Random random = new Random(7);
    List<IndexedMemory> memories = new ArrayList<>();
    for (int i = 0; i < 400; i++) memories.add(memory(i, i % 2 == 0 ? "ada" : "bo", random));
    float[] query = unit(random);
    Query ada = new TermQuery(new Term(MemoryDocument.USER, "ada"));

    List<Hit> oneSegment;
    try (InstanceIndex index = new InstanceIndex(dir.resolve("one"))) {
      index.upsert(memories);
      index.refresh();
      oneSegment = ids(index, query, ada);
    }
    List<Hit> manySegments;
    try (InstanceIndex index = new InstanceIndex(dir.resolve("many"))) {
      for (int i = 0; i < memories.size(); i++) {
        index.upsert(List.of(memories.get(i)));
        if (i % 7 == 0) index.upsert(List.of(memories.get(i / 2))); // replaced: a deleted document stays behind
        if (i % 13 == 0) index.commit();
        index.refresh();
      }
      manySegments = ids(index, query, ada);
    }

    List<Integer> expected = memories.stream().filter(m -> m.memory().userId().equals("ada"))
        .sorted(Comparator.comparingDouble((IndexedMemory m) -> -Vectors.dot(query, m.vector())))
        .map(m -> Integer.parseInt(m.memory().memoryId())).limit(25).toList();
    assertThat(oneSegment.stream().map(Hit::doc).toList()).isEqualTo(expected);
    assertThat(manySegments).isEqualTo(oneSegment);
  }

  /** The top 25 as (memory id, score): doc ids differ between the two indexes, memories must not. */
  private static List<Hit> ids(InstanceIndex index, float[] query, Query filter) {
    try (InstanceIndex.View view = index.view()) {
      return view.dense(query, filter, 25).stream().map(h -> new Hit(Integer.parseInt(view.stored(h.doc()).memoryId()), h.score())).toList();
    }
  }

  private static IndexedMemory memory(int i, String user, Random random) {
    Instant at = Instant.parse("2025-01-01T00:00:00Z");
    Memory m = new Memory(Integer.toString(i), "inst", user, null, "c", Scope.USER, MemoryType.FACT, "memory " + i, 0.8, null, Map.of(), null,
        null, "perpetual", List.of(), "current", at, at);
    float[] v = unit(random);
    return new IndexedMemory(m, "memory " + i, 0, v, v);
  }

  private static float[] unit(Random random) {
    float[] v = new float[DIM];
    for (int i = 0; i < DIM; i++) v[i] = (float) random.nextGaussian();
    return Vectors.unit(v);
  }
}
