package dev.synap.core.compact;

import dev.synap.core.model.Message;
import java.util.List;
import java.util.Optional;

/**
 * Short-term context of one conversation: the latest compacted summary (with its state and key
 * extractions) plus the verbatim turns that arrived after it.
 *
 * @param recentMessages the newest turns after the compaction cutoff (all turns' tail when none), oldest first
 * @param uncompactedCount turns after the cutoff (all turns when there is no compaction)
 * @param uncompactedTokens their estimated tokens
 */
public record ConversationContext(
    String instanceId,
    String conversationId,
    Optional<Compaction> compaction,
    List<Message> recentMessages,
    int uncompactedCount,
    int uncompactedTokens,
    int compactedCount,
    int totalCount) {

  public boolean exists() {
    return totalCount > 0 || compaction.isPresent();
  }

  /** Stale once {@code staleTurns} turns arrived after the compaction. */
  public boolean isStale(int staleTurns) {
    return compaction.isPresent() && uncompactedCount >= staleTurns;
  }
}
