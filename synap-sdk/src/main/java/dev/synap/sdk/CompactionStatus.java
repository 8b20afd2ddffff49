package dev.synap.sdk;

/**
 * Where a conversation's compaction stands.
 *
 * @param status {@code none}, {@code in_progress}, {@code completed} or {@code failed}
 * @param fromCache answered from a pushed {@code compaction_update} bundle, without a REST call;
 *     such an answer carries only the ids and the time (the bundle has no ratio or score)
 */
public record CompactionStatus(
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
    boolean fromCache) {}
