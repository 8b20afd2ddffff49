package dev.synap.core.anticipate;

import dev.synap.core.model.MemoryType;
import java.util.List;
import java.util.Set;

/**
 * What to push after an event: which queries to run, for which types, as which kind of bundle.
 *
 * @param bundleType {@code anticipation} (cached by clients) or {@code reactive} (handed over only)
 * @param originPatternId the predictor that produced this plan, reported back with feedback
 * @param keywords the expanded keywords the plan searched with
 * @param maxItems how many items the bundle may carry (smaller for patterns whose pushes go unused)
 */
public record BundlePlan(
    String bundleType,
    List<String> queries,
    List<String> keywords,
    Set<MemoryType> types,
    String originPatternId,
    float confidence,
    int ttlSeconds,
    int maxItems) {}
