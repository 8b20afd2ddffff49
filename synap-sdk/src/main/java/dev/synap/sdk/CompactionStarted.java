package dev.synap.sdk;

import java.util.Map;

/**
 * The answer to a compact request: the job id at once, the work continues on the server.
 *
 * @param status {@code in_progress}, or {@code completed} when nothing changed since the last compaction
 * @param previousContext the previous compaction's summary/state/extractions, empty when none
 */
public record CompactionStarted(
    String compactionId,
    String conversationId,
    String status,
    String triggerType,
    String initiatedAt,
    int estimatedCompletionSeconds,
    Map<String, Object> previousContext,
    Long previousContextAgeSeconds,
    String previousCompactionId) {}
