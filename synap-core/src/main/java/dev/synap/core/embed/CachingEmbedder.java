package dev.synap.core.embed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers recent passage embeddings so that re-indexing the same text (status changes,
 * rebuilds, a memory indexed before and after its index was opened) costs a map lookup instead
 * of a model run. Queries are not cached: they are short (a few milliseconds to embed) and
 * rarely repeat verbatim, and a cache would make latency measurements flatter than real use.
 */
public final class CachingEmbedder implements Embedder {
  private final Embedder delegate;
  private final Map<String, float[]> cache;

  public CachingEmbedder(Embedder delegate, int capacity) {
    this.delegate = delegate;
    this.cache = new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
        return size() > capacity;
      }
    };
  }

  @Override
  public float[] embedQuery(String text) {
    return delegate.embedQuery(text);
  }

  @Override
  public List<float[]> embedPassages(List<String> texts) {
    List<float[]> out = new ArrayList<>(texts.size());
    List<String> missing = new ArrayList<>();
    for (String t : texts) {
      float[] hit = lookup(t);
      out.add(hit);
      if (hit == null) missing.add(t);
    }
    if (missing.isEmpty()) return out;
    List<float[]> computed = delegate.embedPassages(missing);
    for (int i = 0, j = 0; i < out.size(); i++) {
      if (out.get(i) != null) continue;
      float[] v = computed.get(j++);
      out.set(i, v);
      store(texts.get(i), v);
    }
    return out;
  }

  @Override
  public boolean ready() {
    return delegate.ready();
  }

  @Override
  public int dimension() {
    return delegate.dimension();
  }

  private synchronized float[] lookup(String key) {
    return cache.get(key);
  }

  private synchronized void store(String key, float[] v) {
    cache.put(key, v);
  }
}
