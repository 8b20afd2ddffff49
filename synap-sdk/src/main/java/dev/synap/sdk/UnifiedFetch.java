package dev.synap.sdk;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code synap.fetch(...)}: context from several scopes, merged narrowest first (conversation,
 * user, customer, client). Which scopes: those the request lists ({@code FetchRequest.Builder.scope}),
 * else every scope whose id is given (the client scope only when asked for). Each scope is asked
 * for its own {@code max_results} (the documented default is 20 per scope; an explicit
 * {@code maxResults} applies to each) with only its own ids, so the user scope is not narrowed to
 * the conversation. An item a narrower scope already gave, or one saying the same thing (same
 * normalised text), is dropped from the broader scopes: the narrower scope wins. The answer keeps
 * to the token budget, labels each item with its scope, names the scopes queried, and carries the
 * conversation's short-term context when a conversation was fetched with
 * {@code include_conversation_context} (the default).
 */
final class UnifiedFetch {
  static final int DEFAULT_PER_SCOPE = 20;
  private static final List<String> ORDER = List.of("conversation", "user", "customer", "client");

  private UnifiedFetch() {}

  static ContextResponse fetch(Synap synap, FetchRequest r, boolean includeClient) {
    List<String> scopes = scopes(r, includeClient);
    if (scopes.isEmpty()) throw new InvalidInputException("name at least one of conversation_id, user_id, customer_id, or include the client scope");
    int perScope = r.options().maxResultsGiven() ? r.maxResults() : DEFAULT_PER_SCOPE;
    List<ContextResponse> parts = new ArrayList<>();
    for (String scope : scopes) parts.add(client(synap, scope).fetch(forScope(r, scope, perScope)));
    return merge(parts, scopes, perScope, r.tokenBudget() == null ? 4096 : r.tokenBudget());
  }

  private static List<String> scopes(FetchRequest r, boolean includeClient) {
    List<String> asked = new ArrayList<>();
    if (!r.scopes().isEmpty()) {
      for (String s : r.scopes()) {
        String scope = s == null ? "" : s.strip().toLowerCase(Locale.ROOT);
        if (!ORDER.contains(scope)) throw new InvalidInputException("unknown scope '" + s + "'; use conversation, user, customer or client");
        if (!asked.contains(scope)) asked.add(scope);
      }
    } else {
      if (Validation.notBlank(r.conversationId())) asked.add("conversation");
      if (Validation.notBlank(r.userId())) asked.add("user");
      if (Validation.notBlank(r.customerId())) asked.add("customer");
      if (includeClient) asked.add("client");
    }
    return ORDER.stream().filter(asked::contains).toList();
  }

  private static ScopedContextClient.Context client(Synap synap, String scope) {
    return switch (scope) {
      case "conversation" -> synap.conversation().context().fetcher();
      case "user" -> synap.user().context();
      case "customer" -> synap.customer().context();
      default -> synap.client().context();
    };
  }

  /** The request with only the ids its scope uses (a user fetch given a conversation id would be narrowed to it). */
  private static FetchRequest forScope(FetchRequest r, String scope, int max) {
    FetchRequest.Builder b = switch (scope) {
      case "conversation" -> FetchRequest.forConversation(r.conversationId()).userId(r.userId()).customerId(r.customerId());
      case "user" -> FetchRequest.forUser(r.userId()).customerId(r.customerId());
      case "customer" -> FetchRequest.forCustomer(r.customerId());
      default -> FetchRequest.forClient();
    };
    r.searchQuery().forEach(b::query);
    r.types().forEach(b::type);
    b.maxResults(max).mode(r.mode()).precisionLevel(r.precisionLevel()).includeConversationContext(r.includeConversationContext());
    if (r.tokenBudget() != null) b.tokenBudget(r.tokenBudget());
    if ("user".equals(scope) && "conversation-summary".equals(r.contextMode())) {
      b.conversationSummary(r.includeProfile() == null || r.includeProfile(), r.lastNConversations() == null ? 1 : r.lastNConversations());
    }
    return b.build();
  }

  static ContextResponse merge(List<ContextResponse> narrowestFirst, int maxResults, int tokenBudget) {
    List<String> scopes = new ArrayList<>();
    for (ContextResponse p : narrowestFirst) scopes.addAll(p.scopesQueried());
    return merge(narrowestFirst, List.copyOf(new java.util.LinkedHashSet<>(scopes)), maxResults, tokenBudget);
  }

  private static ContextResponse merge(List<ContextResponse> narrowestFirst, List<String> scopes, int perScope, int tokenBudget) {
    Map<String, List<ContextItem>> byType = new LinkedHashMap<>();
    for (String t : List.of("facts", "preferences", "episodes", "emotions", "temporal_events")) byType.put(t, new ArrayList<>());
    Set<String> ids = new HashSet<>();
    Set<String> texts = new HashSet<>();
    Set<String> bundles = new HashSet<>();
    StringBuilder formatted = new StringBuilder();
    int tokens = 0;
    boolean exceeded = false;
    boolean allCached = true;
    ConversationContext conversationContext = null;
    UserProfile profile = null;
    List<ConversationSummary> conversations = List.of();
    String correlationId = null;
    String retrievedAt = null;
    for (int p = 0; p < narrowestFirst.size(); p++) {
      ContextResponse part = narrowestFirst.get(p);
      String scope = p < scopes.size() ? scopes.get(p) : null;
      allCached &= part.fromCache();
      bundles.addAll(part.sourceBundleIds());
      if (conversationContext == null) conversationContext = part.conversationContext().orElse(null);
      if (profile == null) profile = part.profile().orElse(null);
      if (conversations.isEmpty()) conversations = part.conversations();
      if (correlationId == null) correlationId = part.correlationId();
      if (part.retrievedAt() != null) retrievedAt = part.retrievedAt();
      int kept = 0;
      for (ContextItem i : part.all()) {
        if (kept >= perScope) break;
        if (!ids.add(i.id()) || !texts.add(normalise(i.content()))) continue;
        int cost = Math.max(1, (i.content().length() + 3) / 4);
        if (tokens + cost > tokenBudget) {
          exceeded = true;
          continue;
        }
        ContextItem labelled = i.scope() != null || scope == null ? i : new ContextItem(i.id(), i.type(), i.content(), i.confidence(),
            i.relevance(), i.eventDate(), i.validUntil(), i.temporalCategory(), i.createdAt(), i.source(), scope);
        byType.computeIfAbsent(i.type(), k -> new ArrayList<>()).add(labelled);
        formatted.append("- [").append(i.type()).append("] ").append(i.content()).append('\n');
        tokens += cost;
        kept++;
      }
    }
    // The scopes actually read: what each server answer names (a user fetch also reads the shared
    // levels of its scope chain), or the scope itself for an answer from the cache.
    java.util.LinkedHashSet<String> queried = new java.util.LinkedHashSet<>();
    for (int p = 0; p < narrowestFirst.size(); p++) {
      List<String> named = narrowestFirst.get(p).scopesQueried();
      if (named.isEmpty() && p < scopes.size()) queried.add(scopes.get(p));
      else queried.addAll(named);
    }
    return new ContextResponse(byType.get("facts"), byType.get("preferences"), byType.get("episodes"), byType.get("emotions"),
        byType.get("temporal_events"), formatted.toString(), tokens, exceeded, allCached ? "anticipation_cache" : "merged",
        List.copyOf(bundles), new ContextResponse.Details(correlationId, retrievedAt, List.copyOf(queried), conversationContext, profile,
            conversations));
  }

  private static String normalise(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
  }
}
