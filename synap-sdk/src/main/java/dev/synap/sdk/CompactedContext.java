package dev.synap.sdk;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A stored compaction rendered in one format ({@code GET .../compacted}).
 *
 * <p>Built by the SDK; a final class rather than a record so that fields can be added without
 * changing a public constructor.
 */
public final class CompactedContext {
  private final String formattedContext;
  private final int originalTokenCount;
  private final int compactedTokenCount;
  private final double compressionRatio;
  private final String strategyUsed;
  private final String compactionId;
  private final double validationScore;
  private final boolean validationPassed;
  private final List<Map<String, Object>> facts;
  private final List<Map<String, Object>> decisions;
  private final List<Map<String, Object>> preferences;
  private final Map<String, Object> currentState;
  private final boolean qualityWarning;
  private final int ttlSeconds;

  CompactedContext(
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
      int ttlSeconds) {
    this.formattedContext = formattedContext;
    this.originalTokenCount = originalTokenCount;
    this.compactedTokenCount = compactedTokenCount;
    this.compressionRatio = compressionRatio;
    this.strategyUsed = strategyUsed;
    this.compactionId = compactionId;
    this.validationScore = validationScore;
    this.validationPassed = validationPassed;
    this.facts = facts;
    this.decisions = decisions;
    this.preferences = preferences;
    this.currentState = currentState;
    this.qualityWarning = qualityWarning;
    this.ttlSeconds = ttlSeconds;
  }

  public String formattedContext() {
    return formattedContext;
  }

  public int originalTokenCount() {
    return originalTokenCount;
  }

  public int compactedTokenCount() {
    return compactedTokenCount;
  }

  /** Compacted tokens over original tokens. */
  public double compressionRatio() {
    return compressionRatio;
  }

  public String strategyUsed() {
    return strategyUsed;
  }

  public String compactionId() {
    return compactionId;
  }

  public double validationScore() {
    return validationScore;
  }

  public boolean validationPassed() {
    return validationPassed;
  }

  public List<Map<String, Object>> facts() {
    return facts;
  }

  public List<Map<String, Object>> decisions() {
    return decisions;
  }

  public List<Map<String, Object>> preferences() {
    return preferences;
  }

  public Map<String, Object> currentState() {
    return currentState;
  }

  /** The validation score fell below the server's threshold: facts may be lost. */
  public boolean qualityWarning() {
    return qualityWarning;
  }

  public int ttlSeconds() {
    return ttlSeconds;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof CompactedContext o
        && Objects.equals(formattedContext, o.formattedContext)
        && originalTokenCount == o.originalTokenCount
        && compactedTokenCount == o.compactedTokenCount
        && Double.compare(compressionRatio, o.compressionRatio) == 0
        && Objects.equals(strategyUsed, o.strategyUsed)
        && Objects.equals(compactionId, o.compactionId)
        && Double.compare(validationScore, o.validationScore) == 0
        && validationPassed == o.validationPassed
        && Objects.equals(facts, o.facts)
        && Objects.equals(decisions, o.decisions)
        && Objects.equals(preferences, o.preferences)
        && Objects.equals(currentState, o.currentState)
        && qualityWarning == o.qualityWarning
        && ttlSeconds == o.ttlSeconds;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        formattedContext,
        originalTokenCount,
        compactedTokenCount,
        compressionRatio,
        strategyUsed,
        compactionId,
        validationScore,
        validationPassed,
        facts,
        decisions,
        preferences,
        currentState,
        qualityWarning,
        ttlSeconds);
  }

  @Override
  public String toString() {
    return "CompactedContext["
        + "formattedContext=" + formattedContext
        + ", originalTokenCount=" + originalTokenCount
        + ", compactedTokenCount=" + compactedTokenCount
        + ", compressionRatio=" + compressionRatio
        + ", strategyUsed=" + strategyUsed
        + ", compactionId=" + compactionId
        + ", validationScore=" + validationScore
        + ", validationPassed=" + validationPassed
        + ", facts=" + facts
        + ", decisions=" + decisions
        + ", preferences=" + preferences
        + ", currentState=" + currentState
        + ", qualityWarning=" + qualityWarning
        + ", ttlSeconds=" + ttlSeconds
        + "]";
  }
}
