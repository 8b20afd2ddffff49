package dev.synap.core.compact;

import java.time.Instant;
import java.util.Map;

/**
 * The outcome of a completed compaction.
 *
 * @param summary the compacted text (what {@code compactedTokens} counts)
 * @param validationScore share of the original's key items whose key terms survive in the summary
 * @param qualityWarning true when the score is below the configured threshold: facts were lost
 * @param cutoffMessageId the last message the summary covers; later messages are "recent"
 */
public record CompactionResult(
    Strategy strategyUsed,
    int originalTokens,
    int compactedTokens,
    double validationScore,
    boolean qualityWarning,
    String summarizer,
    String summary,
    Map<String, Object> currentState,
    KeyExtractions keyExtractions,
    int messagesCompacted,
    String cutoffMessageId,
    Instant cutoffAt) {

  /** Compacted tokens over original tokens (0.4 = the summary is 40 % of the original). */
  public double compressionRatio() {
    return originalTokens == 0 ? 1.0 : (double) compactedTokens / originalTokens;
  }
}
