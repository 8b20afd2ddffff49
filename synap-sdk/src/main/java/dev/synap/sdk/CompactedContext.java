package dev.synap.sdk;

import java.util.List;
import java.util.Map;

/**
 * A stored compaction rendered in one format ({@code GET .../compacted}).
 *
 * @param compressionRatio compacted tokens over original tokens
 * @param qualityWarning the validation score fell below the server's threshold: facts may be lost
 */
public record CompactedContext(
    String formattedContext,
    int originalTokenCount,
    int compactedTokenCount,
    double compressionRatio,
    String strategyUsed,
    String compactionId,
    double validationScore,
    boolean validationPassed,
    List<Map<String, Object>> facts,
    List<Map<String, Object>> decisions,
    List<Map<String, Object>> preferences,
    Map<String, Object> currentState,
    boolean qualityWarning,
    int ttlSeconds) {}
