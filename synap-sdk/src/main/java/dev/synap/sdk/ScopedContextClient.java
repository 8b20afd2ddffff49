package dev.synap.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Context for one scope: {@code user()}, {@code customer()} or {@code client()}. */
public final class ScopedContextClient {
  private final Context context;

  ScopedContextClient(String scope, RestTransport rest, InstanceClient instance, AnticipationCache cache) {
    this.context = new Context(scope, rest, instance, cache);
  }

  public Context context() {
    return context;
  }

  /**
   * The user's profile ({@code GET /v1/users/{user_id}/profile}): attributes derived from current
   * facts and preferences, and an overview. Empty when nothing is known yet (404).
   */
  public java.util.Optional<UserProfile> getProfile(String userId, String customerId) {
    if (!Validation.notBlank(userId)) throw new InvalidInputException("user_id is required");
    String path = "/v1/users/" + java.net.URLEncoder.encode(userId, java.nio.charset.StandardCharsets.UTF_8)
        + "/profile" + (customerId == null ? "" : "?customer_id=" + java.net.URLEncoder.encode(customerId, java.nio.charset.StandardCharsets.UTF_8));
    JsonNode n;
    try {
      n = context.rest.get(path);
    } catch (ContextNotFoundException e) {
      return java.util.Optional.empty();
    }
    return java.util.Optional.ofNullable(FetchAnswer.profile(n.path("profile")));
  }

  /** Fetches context: from the anticipation cache when it covers the request, else from the server. */
  public static final class Context {
    private final String scope;
    final RestTransport rest;
    private final InstanceClient instance;
    private final AnticipationCache cache;

    Context(String scope, RestTransport rest, InstanceClient instance, AnticipationCache cache) {
      this.scope = scope;
      this.rest = rest;
      this.instance = instance;
      this.cache = cache;
    }

    public ContextResponse fetch(FetchRequest r) {
      long start = System.nanoTime();
      SdkEvent event = SdkEvent.of("fetch_" + scope + "_context").scope(scope);
      try {
        ContextResponse response = fetchUntimed(r);
        long millis = (System.nanoTime() - start) / 1_000_000;
        instance.telemetry().record(event.latency(millis).cache("anticipation_cache".equals(response.source()) ? "hit" : "miss"));
        // As the official client does after every scope fetch (contract 7.8): context_fetch, then context_assembled.
        instance.reportFetch(scope, r, response, millis);
        return response;
      } catch (SynapException e) {
        String code = e.getClass().getSimpleName();
        instance.telemetry().record(event.latency((System.nanoTime() - start) / 1_000_000).failed(code));
        instance.telemetry().record(SdkEvent.of("error").scope(scope).failed(code));
        throw e;
      }
    }

    private ContextResponse fetchUntimed(FetchRequest r) {
      Validation.conversationId(r.conversationId());
      switch (scope) {
        case "conversation" -> {
          if (!Validation.notBlank(r.conversationId())) throw new InvalidInputException("conversation_id is required");
        }
        case "user" -> {
          if (!Validation.notBlank(r.userId())) throw new InvalidInputException("user_id is required");
        }
        case "customer" -> {
          if (!Validation.notBlank(r.customerId())) throw new InvalidInputException("customer_id is required");
        }
        default -> {}
      }
      if (!"fast".equals(r.mode()) && !"accurate".equals(r.mode())) throw new InvalidInputException("mode must be fast or accurate");
      Validation.scopeIds(instance.identity(), r.userId(), r.customerId());
      // Summary mode asks for what only the server has (profile, conversation summaries).
      boolean summaryMode = "conversation-summary".equals(r.contextMode());
      if (cache != null && !summaryMode) {
        Optional<AnticipationCache.Hit> hit = cache.lookup(owners(r), "user".equals(scope) ? null : r.conversationId(),
            r.searchQuery(), cacheTypes(r.types()), r.maxResults());
        instance.telemetry().record(SdkEvent.of(hit.isPresent() ? "cache_hit" : "cache_miss").scope(scope));
        if (hit.isPresent()) {
          instance.reportCacheUse(scope, r.conversationId(), "user".equals(scope) ? r.userId() : null,
              "client".equals(scope) ? null : r.customerId(), hit.get());
          return fromCache(hit.get());
        }
      }
      return fromServer(r);
    }

