package dev.synap.core.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CachingEmbedderTest {

  /** Counts model runs; the vector encodes the text's length so answers can be told apart. */
  private static final class Counting implements Embedder {
    final List<String> queries = new ArrayList<>();
    final List<String> passages = new ArrayList<>();

    @Override
    public float[] embedQuery(String text) {
      queries.add(text);
      return new float[] {text.length(), 1};
    }

    @Override
    public List<float[]> embedPassages(List<String> texts) {
      passages.addAll(texts);
      return texts.stream().map(t -> new float[] {t.length(), 0}).toList();
    }

    @Override
    public boolean ready() {
      return true;
    }

    @Override
    public int dimension() {
      return 2;
    }
  }

  @Test
  void repeatedTextRunsTheModelOnceAndQueriesAndPassagesStayApart() {
    Counting model = new Counting();
    CachingEmbedder cache = new CachingEmbedder(model, 100);
    float[] first = cache.embedQuery("what was my dog's name");
    assertThat(cache.embedQuery("what was my dog's name")).isSameAs(first);
    assertThat(cache.embedQuery("another question")[0]).isEqualTo(16f);
    assertThat(model.queries).containsExactly("what was my dog's name", "another question");

    List<float[]> passages = cache.embedPassages(List.of("a", "what was my dog's name", "a"));
    assertThat(passages.get(1)[1]).as("a passage is not answered with the query's vector").isEqualTo(0f);
    cache.embedPassages(List.of("what was my dog's name", "bb"));
    assertThat(model.passages).containsExactly("a", "what was my dog's name", "a", "bb");
  }

  @Test
  void leastRecentlyUsedQueriesAreEvicted() {
    Counting model = new Counting();
    CachingEmbedder cache = new CachingEmbedder(model, 2);
    cache.embedQuery("one");
    cache.embedQuery("two");
    cache.embedQuery("one");
    cache.embedQuery("three"); // evicts "two", the least recently used
    cache.embedQuery("one");
    cache.embedQuery("two");
    assertThat(model.queries).containsExactly("one", "two", "three", "two");
  }
}
