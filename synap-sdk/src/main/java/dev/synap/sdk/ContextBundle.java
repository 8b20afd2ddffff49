package dev.synap.sdk;

import java.util.List;

/**
 * A bundle the server pushed over the stream.
 *
 * @param bundleType {@code anticipation}, {@code user_summary}, {@code reactive} or {@code compaction_update}
 * @param userId the anticipation user id (the cache scope), or null
 * @param conversationContext short-term context (compaction updates), or null when the bundle has none
 * @param degradationLevel {@code none}, or {@code partial} when the server answered without one of its
 *     signals: an anticipation first pass (lexical, sent before the query embedding is ready; what
 *     the dense search adds follows in another bundle of the same plan), or a push shed under load
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
    ConversationContext conversationContext,
    String degradationLevel) {

  /** An anticipation bundle that more of the same plan may follow (see {@code degradationLevel}). */
  public boolean partial() {
    return "partial".equals(degradationLevel);
  }

  public List<String> itemIds() {
    return items.stream().map(ContextItem::id).toList();
  }
}
