package dev.synap.sdk;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code synap.fetch(...)}: context from every scope the request names, merged narrowest first
 * (conversation, user, customer, then client when asked). An item a narrower scope already gave,
 * or one saying the same thing (same normalised text), is dropped from the broader scopes: the
 * narrower scope wins. The merged answer keeps within {@code maxResults} and the token budget.
 */
final class UnifiedFetch {
  private UnifiedFetch() {}

  static ContextResponse fetch(Synap synap, FetchRequest r, boolean includeClient) {
    List<ContextResponse> parts = new ArrayList<>();
    if (Validation.notBlank(r.conversationId())) parts.add(synap.conversation().context().fetch(r));
    if (Validation.notBlank(r.userId())) parts.add(synap.user().context().fetch(r));
    if (Validation.notBlank(r.customerId())) parts.add(synap.customer().context().fetch(r));
    if (includeClient) parts.add(synap.client().context().fetch(r));
    if (parts.isEmpty()) throw new InvalidInputException("name at least one of conversation_id, user_id, customer_id, or include the client scope");
    return merge(parts, r.maxResults(), r.tokenBudget() == null ? 4096 : r.tokenBudget());
  }

  static ContextResponse merge(List<ContextResponse> narrowestFirst, int maxResults, int tokenBudget) {
    Map<String, List<ContextItem>> byType = new LinkedHashMap<>();
    for (String t : List.of("facts", "preferences", "episodes", "emotions", "temporal_events")) byType.put(t, new ArrayList<>());
    Set<String> ids = new HashSet<>();
    Set<String> texts = new HashSet<>();
    Set<String> bundles = new HashSet<>();
    StringBuilder formatted = new StringBuilder();
    int tokens = 0;
    int kept = 0;
    boolean exceeded = false;
    boolean allCached = true;
    for (ContextResponse part : narrowestFirst) {
      allCached &= part.fromCache();
      bundles.addAll(part.sourceBundleIds());
      for (ContextItem i : part.all()) {
        if (!ids.add(i.id()) || !texts.add(normalise(i.content()))) continue;
        int cost = Math.max(1, (i.content().length() + 3) / 4);
        if (kept >= maxResults) break;
        if (tokens + cost > tokenBudget) {
          exceeded = true;
          continue;
        }
        byType.computeIfAbsent(i.type(), k -> new ArrayList<>()).add(i);
        formatted.append("- [").append(i.type()).append("] ").append(i.content()).append('\n');
        tokens += cost;
        kept++;
      }
    }
    return new ContextResponse(byType.get("facts"), byType.get("preferences"), byType.get("episodes"), byType.get("emotions"),
        byType.get("temporal_events"), formatted.toString(), tokens, exceeded, allCached ? "anticipation_cache" : "merged",
        List.copyOf(bundles));
  }

  private static String normalise(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
  }
}
