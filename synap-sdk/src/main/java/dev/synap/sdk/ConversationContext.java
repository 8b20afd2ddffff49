package dev.synap.sdk;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Short-term context of one conversation as a {@code compaction_update} bundle carried it: the
 * compacted summary, its state and key extractions (decoded JSON objects), and the turns after it.
 *
 * <p>Built by the SDK; a final class rather than a record so that fields can be added without
 * changing a public constructor.
 */
public final class ConversationContext {
  private final String conversationId;
  private final String compactionId;
  private final String compactedAt;
  private final String summary;
  private final Map<String, Object> currentState;
  private final Map<String, Object> keyExtractions;
  private final List<RecentTurn> recentTurns;

  ConversationContext(
      String conversationId,
      String compactionId,
      String compactedAt,
      String summary,
      Map<String, Object> currentState,
      Map<String, Object> keyExtractions,
      List<RecentTurn> recentTurns) {
    this.conversationId = conversationId;
    this.compactionId = compactionId;
    this.compactedAt = compactedAt;
    this.summary = summary;
    this.currentState = currentState;
    this.keyExtractions = keyExtractions;
    this.recentTurns = recentTurns;
  }

  public String conversationId() {
    return conversationId;
  }

  public String compactionId() {
    return compactionId;
  }

  public String compactedAt() {
    return compactedAt;
  }

  public String summary() {
    return summary;
  }

  public Map<String, Object> currentState() {
    return currentState;
  }

  public Map<String, Object> keyExtractions() {
    return keyExtractions;
  }

  public List<RecentTurn> recentTurns() {
    return recentTurns;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ConversationContext o
        && Objects.equals(conversationId, o.conversationId)
        && Objects.equals(compactionId, o.compactionId)
        && Objects.equals(compactedAt, o.compactedAt)
        && Objects.equals(summary, o.summary)
        && Objects.equals(currentState, o.currentState)
        && Objects.equals(keyExtractions, o.keyExtractions)
        && Objects.equals(recentTurns, o.recentTurns);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        conversationId,
        compactionId,
        compactedAt,
        summary,
        currentState,
        keyExtractions,
        recentTurns);
  }

  @Override
  public String toString() {
    return "ConversationContext["
        + "conversationId=" + conversationId
        + ", compactionId=" + compactionId
        + ", compactedAt=" + compactedAt
        + ", summary=" + summary
        + ", currentState=" + currentState
        + ", keyExtractions=" + keyExtractions
        + ", recentTurns=" + recentTurns
        + "]";
  }
}
