package dev.synap.sdk;

import java.util.List;
import java.util.Objects;

/**
 * Compacted summary plus the turns after it, as one text for a prompt ({@code GET .../context-for-prompt}).
 *
 * <p>Built by the SDK; a final class rather than a record so that fields can be added without
 * changing a public constructor.
 */
public final class PromptContext {
  private final String formattedContext;
  private final boolean available;
  private final boolean stale;
  private final Double compressionRatio;
  private final Double validationScore;
  private final Long compactionAgeSeconds;
  private final boolean qualityWarning;
  private final List<RecentTurn> recentMessages;
  private final int recentMessageCount;
  private final int compactedMessageCount;
  private final int totalMessageCount;

  PromptContext(
      String formattedContext,
      boolean available,
      boolean stale,
      Double compressionRatio,
      Double validationScore,
      Long compactionAgeSeconds,
      boolean qualityWarning,
      List<RecentTurn> recentMessages,
      int recentMessageCount,
      int compactedMessageCount,
      int totalMessageCount) {
    this.formattedContext = formattedContext;
    this.available = available;
    this.stale = stale;
    this.compressionRatio = compressionRatio;
    this.validationScore = validationScore;
    this.compactionAgeSeconds = compactionAgeSeconds;
    this.qualityWarning = qualityWarning;
    this.recentMessages = recentMessages;
    this.recentMessageCount = recentMessageCount;
    this.compactedMessageCount = compactedMessageCount;
    this.totalMessageCount = totalMessageCount;
  }

  public String formattedContext() {
    return formattedContext;
  }

  /** A compaction exists; otherwise the text holds recent turns only. */
  public boolean available() {
    return available;
  }

  /** Many turns arrived since the compaction. */
  public boolean stale() {
    return stale;
  }

  public Double compressionRatio() {
    return compressionRatio;
  }

  public Double validationScore() {
    return validationScore;
  }

  public Long compactionAgeSeconds() {
    return compactionAgeSeconds;
  }

  public boolean qualityWarning() {
    return qualityWarning;
  }

  public List<RecentTurn> recentMessages() {
    return recentMessages;
  }

  public int recentMessageCount() {
    return recentMessageCount;
  }

  public int compactedMessageCount() {
    return compactedMessageCount;
  }

  public int totalMessageCount() {
    return totalMessageCount;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PromptContext o
        && Objects.equals(formattedContext, o.formattedContext)
        && available == o.available
        && stale == o.stale
        && Objects.equals(compressionRatio, o.compressionRatio)
        && Objects.equals(validationScore, o.validationScore)
        && Objects.equals(compactionAgeSeconds, o.compactionAgeSeconds)
        && qualityWarning == o.qualityWarning
        && Objects.equals(recentMessages, o.recentMessages)
        && recentMessageCount == o.recentMessageCount
        && compactedMessageCount == o.compactedMessageCount
        && totalMessageCount == o.totalMessageCount;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        formattedContext,
        available,
        stale,
        compressionRatio,
        validationScore,
        compactionAgeSeconds,
        qualityWarning,
        recentMessages,
        recentMessageCount,
        compactedMessageCount,
        totalMessageCount);
  }

  @Override
  public String toString() {
    return "PromptContext["
        + "formattedContext=" + formattedContext
        + ", available=" + available
        + ", stale=" + stale
        + ", compressionRatio=" + compressionRatio
        + ", validationScore=" + validationScore
        + ", compactionAgeSeconds=" + compactionAgeSeconds
        + ", qualityWarning=" + qualityWarning
        + ", recentMessages=" + recentMessages
        + ", recentMessageCount=" + recentMessageCount
        + ", compactedMessageCount=" + compactedMessageCount
        + ", totalMessageCount=" + totalMessageCount
        + "]";
  }
}
