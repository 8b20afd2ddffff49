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

  /**
   * The items as prompt lines ({@code - [type] content}), most relevant first, stopping before the
   * line that would pass {@code tokens} (estimated at 4 characters a token, as the SDK does).
   */
  public String formattedWithin(int tokens) {
    return formattedWithin(tokens, items);
  }

  private static String formattedWithin(int tokens, List<ContextItem> items) {
    StringBuilder out = new StringBuilder();
    int used = 0;
    for (ContextItem i : items) {
      int cost = Math.max(1, (i.content().length() + 3) / 4);
      if (used + cost > tokens) break;
      out.append("- [").append(i.type()).append("] ").append(i.content()).append('\n');
      used += cost;
    }
    return out.toString();
  }

  /** Without the items that say exactly {@code text} (case, spacing and punctuation aside). */
  Recall without(String text) {
    if (text == null || text.isBlank()) return this;
    String t = normalise(text);
    List<ContextItem> kept = items.stream().filter(i -> !normalise(i.content()).equals(t)).toList();
    return kept.size() == items.size() ? this : new Recall(kept, formattedWithin(Integer.MAX_VALUE, kept), tokensUsed, scope, source);
  }

  private static String normalise(String s) {
    return s.toLowerCase(java.util.Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
  }

  public boolean fromCache() {
    return "anticipation_cache".equals(source);
  }

  public boolean isEmpty() {
    return items.isEmpty();
  }
}
