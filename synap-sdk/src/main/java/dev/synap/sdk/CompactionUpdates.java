package dev.synap.sdk;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The latest pushed {@code compaction_update} per conversation (contract 7.6), so a status call
 * can answer {@code completed} without a network round trip. Bounded: the least recently updated
 * conversations are forgotten first.
 */
final class CompactionUpdates {
  static final int CAPACITY = 1_000;
  private final Map<String, ConversationContext> latest = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ConversationContext> eldest) {
      return size() > CAPACITY;
    }
  };

  /** Keeps the bundle's short-term context when it is a compaction update. */
  synchronized void accept(ContextBundle b) {
    if (!"compaction_update".equals(b.bundleType()) || b.conversationContext() == null) return;
    String conversation = b.conversationId() != null ? b.conversationId() : b.conversationContext().conversationId();
    if (conversation != null && b.conversationContext().compactionId() != null) latest.put(conversation, b.conversationContext());
  }

  synchronized Optional<ConversationContext> get(String conversationId) {
    return Optional.ofNullable(latest.get(conversationId));
  }

  /** A new compaction was requested: the cached one no longer tells the current status. */
  synchronized void forget(String conversationId) {
    latest.remove(conversationId);
  }
}
