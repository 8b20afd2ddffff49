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

  /** One change in a memory's life: created, updated, superseded, retracted, deleted. */
  record HistoryEntry(String action, String content, String status, java.time.Instant at) {}

  List<HistoryEntry> history(String instanceId, String memoryId);

  /** Replaces a memory's text (explicit edits through the API); false when it does not exist. */
  boolean updateContent(String instanceId, String memoryId, String content);

  /** Removes a memory for good (its history keeps a "deleted" entry); false when it does not exist. */
  boolean delete(String instanceId, String memoryId);
}
