package dev.synap.core.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Embeddings of memories, computed once by the node that indexed a memory first and stored with
 * it: an index rebuild, a node catching up and every other node reuse them and never run the
 * model for them. A vector is valid for the exact text it was computed from ({@code textHash}: the
 * rendered passages and the model); a memory whose text changed (an edit, its neighbouring turns
 * deleted) is embedded again and its vector replaced. Deleting a memory deletes its vector.
 */
public interface VectorStore {

  /**
   * One memory's vectors. {@code own} embeds the memory's text, {@code inContext} the text with
   * the turns it was said after; either may be null when the index is configured without it.
   */
  record StoredVector(String memoryId, String textHash, float[] own, float[] inContext) {}

  /** Stores (or replaces) vectors of memories of one instance; vectors of memories no longer stored are skipped. */
  void put(String instanceId, List<StoredVector> vectors);

  /** The stored vectors of these memories, by memory id; memories without one are absent. */
  Map<String, StoredVector> get(String instanceId, Collection<String> memoryIds);
}
