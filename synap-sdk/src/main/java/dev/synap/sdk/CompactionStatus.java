package dev.synap.sdk;

import java.util.Objects;

/**
 * Where a conversation's compaction stands.
 *
 * <p>Built by the SDK; a final class rather than a record so that fields can be added without
 * changing a public constructor.
 */
public final class CompactionStatus {
  private final String conversationId;
  private final String status;
  private final String compactionId;
  private final String completedAt;
  private final Double compressionRatio;
  private final Double validationScore;
  private final Integer estimatedCompletionSeconds;
  private final String errorMessage;
  private final Integer latestVersion;
  private final String latestCreatedAt;
  private final boolean fromCache;

  CompactionStatus(
      String conversationId,
      String status,
      String compactionId,
      String completedAt,
      Double compressionRatio,
      Double validationScore,
      Integer estimatedCompletionSeconds,
      String errorMessage,
      Integer latestVersion,
      String latestCreatedAt,
      boolean fromCache) {
    this.conversationId = conversationId;
    this.status = status;
    this.compactionId = compactionId;
    this.completedAt = completedAt;
    this.compressionRatio = compressionRatio;
    this.validationScore = validationScore;
    this.estimatedCompletionSeconds = estimatedCompletionSeconds;
    this.errorMessage = errorMessage;
    this.latestVersion = latestVersion;
    this.latestCreatedAt = latestCreatedAt;
    this.fromCache = fromCache;
  }

  public String conversationId() {
    return conversationId;
  }

  /** {@code none}, {@code in_progress}, {@code completed} or {@code failed}. */
  public String status() {
    return status;
  }

  public String compactionId() {
    return compactionId;
  }

  public String completedAt() {
    return completedAt;
  }

  public Double compressionRatio() {
    return compressionRatio;
  }

  public Double validationScore() {
    return validationScore;
  }

  public Integer estimatedCompletionSeconds() {
    return estimatedCompletionSeconds;
  }

  public String errorMessage() {
    return errorMessage;
  }

  public Integer latestVersion() {
    return latestVersion;
  }

  public String latestCreatedAt() {
    return latestCreatedAt;
  }

  /** Answered from a pushed {@code compaction_update} bundle, without a REST call; such an answer carries only the ids and the time (the bundle has no ratio or score). */
  public boolean fromCache() {
    return fromCache;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CompactionStatus o
        && Objects.equals(conversationId, o.conversationId)
        && Objects.equals(status, o.status)
        && Objects.equals(compactionId, o.compactionId)
        && Objects.equals(completedAt, o.completedAt)
        && Objects.equals(compressionRatio, o.compressionRatio)
        && Objects.equals(validationScore, o.validationScore)
        && Objects.equals(estimatedCompletionSeconds, o.estimatedCompletionSeconds)
        && Objects.equals(errorMessage, o.errorMessage)
        && Objects.equals(latestVersion, o.latestVersion)
        && Objects.equals(latestCreatedAt, o.latestCreatedAt)
        && fromCache == o.fromCache;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        conversationId,
        status,
        compactionId,
        completedAt,
        compressionRatio,
        validationScore,
        estimatedCompletionSeconds,
        errorMessage,
        latestVersion,
        latestCreatedAt,
        fromCache);
  }

  @Override
  public String toString() {
    return "CompactionStatus["
        + "conversationId=" + conversationId
        + ", status=" + status
        + ", compactionId=" + compactionId
        + ", completedAt=" + completedAt
        + ", compressionRatio=" + compressionRatio
        + ", validationScore=" + validationScore
        + ", estimatedCompletionSeconds=" + estimatedCompletionSeconds
        + ", errorMessage=" + errorMessage
        + ", latestVersion=" + latestVersion
        + ", latestCreatedAt=" + latestCreatedAt
        + ", fromCache=" + fromCache
        + "]";
  }
}
