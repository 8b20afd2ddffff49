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
  /**
   * A summary made on the caller's behalf (a transcript ingested, a summary-mode fetch): the
   * strategy's share of the original, but at least {@link #MIN_SUMMARY_TOKENS}, so that a short
   * conversation still gets its gist rather than an empty summary.
   */
  public static final String SUMMARY = "summary";
  public static final int MIN_SUMMARY_TOKENS = 64;

  /** A {@link #SUMMARY} of one conversation, balanced. */
  public static CompactionRequest summary(String instanceId, String conversationId) {
    return new CompactionRequest(instanceId, conversationId, Strategy.BALANCED, null, false, SUMMARY);
  }

  public CompactionRequest {
    if (strategy == null) strategy = Strategy.ADAPTIVE;
    if (trigger == null) trigger = MANUAL;
  }
}
