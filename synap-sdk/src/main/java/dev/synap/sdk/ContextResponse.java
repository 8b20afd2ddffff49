package dev.synap.sdk;

import java.util.ArrayList;
import java.util.List;

/**
 * A context answer, from the server or from the anticipation cache.
 *
 * @param source {@code cloud} when the server answered, {@code anticipation_cache} when the cache did
 * @param sourceBundleIds the pushed bundles a cached answer came from (empty for server answers)
 */
public record ContextResponse(
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
}
