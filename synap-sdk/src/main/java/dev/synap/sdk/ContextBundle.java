package dev.synap.sdk;

import java.util.List;
import java.util.Objects;

/**
 * A bundle the server pushed over the stream.
 *
 * <p>Built by the SDK; a final class rather than a record so that fields can be added without
 * changing a public constructor.
 */
public final class ContextBundle {
  private final String bundleId;
  private final String bundleType;
  private final String userId;
  private final String customerId;
  private final String conversationId;
  private final List<ContextItem> items;
  private final List<String> searchQueries;
  private final int totalTokens;
  private final int ttlHintSeconds;
  private final float confidence;
  private final String originPatternId;
  private final String conversationSummary;
  private final ConversationContext conversationContext;
  private final String degradationLevel;

  ContextBundle(
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
    this.bundleId = bundleId;
    this.bundleType = bundleType;
    this.userId = userId;
    this.customerId = customerId;
    this.conversationId = conversationId;
    this.items = items;
    this.searchQueries = searchQueries;
    this.totalTokens = totalTokens;
    this.ttlHintSeconds = ttlHintSeconds;
    this.confidence = confidence;
    this.originPatternId = originPatternId;
    this.conversationSummary = conversationSummary;
    this.conversationContext = conversationContext;
    this.degradationLevel = degradationLevel;
  }

  public String bundleId() {
    return bundleId;
  }

  /** {@code anticipation}, {@code user_summary}, {@code reactive} or {@code compaction_update}. */
  public String bundleType() {
    return bundleType;
  }

  /** The anticipation user id (the cache scope), or null. */
  public String userId() {
    return userId;
  }

  public String customerId() {
    return customerId;
  }

  public String conversationId() {
    return conversationId;
  }

  public List<ContextItem> items() {
    return items;
  }

  public List<String> searchQueries() {
    return searchQueries;
  }

  public int totalTokens() {
    return totalTokens;
  }

  public int ttlHintSeconds() {
    return ttlHintSeconds;
  }

  public float confidence() {
    return confidence;
  }

  public String originPatternId() {
    return originPatternId;
  }

  public String conversationSummary() {
    return conversationSummary;
  }

  /** Short-term context (compaction updates), or null when the bundle has none. */
  public ConversationContext conversationContext() {
    return conversationContext;
  }

  /** {@code none}, or {@code partial} when the server answered without one of its signals: an anticipation first pass (lexical, sent before the query embedding is ready; what the dense search adds follows in another bundle of the same plan), or a push shed under load. */
  public String degradationLevel() {
    return degradationLevel;
  }

  /** An anticipation bundle that more of the same plan may follow (see {@code degradationLevel}). */
  public boolean partial() {
    return "partial".equals(degradationLevel);
  }

  public List<String> itemIds() {
    return items.stream().map(ContextItem::id).toList();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ContextBundle o
        && Objects.equals(bundleId, o.bundleId)
        && Objects.equals(bundleType, o.bundleType)
        && Objects.equals(userId, o.userId)
        && Objects.equals(customerId, o.customerId)
        && Objects.equals(conversationId, o.conversationId)
        && Objects.equals(items, o.items)
        && Objects.equals(searchQueries, o.searchQueries)
        && totalTokens == o.totalTokens
        && ttlHintSeconds == o.ttlHintSeconds
        && Float.compare(confidence, o.confidence) == 0
        && Objects.equals(originPatternId, o.originPatternId)
        && Objects.equals(conversationSummary, o.conversationSummary)
        && Objects.equals(conversationContext, o.conversationContext)
        && Objects.equals(degradationLevel, o.degradationLevel);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        bundleId,
        bundleType,
        userId,
        customerId,
        conversationId,
        items,
        searchQueries,
        totalTokens,
        ttlHintSeconds,
        confidence,
        originPatternId,
        conversationSummary,
        conversationContext,
        degradationLevel);
  }

  @Override
  public String toString() {
    return "ContextBundle["
        + "bundleId=" + bundleId
        + ", bundleType=" + bundleType
        + ", userId=" + userId
        + ", customerId=" + customerId
        + ", conversationId=" + conversationId
        + ", items=" + items
        + ", searchQueries=" + searchQueries
        + ", totalTokens=" + totalTokens
        + ", ttlHintSeconds=" + ttlHintSeconds
        + ", confidence=" + confidence
        + ", originPatternId=" + originPatternId
        + ", conversationSummary=" + conversationSummary
        + ", conversationContext=" + conversationContext
        + ", degradationLevel=" + degradationLevel
        + "]";
  }
}
