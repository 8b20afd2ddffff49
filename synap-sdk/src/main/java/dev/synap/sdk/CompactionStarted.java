package dev.synap.sdk;

import java.util.Map;
import java.util.Objects;

/**
 * The answer to a compact request: the job id at once, the work continues on the server.
 *
 * <p>Built by the SDK; a final class rather than a record so that fields can be added without
 * changing a public constructor.
 */
public final class CompactionStarted {
  private final String compactionId;
  private final String conversationId;
  private final String status;
  private final String triggerType;
  private final String initiatedAt;
  private final int estimatedCompletionSeconds;
  private final Map<String, Object> previousContext;
  private final Long previousContextAgeSeconds;
  private final String previousCompactionId;

  CompactionStarted(
      String compactionId,
      String conversationId,
      String status,
      String triggerType,
      String initiatedAt,
      int estimatedCompletionSeconds,
      Map<String, Object> previousContext,
      Long previousContextAgeSeconds,
      String previousCompactionId) {
    this.compactionId = compactionId;
    this.conversationId = conversationId;
    this.status = status;
    this.triggerType = triggerType;
    this.initiatedAt = initiatedAt;
    this.estimatedCompletionSeconds = estimatedCompletionSeconds;
    this.previousContext = previousContext;
    this.previousContextAgeSeconds = previousContextAgeSeconds;
    this.previousCompactionId = previousCompactionId;
  }

  public String compactionId() {
    return compactionId;
  }

  public String conversationId() {
    return conversationId;
  }

  /** {@code in_progress}, or {@code completed} when nothing changed since the last compaction. */
  public String status() {
    return status;
  }

  public String triggerType() {
    return triggerType;
  }

  public String initiatedAt() {
    return initiatedAt;
  }

  public int estimatedCompletionSeconds() {
    return estimatedCompletionSeconds;
  }

  /** The previous compaction's summary/state/extractions, empty when none. */
  public Map<String, Object> previousContext() {
    return previousContext;
  }

  public Long previousContextAgeSeconds() {
    return previousContextAgeSeconds;
  }

  public String previousCompactionId() {
    return previousCompactionId;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CompactionStarted o
        && Objects.equals(compactionId, o.compactionId)
        && Objects.equals(conversationId, o.conversationId)
        && Objects.equals(status, o.status)
        && Objects.equals(triggerType, o.triggerType)
        && Objects.equals(initiatedAt, o.initiatedAt)
        && estimatedCompletionSeconds == o.estimatedCompletionSeconds
        && Objects.equals(previousContext, o.previousContext)
        && Objects.equals(previousContextAgeSeconds, o.previousContextAgeSeconds)
        && Objects.equals(previousCompactionId, o.previousCompactionId);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        compactionId,
        conversationId,
        status,
        triggerType,
        initiatedAt,
        estimatedCompletionSeconds,
        previousContext,
        previousContextAgeSeconds,
        previousCompactionId);
  }

  @Override
  public String toString() {
    return "CompactionStarted["
        + "compactionId=" + compactionId
        + ", conversationId=" + conversationId
        + ", status=" + status
        + ", triggerType=" + triggerType
        + ", initiatedAt=" + initiatedAt
        + ", estimatedCompletionSeconds=" + estimatedCompletionSeconds
        + ", previousContext=" + previousContext
        + ", previousContextAgeSeconds=" + previousContextAgeSeconds
        + ", previousCompactionId=" + previousCompactionId
        + "]";
  }
}
