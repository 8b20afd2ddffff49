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
  private final Options options;

  /** The fetch options beyond the query (contract 9.6); {@code scopes} only matter to {@code synap.fetch}. */
  record Options(String precisionLevel, String contextMode, Boolean includeProfile, Integer lastNConversations,
      boolean includeConversationContext, List<String> scopes, boolean maxResultsGiven) {}

  FetchRequest(
      String conversationId,
      String userId,
      String customerId,
      List<String> searchQuery,
      int maxResults,
      List<String> types,
      String mode,
      Integer tokenBudget,
      Options options) {
    this.conversationId = conversationId;
    this.userId = userId;
    this.customerId = customerId;
    this.searchQuery = searchQuery;
    this.maxResults = maxResults;
    this.types = types;
    this.mode = mode;
    this.tokenBudget = tokenBudget;
    this.options = options;
  }

  /** {@code high} (default) or {@code medium}: medium keeps weaker matches (more recall, less precision). */
  public String precisionLevel() {
    return options.precisionLevel();
  }

  /** {@code in-conversation} (null: the default) or {@code conversation-summary} (user fetches). */
  public String contextMode() {
    return options.contextMode();
  }

  public Boolean includeProfile() {
    return options.includeProfile();
  }

  public Integer lastNConversations() {
    return options.lastNConversations();
  }

  /** Whether a conversation fetch also asks for the conversation's short-term context (default true). */
  public boolean includeConversationContext() {
    return options.includeConversationContext();
  }

  /** For {@code synap.fetch}: the scopes to read; empty means every scope whose id is given. */
  public List<String> scopes() {
    return options.scopes();
  }

  Options options() {
    return options;
  }

  /** The same request with another result count (the unified fetch asks each scope for its own). */
  FetchRequest withMaxResults(int n) {
    return new FetchRequest(conversationId, userId, customerId, searchQuery, n, types, mode, tokenBudget, options);
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
    private boolean maxResultsSet;
    private String precisionLevel = "high";
    private String contextMode;
    private Boolean includeProfile;
    private Integer lastNConversations;
    private boolean includeConversationContext = true;
    private final List<String> scopes = new ArrayList<>();

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

    /** Results wanted (default 10; {@code synap.fetch} asks each scope for 20 unless this is set). */
    public Builder maxResults(int n) {
      this.maxResults = n;
      this.maxResultsSet = true;
      return this;
    }

    /** {@code high} (default) or {@code medium}. */
    public Builder precisionLevel(String level) {
      this.precisionLevel = level;
      return this;
    }

    /**
     * Summary mode for a user fetch: the answer also carries the user's profile (when
     * {@code includeProfile}) and their {@code lastNConversations} (0-20) most recent
     * conversations with summaries.
     */
    public Builder conversationSummary(boolean includeProfile, int lastNConversations) {
      this.contextMode = "conversation-summary";
      this.includeProfile = includeProfile;
      this.lastNConversations = lastNConversations;
      return this;
    }

    /** Whether a conversation fetch also returns the conversation's short-term context (default true). */
    public Builder includeConversationContext(boolean include) {
      this.includeConversationContext = include;
      return this;
    }

    /** For {@code synap.fetch}: read this scope ({@code conversation}, {@code user}, {@code customer}, {@code client}). */
    public Builder scope(String scope) {
      this.scopes.add(scope);
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
      return new FetchRequest(conversationId, userId, customerId, List.copyOf(queries), maxResults, List.copyOf(types), mode, tokenBudget,
          new Options(precisionLevel, contextMode, includeProfile, lastNConversations, includeConversationContext, List.copyOf(scopes),
              maxResultsSet));
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
        && Objects.equals(tokenBudget, o.tokenBudget)
        && Objects.equals(options, o.options);
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
        tokenBudget,
        options);
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
        + ", options=" + options
        + "]";
  }
}
