package dev.synap.sdk;

import java.util.ArrayList;
import java.util.List;

/** A context fetch for one scope ({@code POST /v1/context/{scope}/fetch}). */
public record FetchRequest(
    String conversationId,
    String userId,
    String customerId,
    List<String> searchQuery,
    int maxResults,
    List<String> types,
    String mode,
    Integer tokenBudget) {

  public static Builder forUser(String userId) {
    return new Builder().userId(userId);
  }

  public static Builder forConversation(String conversationId) {
    return new Builder().conversationId(conversationId);
  }

  public static Builder forCustomer(String customerId) {
    return new Builder().customerId(customerId);
  }

  public static Builder forClient() {
    return new Builder();
  }

  public static final class Builder {
    private String conversationId;
    private String userId;
    private String customerId;
    private final List<String> queries = new ArrayList<>();
    private int maxResults = 10;
    private final List<String> types = new ArrayList<>();
    private String mode = "fast";
    private Integer tokenBudget;

    /** Through {@link FetchRequest#forUser} and its siblings. */
    private Builder() {}

    public Builder conversationId(String v) {
      this.conversationId = v;
      return this;
    }

    public Builder userId(String v) {
      this.userId = v;
      return this;
    }

    public Builder customerId(String v) {
      this.customerId = v;
      return this;
    }

    public Builder query(String q) {
      this.queries.add(q);
      return this;
    }

    public Builder maxResults(int n) {
      this.maxResults = n;
      return this;
    }

    /** {@code facts}, {@code preferences}, {@code episodes}, {@code emotions}, {@code temporal}; none means all. */
    public Builder type(String t) {
      this.types.add(t);
      return this;
    }

    /** {@code fast} (default) or {@code accurate}. */
    public Builder mode(String m) {
      this.mode = m;
      return this;
    }

    public Builder tokenBudget(int tokens) {
      this.tokenBudget = tokens;
      return this;
    }

    public FetchRequest build() {
      return new FetchRequest(conversationId, userId, customerId, List.copyOf(queries), maxResults, List.copyOf(types), mode, tokenBudget);
    }
  }
}
