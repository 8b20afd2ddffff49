package dev.synap.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A context answer, from the server or from the anticipation cache.
 *
 * <p>Built by the SDK; a final class rather than a record so that fields can be added without
 * changing a public constructor.
 */
public final class ContextResponse {
  private final List<ContextItem> facts;
  private final List<ContextItem> preferences;
  private final List<ContextItem> episodes;
  private final List<ContextItem> emotions;
  private final List<ContextItem> temporalEvents;
  private final String formattedContext;
  private final int tokensUsed;
  private final boolean budgetExceeded;
  private final String source;
  private final List<String> sourceBundleIds;
  private final Details details;

  /**
   * What a server answer says beyond the items.
   *
   * @param scopesQueried the scopes read, narrowest first
   */
  record Details(String correlationId, String retrievedAt, List<String> scopesQueried, ConversationContext conversationContext,
      UserProfile profile, List<ConversationSummary> conversations) {
    static final Details NONE = new Details(null, null, List.of(), null, null, List.of());
  }
  private double cacheConfidence = Double.NaN;

  ContextResponse(
      List<ContextItem> facts,
      List<ContextItem> preferences,
      List<ContextItem> episodes,
      List<ContextItem> emotions,
      List<ContextItem> temporalEvents,
      String formattedContext,
      int tokensUsed,
      boolean budgetExceeded,
      String source,
      List<String> sourceBundleIds) {
    this(facts, preferences, episodes, emotions, temporalEvents, formattedContext, tokensUsed, budgetExceeded, source, sourceBundleIds,
        Details.NONE);
  }

  ContextResponse(
      List<ContextItem> facts,
      List<ContextItem> preferences,
      List<ContextItem> episodes,
      List<ContextItem> emotions,
      List<ContextItem> temporalEvents,
      String formattedContext,
      int tokensUsed,
      boolean budgetExceeded,
      String source,
      List<String> sourceBundleIds,
      Details details) {
    this.facts = facts;
    this.preferences = preferences;
    this.episodes = episodes;
    this.emotions = emotions;
    this.temporalEvents = temporalEvents;
    this.formattedContext = formattedContext;
    this.tokensUsed = tokensUsed;
    this.budgetExceeded = budgetExceeded;
    this.source = source;
    this.sourceBundleIds = sourceBundleIds;
    this.details = details;
  }

  /** The correlation id of the fetch (the server's answer names it; null for a cache answer). */
  public String correlationId() {
    return details.correlationId();
  }

  /** When the server retrieved this answer (ISO-8601), or null for a cache answer. */
  public String retrievedAt() {
    return details.retrievedAt();
  }

  /** The scopes the answer read, narrowest first ({@code user}, {@code customer}, {@code client}...). */
  public List<String> scopesQueried() {
    return details.scopesQueried();
  }

  /** A conversation fetch's short-term context (summary and recent turns), when the server sent it. */
  public java.util.Optional<ConversationContext> conversationContext() {
    return java.util.Optional.ofNullable(details.conversationContext());
  }

  /** Summary mode: the user's profile, when asked for and known. */
  public java.util.Optional<UserProfile> profile() {
    return java.util.Optional.ofNullable(details.profile());
  }

  /** Summary mode: the user's most recent conversations with their summaries. */
  public List<ConversationSummary> conversations() {
    return details.conversations();
  }

  Details details() {
    return details;
  }

  ContextResponse withConversationContext(ConversationContext c) {
    // A cached conversation fetch gains its conversation context here: the copy keeps the cache's confidence.
    return new ContextResponse(facts, preferences, episodes, emotions, temporalEvents, formattedContext, tokensUsed, budgetExceeded, source,
        sourceBundleIds, new Details(details.correlationId(), details.retrievedAt(), details.scopesQueried(), c, details.profile(),
            details.conversations())).withCacheConfidence(cacheConfidence);
  }

  public List<ContextItem> facts() {
    return facts;
  }

  public List<ContextItem> preferences() {
    return preferences;
  }

  public List<ContextItem> episodes() {
    return episodes;
  }

  public List<ContextItem> emotions() {
    return emotions;
  }

  public List<ContextItem> temporalEvents() {
    return temporalEvents;
  }

  public String formattedContext() {
    return formattedContext;
  }

  public int tokensUsed() {
    return tokensUsed;
  }

  public boolean budgetExceeded() {
    return budgetExceeded;
  }

  /** {@code cloud} when the server answered, {@code anticipation_cache} when the cache did. */
  public String source() {
    return source;
  }

  /** The pushed bundles a cached answer came from (empty for server answers). */
  public List<String> sourceBundleIds() {
    return sourceBundleIds;
  }

  /** Every item, in the order the types are listed above. */
  public List<ContextItem> all() {
    List<ContextItem> out = new ArrayList<>();
    out.addAll(facts);
    out.addAll(preferences);
    out.addAll(episodes);
    out.addAll(emotions);
    out.addAll(temporalEvents);
    return out;
  }

  public boolean fromCache() {
    return "anticipation_cache".equals(source);
  }

  /**
   * For a cached answer, the cache's confidence in it: the share of the query's weight its items
   * cover (1 when the server had prefetched this very query). NaN for server answers.
   */
  public double cacheConfidence() {
    return cacheConfidence;
  }

  ContextResponse withCacheConfidence(double confidence) {
    this.cacheConfidence = confidence;
    return this;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ContextResponse o
        && Objects.equals(facts, o.facts)
        && Objects.equals(preferences, o.preferences)
        && Objects.equals(episodes, o.episodes)
        && Objects.equals(emotions, o.emotions)
        && Objects.equals(temporalEvents, o.temporalEvents)
        && Objects.equals(formattedContext, o.formattedContext)
        && tokensUsed == o.tokensUsed
        && budgetExceeded == o.budgetExceeded
        && Objects.equals(source, o.source)
        && Objects.equals(sourceBundleIds, o.sourceBundleIds);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        facts,
        preferences,
        episodes,
        emotions,
        temporalEvents,
        formattedContext,
        tokensUsed,
        budgetExceeded,
        source,
        sourceBundleIds);
  }

  @Override
  public String toString() {
    return "ContextResponse["
        + "facts=" + facts
        + ", preferences=" + preferences
        + ", episodes=" + episodes
        + ", emotions=" + emotions
        + ", temporalEvents=" + temporalEvents
        + ", formattedContext=" + formattedContext
        + ", tokensUsed=" + tokensUsed
        + ", budgetExceeded=" + budgetExceeded
        + ", source=" + source
        + ", sourceBundleIds=" + sourceBundleIds
        + "]";
  }
}
