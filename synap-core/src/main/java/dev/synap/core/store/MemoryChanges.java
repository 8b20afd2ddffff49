package dev.synap.core.store;

import dev.synap.core.model.Memory;
import java.util.List;

/**
 * What completing one message does to the memory store, applied in one transaction.
 *
 * @param inserts new memories
 * @param reinforced existing memories restated by this message, with raised confidence, appended
 *     source ids and updated attributes (they replace the stored row's mutable columns)
 * @param statusChanges earlier memories superseded or retracted by this message
 */
public record MemoryChanges(List<Memory> inserts, List<Memory> reinforced, List<StatusChange> statusChanges) {

  /** Moves a memory out of the current set; it stays in history. */
  public record StatusChange(String memoryId, String status, String validUntil, String reason, String byMemoryId) {}

  public MemoryChanges {
    inserts = List.copyOf(inserts);
    reinforced = List.copyOf(reinforced);
    statusChanges = List.copyOf(statusChanges);
  }

  public static MemoryChanges insertOnly(List<Memory> inserts) {
    return new MemoryChanges(inserts, List.of(), List.of());
  }
}
