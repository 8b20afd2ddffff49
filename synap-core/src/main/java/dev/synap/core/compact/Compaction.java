package dev.synap.core.compact;

import java.time.Instant;

/**
 * One compaction job of one conversation and, once completed, one numbered version of its
 * compacted context.
 *
 * @param status {@code in_progress}, {@code completed} or {@code failed}
 * @param trigger {@code manual_api} or {@code auto_threshold}
 * @param version 1, 2, ... per conversation, assigned on completion; null before
 * @param result null unless completed
 */
public record Compaction(
    String compactionId,
    String instanceId,
    String conversationId,
    String userId,
    String trigger,
    Strategy strategyRequested,
    Integer targetTokens,
    Instant initiatedAt,
    String status,
    Integer version,
    Instant completedAt,
    String error,
    CompactionResult result) {

  public static final String IN_PROGRESS = "in_progress";
  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";

  public boolean isCompleted() {
    return COMPLETED.equals(status);
  }

  public boolean isRunning() {
    return IN_PROGRESS.equals(status);
  }
}
