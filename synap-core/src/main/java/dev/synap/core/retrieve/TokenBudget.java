package dev.synap.core.retrieve;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the best-ranked items that fit the budget. An item that does not fit is skipped (a
 * smaller, lower-ranked one may still fit) and the result says the budget was exceeded.
 */
public final class TokenBudget {
  private TokenBudget() {}

  public record Fitted(List<ContextItem> items, int tokensUsed, boolean exceeded) {}

  public static Fitted fit(List<ContextItem> ranked, int budget, int maxResults) {
    List<ContextItem> kept = new ArrayList<>();
    int used = 0;
    boolean exceeded = false;
    for (ContextItem item : ranked) {
      if (kept.size() >= maxResults) break;
      if (used + item.tokens() > budget) {
        exceeded = true;
        continue;
      }
      kept.add(item);
      used += item.tokens();
    }
    return new Fitted(List.copyOf(kept), used, exceeded);
  }
}