    /** The cache owners this fetch may see: a user's fetch sees only that user's bundles (and the customer's, in B2B). */
    private Set<AnticipationCache.Owner> owners(FetchRequest r) {
      return switch (scope) {
        // A conversation fetch naming its user consults that user's bundles as a user fetch does
        // (of that conversation or of none), and the conversation's own instance-level bundles.
        case "conversation" -> r.userId() == null ? Set.of(AnticipationCache.Owner.instance())
            : r.customerId() == null ? Set.of(AnticipationCache.Owner.user(null, r.userId()), AnticipationCache.Owner.instance())
            : Set.of(AnticipationCache.Owner.user(r.customerId(), r.userId()), AnticipationCache.Owner.customer(r.customerId()),
                AnticipationCache.Owner.instance());
        case "user" -> r.customerId() == null ? Set.of(AnticipationCache.Owner.user(null, r.userId()))
            : Set.of(AnticipationCache.Owner.user(r.customerId(), r.userId()), AnticipationCache.Owner.customer(r.customerId()));
        case "customer" -> Set.of(AnticipationCache.Owner.customer(r.customerId()));
        default -> Set.of(AnticipationCache.Owner.instance());
      };
    }

    private static Set<String> cacheTypes(List<String> types) {
      Set<String> out = new LinkedHashSet<>();
      for (String t : types) {
        if ("all".equals(t)) return Set.of();
        out.add("temporal".equals(t) ? "temporal_events" : t);
      }
      return out;
    }

    private ContextResponse fromServer(FetchRequest r) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("conversation_id", r.conversationId());
      if (r.userId() != null) body.put("user_id", r.userId());
      if (r.customerId() != null) body.put("customer_id", r.customerId());
      body.put("search_query", r.searchQuery().isEmpty() ? null : r.searchQuery());
      body.put("max_results", r.maxResults());
      body.put("types", r.types().isEmpty() ? List.of("all") : r.types());
      body.put("mode", r.mode());
      if (r.tokenBudget() != null) body.put("token_budget", r.tokenBudget());
      // As the official client: precision only when not the default, summary keys only in summary mode.
      if (r.precisionLevel() != null && !"high".equals(r.precisionLevel())) body.put("precision_level", r.precisionLevel());
      if (!r.includeConversationContext()) body.put("include_conversation_context", false);
      if (r.contextMode() != null) {
        body.put("context_mode", r.contextMode());
        if (r.includeProfile() != null) body.put("include_profile", r.includeProfile());
        if (r.lastNConversations() != null) body.put("last_n_conversations", r.lastNConversations());
      }
      JsonNode n = rest.post("/v1/context/" + scope + "/fetch", body);
      JsonNode ctx = n.path("context");
      return new ContextResponse(items(ctx, "facts"), items(ctx, "preferences"), items(ctx, "episodes"), items(ctx, "emotions"),
          items(ctx, "temporal_events"), n.path("formatted_context").asText(""), n.path("tokens_used").asInt(),
          n.path("budget_exceeded").asBoolean(), "cloud", List.of(), FetchAnswer.details(n));
    }

    private static List<ContextItem> items(JsonNode ctx, String type) {
      List<ContextItem> out = new ArrayList<>();
      for (JsonNode i : ctx.path(type)) {
        String content = i.hasNonNull("content") ? i.get("content").asText() : i.path("summary").asText(i.path("context").asText(""));
        double confidence = i.has("confidence") ? i.get("confidence").asDouble()
            : i.has("strength") ? i.get("strength").asDouble() : i.has("significance") ? i.get("significance").asDouble() : i.path("intensity").asDouble();
        out.add(new ContextItem(i.path("id").asText(), type, content, confidence, i.path("relevance_score").asDouble(),
            text(i, "event_date"), text(i, "valid_until"), text(i, "temporal_category"), text(i, "extracted_at"), text(i, "source"),
            i.hasNonNull("scope") ? i.get("scope").asText() : text(i.path("metadata"), "scope")));
      }
      return out;
    }

    private static String text(JsonNode n, String field) {
      JsonNode v = n.get(field);
      return v == null || v.isNull() ? null : v.asText();
    }

    private static ContextResponse fromCache(AnticipationCache.Hit hit) {
      Map<String, List<ContextItem>> byType = new LinkedHashMap<>();
      for (String t : List.of("facts", "preferences", "episodes", "emotions", "temporal_events")) byType.put(t, new ArrayList<>());
      StringBuilder formatted = new StringBuilder();
      int tokens = 0;
      for (ContextItem i : hit.items()) {
        byType.computeIfAbsent(i.type(), k -> new ArrayList<>()).add(i);
        formatted.append("- [").append(i.type()).append("] ").append(i.content()).append('\n');
        tokens += Math.max(1, (i.content().length() + 3) / 4);
      }
      return new ContextResponse(byType.get("facts"), byType.get("preferences"), byType.get("episodes"), byType.get("emotions"),
          byType.get("temporal_events"), formatted.toString(), tokens, false, "anticipation_cache", hit.bundleIds()).withCacheConfidence(hit.confidence());
    }
  }
}
