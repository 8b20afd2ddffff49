package dev.synap.sdk;

import java.util.List;

/**
 * Compacted summary plus the turns after it, as one text for a prompt ({@code GET .../context-for-prompt}).
 *
 * @param available a compaction exists; otherwise the text holds recent turns only
 * @param stale many turns arrived since the compaction
 */
public record PromptContext(
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
    int totalMessageCount) {}
