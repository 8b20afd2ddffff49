package dev.synap.core.embed;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * e5-small-v2 (int8 quantised, 384 dimensions), run in-process from the ONNX model packaged in
 * LangChain4j's jar: nothing is downloaded. e5 was trained with "query: " / "passage: " prefixes
 * and the packaged class does not add them, so this class does.
 */
public final class E5SmallEmbedder implements Embedder {
  public static final int DIMENSION = 384;

  /**
   * Loading the model takes about a second; do it once per JVM, on first use. It loads on a thread
   * of its own so that a caller interrupted while waiting (a cancelled request) cannot break the
   * load for everyone else.
   */
  private static final class Model {
    static final CompletableFuture<E5SmallV2QuantizedEmbeddingModel> LOADING = new CompletableFuture<>();

    static {
      Thread.ofPlatform().name("synap-e5-load").daemon(true).start(() -> {
        try {
          LOADING.complete(new E5SmallV2QuantizedEmbeddingModel(Runnable::run));
        } catch (Throwable t) {
          LOADING.completeExceptionally(t);
        }
      });
    }

    static E5SmallV2QuantizedEmbeddingModel get() {
      return LOADING.join();
    }
  }

  /** The passage model (one ONNX thread, see {@link OneThreadE5Model}); loaded on first indexing. */
  private static final class PassageModel {
    static final OneThreadE5Model INSTANCE = new OneThreadE5Model();
  }

  @Override
  public float[] embedQuery(String text) {
    return Vectors.unit(Model.get().embed("query: " + text).content().vector());
  }

  @Override
  public List<float[]> embedPassages(List<String> texts) {
    List<TextSegment> segments = new ArrayList<>(texts.size());
    for (String t : texts) segments.add(TextSegment.from("passage: " + t));
    List<Embedding> embedded = PassageModel.INSTANCE.embedAll(segments).content();
    List<float[]> out = new ArrayList<>(embedded.size());
    for (Embedding e : embedded) out.add(Vectors.unit(e.vector()));
    return out;
  }

  @Override
  public boolean ready() {
    return Model.LOADING.isDone();
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

}
