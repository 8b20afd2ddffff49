package dev.synap.sdk;

import java.util.List;

/**
 * A bundle the server pushed over the stream.
 *
 * @param bundleType {@code anticipation}, {@code user_summary}, {@code reactive} or {@code compaction_update}
 * @param userId the anticipation user id (the cache scope), or null
 * @param conversationContext short-term context (compaction updates), or null when the bundle has none
 */
public record ContextBundle(
    String bundleId,
    String bundleType,
    String userId,
    String customerId,
    String conversationId,
    List<ContextItem> items,
    List<String> searchQueries,
    int totalTokens,
    int ttlHintSeconds,
    float confidence,
    String originPatternId,
    String conversationSummary,
    ConversationContext conversationContext) {

  public List<String> itemIds() {
    return items.stream().map(ContextItem::id).toList();
  }
}
