package dev.synap.core.embed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Remembers recent embeddings so that the same text costs a map lookup instead of a model run.
 * Passages: re-indexing (status changes, rebuilds, a memory indexed before and after its index was
 * opened). Queries, in a smaller map of their own: the same text is searched again and again in
 * real use (an agent's fetch for the message it just sent as an event, retries, a client polling
 * for a memory it just wrote), and on a small machine a query embedding is the largest part of a
 * fetch.
 */
public final class CachingEmbedder implements Embedder {
  static final int QUERY_CAPACITY = 4096;
  private final Embedder delegate;
  private final Map<String, float[]> cache;
  private final Map<String, float[]> queries;

  public CachingEmbedder(Embedder delegate, int capacity) {
    this.delegate = delegate;
    this.cache = lru(capacity);
    this.queries = lru(Math.min(capacity, QUERY_CAPACITY));
  }

  private static Map<String, float[]> lru(int capacity) {
    return new LinkedHashMap<>(1024, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
        return size() > capacity;
      }
    };
  }

  @Override
  public float[] embedQuery(String text) {
    float[] hit;
    synchronized (queries) {
      hit = queries.get(text);
    }
    if (hit != null) return hit;
    float[] v = delegate.embedQuery(text);
    synchronized (queries) {
      queries.put(text, v);
    }
    return v;
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

  /** Forgets every cached embedding: its keys are texts, and deleted text must not stay in memory. */
  public void clear() {
    synchronized (queries) {
      queries.clear();
    }
    synchronized (this) {
      cache.clear();
    }
  }

  private synchronized float[] lookup(String key) {
    return cache.get(key);
  }

  private synchronized void store(String key, float[] v) {
    cache.put(key, v);
  }

  @Override
  public String model() {
    return delegate.model();
  }
}
