package dev.synap.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A context fetch for one scope ({@code POST /v1/context/{scope}/fetch}).
 *
 * <p>Made through its builder; a final class rather than a record so that fields can be added
 * without changing a public constructor.
 */
public final class FetchRequest {
  private final String conversationId;
  private final String userId;
  private final String customerId;
  private final List<String> searchQuery;
  private final int maxResults;
  private final List<String> types;
  private final String mode;
  private final Integer tokenBudget;

  FetchRequest(
      String conversationId,
      String userId,
      String customerId,
      List<String> searchQuery,
      int maxResults,
      List<String> types,
      String mode,
      Integer tokenBudget) {
    this.conversationId = conversationId;
    this.userId = userId;
    this.customerId = customerId;
    this.searchQuery = searchQuery;
    this.maxResults = maxResults;
    this.types = types;
    this.mode = mode;
    this.tokenBudget = tokenBudget;
  }

  public String conversationId() {
    return conversationId;
  }

  public String userId() {
    return userId;
  }

  public String customerId() {
    return customerId;
  }

  public List<String> searchQuery() {
    return searchQuery;
  }

  public int maxResults() {
    return maxResults;
  }

  public List<String> types() {
    return types;
  }

  public String mode() {
    return mode;
  }

  public Integer tokenBudget() {
    return tokenBudget;
  }

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

  @Override
  public boolean equals(Object other) {
    return other instanceof FetchRequest o
        && Objects.equals(conversationId, o.conversationId)
        && Objects.equals(userId, o.userId)
        && Objects.equals(customerId, o.customerId)
        && Objects.equals(searchQuery, o.searchQuery)
        && maxResults == o.maxResults
        && Objects.equals(types, o.types)
        && Objects.equals(mode, o.mode)
        && Objects.equals(tokenBudget, o.tokenBudget);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        conversationId,
        userId,
        customerId,
        searchQuery,
        maxResults,
        types,
        mode,
        tokenBudget);
  }

  @Override
  public String toString() {
    return "FetchRequest["
        + "conversationId=" + conversationId
        + ", userId=" + userId
        + ", customerId=" + customerId
        + ", searchQuery=" + searchQuery
        + ", maxResults=" + maxResults
        + ", types=" + types
        + ", mode=" + mode
        + ", tokenBudget=" + tokenBudget
        + "]";
  }
}
