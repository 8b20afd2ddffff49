package dev.synap.core;

import dev.synap.core.model.Memory;
import dev.synap.core.model.Message;
import dev.synap.core.retrieve.lucene.MemoryIndex;
import dev.synap.core.store.MemoryChanges;
import dev.synap.core.store.MemoryStore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one way an existing memory changes: edited, deleted, superseded or retracted, by an API call
 * or by consolidation. Each change is committed to the store first, then handed to the search
 * index (which serves the memory from the store until its entry is redone) and to the listeners
 * (the server pushes edits to the streams holding the owner's bundles). Writing to the store
 * directly skips the index until the next restart replays the change; call these instead.
 *
 * <p>User deletion is {@link MemoryEngine#deleteUser}: one transaction for all of a user's data.
 */
public final class MemoryWrites {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryWrites.class);

  /** What happened to a memory. */
  public enum Kind {
    /** Its text was edited; {@link Change#memory} is the new version. */
    UPDATED,
    /** It was removed; {@link Change#memory} is the last version. */
    DELETED,
    /** It left the current set (superseded, retracted); {@link Change#memory} carries the new status. */
    STATUS_CHANGED
  }

  /** A change after it was committed to the store. */
  public record Change(Kind kind, Memory memory) {}

  private final MemoryStore memories;
  private final MemoryIndex index;
  private final List<Consumer<Change>> listeners = new CopyOnWriteArrayList<>();

  private final java.util.function.BiFunction<String, String, String> redactor;

  MemoryWrites(MemoryStore memories, MemoryIndex index, java.util.function.BiFunction<String, String, String> redactor) {
    this.memories = memories;
    this.index = index;
    this.redactor = redactor;
  }

  /** Replaces a memory's text; the memory as it is now, or empty when there is no such memory. */
  public Optional<Memory> update(String instanceId, String memoryId, String content) {
    return update(instanceId, memoryId, content, java.util.Map.of());
  }

  /** Replaces a memory's text and sets the given attributes (the caller's metadata, document type). */
  public Optional<Memory> update(String instanceId, String memoryId, String content, java.util.Map<String, Object> attributes) {
    // An edit is new text: what the instance must never remember is redacted from it too.
    if (!memories.updateContent(instanceId, memoryId, redactor.apply(instanceId, content), attributes)) return Optional.empty();
    index.reindex(instanceId, List.of(memoryId));
    Optional<Memory> now = memories.get(instanceId, memoryId);
    now.ifPresent(m -> tell(new Change(Kind.UPDATED, m)));
    return now;
  }

  /** Removes a memory for good (its history keeps a "deleted" entry); false when there is no such memory. */
  public boolean delete(String instanceId, String memoryId) {
    Optional<Memory> last = memories.get(instanceId, memoryId);
    if (last.isEmpty() || !memories.delete(instanceId, memoryId)) return false;
    index.reindex(instanceId, List.of(memoryId));
    tell(new Change(Kind.DELETED, last.get()));
    return true;
  }

  /** Moves a memory out of the current set (superseded, retracted) from {@code validUntil} on; false when there is no such memory. */
  public boolean changeStatus(String instanceId, String memoryId, String status, String validUntil) {
    if (!memories.setStatus(instanceId, memoryId, status, validUntil)) return false;
    index.statusChanged(instanceId, memoryId, status);
    memories.get(instanceId, memoryId).ifPresent(m -> tell(new Change(Kind.STATUS_CHANGED, m)));
    return true;
  }

  /** Status changes consolidation committed together with a message (the store already has them). */
  void consolidated(Message message, List<MemoryChanges.StatusChange> changes) {
    if (changes.isEmpty()) return;
    for (MemoryChanges.StatusChange s : changes) index.statusChanged(message.instanceId(), s.memoryId(), s.status());
    if (listeners.isEmpty()) return;
    for (Memory m : memories.getAll(message.instanceId(), changes.stream().map(MemoryChanges.StatusChange::memoryId).toList())) {
      tell(new Change(Kind.STATUS_CHANGED, m));
    }
  }

  /** Called after each change is committed and queued for the index, on the writer's thread: keep it short. */
  public void onChange(Consumer<Change> listener) {
    listeners.add(listener);
  }

  private void tell(Change change) {
    for (Consumer<Change> l : listeners) {
      try {
        l.accept(change);
      } catch (RuntimeException e) {
        LOG.warn("memory change listener failed: {}", e.toString()); // the change is committed either way
      }
    }
  }
}
