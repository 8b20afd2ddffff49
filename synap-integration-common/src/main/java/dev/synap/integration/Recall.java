package dev.synap.integration;

import dev.synap.sdk.ContextItem;
import dev.synap.sdk.ContextResponse;
import java.util.List;

/**
 * Context for a prompt, as an integration hands it on.
 *
 * @param scope the scope fetched: {@code user}, {@code customer} or {@code client}
 * @param source {@code anticipation_cache} when the SDK's cache answered without a network call,
 *     {@code cloud} when the server did, {@code unavailable} when the read failed (soft)
 */
public record Recall(List<ContextItem> items, String formattedContext, int tokensUsed, String scope, String source) {
  public static final String UNAVAILABLE = "unavailable";

  public Recall {
    items = List.copyOf(items);
  }

  static Recall of(ContextResponse r, String scope) {
    return new Recall(r.all(), r.formattedContext(), r.tokensUsed(), scope, r.source());
  }

  static Recall unavailable(String scope) {
    return new Recall(List.of(), "", 0, scope, UNAVAILABLE);
  }

  public boolean fromCache() {
    return "anticipation_cache".equals(source);
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }
}
