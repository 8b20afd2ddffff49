package dev.synap.sdk;

/**
 * A compaction request ({@code POST /v1/conversations/compact}).
 *
 * <pre>{@code CompactRequest.of(conversationId).strategy("balanced").force(true).build()}</pre>
 *
 * @param strategy {@code conservative}, {@code balanced}, {@code aggressive}, {@code adaptive}, or null (server picks: adaptive)
 * @param targetTokens overrides the strategy's ratio when set
 */
public record CompactRequest(String conversationId, String strategy, Integer targetTokens, boolean force) {

  public static Builder of(String conversationId) {
    return new Builder(conversationId);
  }

  public static final class Builder {
    private final String conversationId;
    private String strategy;
    private Integer targetTokens;
    private boolean force;

    private Builder(String conversationId) {
      this.conversationId = conversationId;
    }

    public Builder strategy(String strategy) {
      this.strategy = strategy;
      return this;
    }

    public Builder targetTokens(int tokens) {
      this.targetTokens = tokens;
      return this;
    }

    public Builder force(boolean force) {
      this.force = force;
      return this;
    }

    public CompactRequest build() {
      return new CompactRequest(conversationId, strategy, targetTokens, force);
    }
  }
}
