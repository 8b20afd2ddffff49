package dev.synap.core.compact;

/**
 * A request to compact one conversation.
 *
 * @param targetTokens overrides the strategy's ratio when given
 * @param force compact even when nothing arrived since the last compaction
 * @param trigger {@code manual_api} or {@code auto_threshold}
 */
public record CompactionRequest(
    String instanceId, String conversationId, Strategy strategy, Integer targetTokens, boolean force, String trigger) {

  public static final String MANUAL = "manual_api";
  public static final String AUTO = "auto_threshold";

  public CompactionRequest {
    if (strategy == null) strategy = Strategy.ADAPTIVE;
    if (trigger == null) trigger = MANUAL;
  }
}
