package dev.synap.sdk;

import java.util.Objects;

/**
 * A compaction request ({@code POST /v1/conversations/compact}).
 *
 * <pre>{@code CompactRequest.of(conversationId).strategy("balanced").force(true).build()}</pre>
 *
 * <p>Made through its builder; a final class rather than a record so that fields can be added
 * without changing a public constructor.
 */
public final class CompactRequest {
  private final String conversationId;
  private final String strategy;
  private final Integer targetTokens;
  private final boolean force;

  CompactRequest(
      String conversationId,
      String strategy,
      Integer targetTokens,
      boolean force) {
    this.conversationId = conversationId;
    this.strategy = strategy;
    this.targetTokens = targetTokens;
    this.force = force;
  }

  public String conversationId() {
    return conversationId;
  }

  /** {@code conservative}, {@code balanced}, {@code aggressive}, {@code adaptive}, or null (server picks: adaptive). */
  public String strategy() {
    return strategy;
  }

  /** Overrides the strategy's ratio when set. */
  public Integer targetTokens() {
    return targetTokens;
  }

  public boolean force() {
    return force;
  }

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

  @Override
  public boolean equals(Object other) {
    return other instanceof CompactRequest o
        && Objects.equals(conversationId, o.conversationId)
        && Objects.equals(strategy, o.strategy)
        && Objects.equals(targetTokens, o.targetTokens)
        && force == o.force;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        conversationId,
        strategy,
        targetTokens,
        force);
  }

  @Override
  public String toString() {
    return "CompactRequest["
        + "conversationId=" + conversationId
        + ", strategy=" + strategy
        + ", targetTokens=" + targetTokens
        + ", force=" + force
        + "]";
  }
}
