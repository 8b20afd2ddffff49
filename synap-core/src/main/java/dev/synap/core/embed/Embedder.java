package dev.synap.core.embed;

import java.util.List;

/**
 * Turns text into unit-length vectors for dense retrieval. Queries and passages are embedded
 * separately because asymmetric models (e5, bge) encode them differently.
 */
public interface Embedder {

  float[] embedQuery(String text);

  /** Embeds many passages at once; batching is much cheaper than one call per passage. */
  List<float[]> embedPassages(List<String> texts);

  int dimension();

  /**
   * Names the model: stored vectors ({@code store.VectorStore}) are reused only for the model that
   * computed them, so a deployment that changes models re-embeds instead of mixing vector spaces.
   */
  default String model() {
    return getClass().getName() + "/" + dimension();
  }

  /**
   * True when embedding will not wait for a model to load. Asking may start the load in the
   * background; callers that must answer quickly can use another way until it is done.
   */
  boolean ready();
}
