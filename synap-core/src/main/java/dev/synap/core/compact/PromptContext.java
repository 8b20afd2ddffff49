package dev.synap.core.compact;

import dev.synap.core.model.Message;
import java.util.List;

/**
 * What {@code context-for-prompt} answers: the compacted summary and the turns after it, as one
 * text, with the numbers an agent needs to judge it.
 *
 * @param available a compaction exists (otherwise the text holds recent turns only)
 * @param compressionRatio null when no compaction exists; likewise score and age
 */
public record PromptContext(
    String formattedContext,
    boolean available,
    boolean stale,
    Double compressionRatio,
    Double validationScore,
    Long compactionAgeSeconds,
    boolean qualityWarning,
    List<Message> recentMessages,
    int recentMessageCount,
    int compactedMessageCount,
    int totalMessageCount) {}
