package dev.synap.core.compact;

import java.time.Duration;
import java.util.Map;

/**
 * Compaction settings, read from {@code SYNAP_COMPACTION_*} environment variables (README).
 *
 * @param autoEnabled compact conversations automatically when they pass a threshold
 * @param autoTurns uncompacted turns that trigger an automatic compaction
 * @param autoTokens uncompacted tokens that trigger an automatic compaction
 * @param debounce quiet time after the last processed turn before the thresholds are checked
 * @param maxDelay a busy conversation is checked at the latest this long after its first new turn
 * @param qualityThreshold validation scores below this set {@code quality_warning}
 * @param staleTurns context is stale once this many turns arrived after the compaction
 * @param recentTurns verbatim turns returned next to the summary
 * @param workers compactions running at once
 * @param llm optional OpenAI-compatible summarizer; null means extractive only
 */
public record CompactionSettings(
    boolean autoEnabled,
    int autoTurns,
    int autoTokens,
    Duration debounce,
    Duration maxDelay,
    double qualityThreshold,
    int staleTurns,
    int recentTurns,
    int workers,
    LlmSettings llm) {

  /** An OpenAI-compatible chat endpoint; {@code baseUrl} ends before {@code /chat/completions}. */
  public record LlmSettings(String baseUrl, String apiKey, String model, Duration timeout) {}

  public static CompactionSettings defaults() {
    return new CompactionSettings(true, 50, 4_000, Duration.ofSeconds(2), Duration.ofSeconds(30), 0.6, 20, 20, 2, null);
  }

  public static CompactionSettings fromEnvironment(Map<String, String> env) {
    CompactionSettings d = defaults();
    String url = env.get("SYNAP_COMPACTION_LLM_URL");
    LlmSettings llm = url == null || url.isBlank() ? null : new LlmSettings(url.replaceAll("/+$", ""),
        env.getOrDefault("SYNAP_COMPACTION_LLM_KEY", ""), env.getOrDefault("SYNAP_COMPACTION_LLM_MODEL", "gpt-4o-mini"),
        Duration.ofMillis(number(env, "SYNAP_COMPACTION_LLM_TIMEOUT_MS", 30_000)));
    return new CompactionSettings(!"false".equalsIgnoreCase(env.getOrDefault("SYNAP_COMPACTION_AUTO", "true")),
        (int) number(env, "SYNAP_COMPACTION_AUTO_TURNS", d.autoTurns()), (int) number(env, "SYNAP_COMPACTION_AUTO_TOKENS", d.autoTokens()),
        Duration.ofMillis(number(env, "SYNAP_COMPACTION_DEBOUNCE_MS", d.debounce().toMillis())),
        Duration.ofMillis(number(env, "SYNAP_COMPACTION_MAX_DELAY_MS", d.maxDelay().toMillis())),
        d.qualityThreshold(), (int) number(env, "SYNAP_COMPACTION_STALE_TURNS", d.staleTurns()), d.recentTurns(), d.workers(), llm);
  }

  public CompactionSettings withAuto(int turns, int tokens, Duration debounce) {
    return new CompactionSettings(true, turns, tokens, debounce, maxDelay, qualityThreshold, staleTurns, recentTurns, workers, llm);
  }

  public CompactionSettings withoutAuto() {
    return new CompactionSettings(false, autoTurns, autoTokens, debounce, maxDelay, qualityThreshold, staleTurns, recentTurns, workers, llm);
  }

  public CompactionSettings withLlm(LlmSettings settings) {
    return new CompactionSettings(autoEnabled, autoTurns, autoTokens, debounce, maxDelay, qualityThreshold, staleTurns, recentTurns, workers, settings);
  }

  private static long number(Map<String, String> env, String key, long fallback) {
    String v = env.get(key);
    if (v == null || v.isBlank()) return fallback;
    try {
      return Long.parseLong(v.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, got '" + v + "'");
    }
  }
}
