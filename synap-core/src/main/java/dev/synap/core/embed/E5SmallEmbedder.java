package dev.synap.core.embed;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * e5-small-v2 (int8 quantised, 384 dimensions), run in-process from the ONNX model packaged in
 * LangChain4j's jar: nothing is downloaded. e5 was trained with "query: " / "passage: " prefixes
 * and the packaged class does not add them, so this class does.
 */
public final class E5SmallEmbedder implements Embedder {
  public static final int DIMENSION = 384;

  /**
   * The model, one session for queries and passages. Loading takes about a second; done once per
   * JVM, on first use, on a thread of its own so that a caller interrupted while waiting (a
   * cancelled request) cannot break the load for everyone else. One ONNX thread per call: a call
   * spread over both cores embeds a LoCoMo-length query in 3.9 ms instead of 5.3 when nothing else
   * runs (p50, measured), but under a LoCoMo replay, where the lexical search, gRPC and the client
   * share the cores with it, it was no faster in any configuration we measured, and it made
   * everything beside it slower. A query running beside a passage in the same session took no
   * longer than in a session of its own (p50 4.0-5.0 ms against 4.9-5.0 ms, measured).
   */
  private static final class Model {
    static final CompletableFuture<PackagedE5Model> LOADING = new CompletableFuture<>();

    static {
      Thread.ofPlatform().name("synap-e5-load").daemon(true).start(() -> {
        try {
          LOADING.complete(new PackagedE5Model());
        } catch (Throwable t) {
          LOADING.completeExceptionally(t);
        }
      });
    }
  }

  /**
   * Queries waiting or running. A query is what a caller waits on (a fetch, a push); passages are
   * background indexing. On a small machine two model runs at once each take two to four times as
   * long, so passages are embedded one at a time and give way while any query runs: a query then
   * waits for at most the one passage in progress.
   */
  private final AtomicInteger queries = new AtomicInteger();
  private final Object gate = new Object();
  static final long MAX_YIELD_NANOS = 200_000_000L;

  @Override
  public float[] embedQuery(String text) {
    queries.incrementAndGet();
    try {
      return Vectors.unit(Model.LOADING.join().embed("query: " + text));
    } finally {
      if (queries.decrementAndGet() == 0) {
        synchronized (gate) {
          gate.notifyAll();
        }
      }
    }
  }

  @Override
  public List<float[]> embedPassages(List<String> texts) {
    List<float[]> out = new ArrayList<>(texts.size());
    for (String t : texts) {
      yieldToQueries();
      out.add(Vectors.unit(Model.LOADING.join().embed("passage: " + t)));
    }
    return out;
  }

  /** Bounded, so that a steady stream of queries slows indexing down but cannot stop it. */
  private void yieldToQueries() {
    long deadline = System.nanoTime() + MAX_YIELD_NANOS;
    synchronized (gate) {
      while (queries.get() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return;
        try {
          gate.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public boolean ready() {
    return Model.LOADING.isDone();
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }


  @Override
  public String model() {
    return "e5-small-v2";
  }
}
