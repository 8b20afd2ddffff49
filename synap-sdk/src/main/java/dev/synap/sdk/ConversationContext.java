package dev.synap.sdk;

import java.util.List;
import java.util.Map;

/**
 * Short-term context of one conversation as a {@code compaction_update} bundle carried it: the
 * compacted summary, its state and key extractions (decoded JSON objects), and the turns after it.
 */
public record ConversationContext(
    String conversationId,
    String compactionId,
    String compactedAt,
    String summary,
    Map<String, Object> currentState,
    Map<String, Object> keyExtractions,
    List<RecentTurn> recentTurns) {}
