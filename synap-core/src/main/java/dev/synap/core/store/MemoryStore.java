package dev.synap.core.store;

import dev.synap.core.model.Memory;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Typed memories and a lexical index over them. */
public interface MemoryStore {

  /** A memory with its lexical score (higher is better, unbounded). */
  record LexicalHit(Memory memory, double score) {}

  /** Full-text search restricted to a scope; only current memories unless the filter says so. */
  List<LexicalHit> searchLexical(MemoryFilter filter, List<String> terms, int limit);

  /** Newest first. */
  List<Memory> list(MemoryFilter filter, int limit, int offset);

  Optional<Memory> get(String instanceId, String memoryId);

  /** The memories with these ids in one instance (any status), in no particular order; unknown ids are skipped. */
  List<Memory> getAll(String instanceId, Collection<String> memoryIds);

  /** Those of the given memories that {@code filter} admits (current ones only, unless it includes history). */
  List<Memory> getAll(MemoryFilter filter, Collection<String> memoryIds);

  void insert(List<Memory> memories);

  /** Marks a memory superseded (or retracted) from {@code validUntil} on; it stays in history. */
  boolean setStatus(String instanceId, String memoryId, String status, String validUntil);

  long count(String instanceId);

  /** Ids of up to {@code limit} memories of the instance (any status) created before {@code before}, oldest first (retention). */
  List<String> createdBefore(String instanceId, java.time.Instant before, int limit);

  /** How many memories {@code filter} admits (the total behind a paged {@link #list}). */
  long count(MemoryFilter filter);

  /** One change in a memory's life: created, updated, superseded, retracted, deleted. */
  record HistoryEntry(String action, String content, String status, java.time.Instant at) {}

  List<HistoryEntry> history(String instanceId, String memoryId);

  /**
   * The attribute set on a memory whose text was replaced by an explicit edit: its source turns no
   * longer describe it, so search reads the memory's own text only.
   */
  String EDITED = "edited";

  /** Replaces a memory's text (explicit edits through the API) and marks it {@link #EDITED}; false when it does not exist. */
  default boolean updateContent(String instanceId, String memoryId, String content) {
    return updateContent(instanceId, memoryId, content, java.util.Map.of());
  }

  /**
   * As {@link #updateContent(String, String, String)}, also setting the given attributes (top-level
   * keys replace the old values, others stay), e.g. the caller's {@code metadata} and {@code document_type}.
   */
  boolean updateContent(String instanceId, String memoryId, String content, java.util.Map<String, Object> attributes);

  /** Removes a memory for good (its history keeps a "deleted" entry); false when it does not exist. */
  boolean delete(String instanceId, String memoryId);

  /**
   * The position of the newest change to any memory (every write appends to the history, so this
   * only grows). Derived state such as the search index records the position it has caught up to
   * and, after a crash, replays only what came later ({@link #changedSince}).
   */
  long changePosition();

  /** The distinct memories of one instance changed after {@code position} (created, edited, re-statused or deleted). */
  List<String> changedSince(String instanceId, long position);
}
