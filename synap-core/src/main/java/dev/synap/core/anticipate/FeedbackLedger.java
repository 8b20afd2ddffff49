package dev.synap.core.anticipate;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What clients did with pushed bundles, per instance and origin pattern: how many bundles and
 * items were pushed, how many bundles were ever served from a client cache ({@code context_used})
 * and how many of their items, and the tokens pushed that were never used.
 *
 * <p>It closes the loop: once a pattern has {@link #MIN_PUSHES} pushes on an instance, its item
 * budget and confidence scale with its item precision, so patterns that do not earn their pushes
 * cost less bandwidth and client memory. The rule is deliberately simple and monotone; it never
 * switches a pattern off entirely, so a pattern can recover when behaviour changes.
 */
public final class FeedbackLedger {
  static final int MIN_PUSHES = 30;

  /** Counters of one pattern on one instance. */
  public static final class Stats {
    final LongAdder bundles = new LongAdder();
    final LongAdder items = new LongAdder();
    final LongAdder tokens = new LongAdder();
    final LongAdder bundlesUsed = new LongAdder();
    final LongAdder itemsUsed = new LongAdder();
    final LongAdder tokensUsed = new LongAdder();

    public double hitRate() {
      long b = bundles.sum();
      return b == 0 ? 0 : Math.min(1.0, (double) bundlesUsed.sum() / b);
    }

    public double precision() {
      long i = items.sum();
      return i == 0 ? 0 : Math.min(1.0, (double) itemsUsed.sum() / i);
    }

    public long wastedTokens() {
      return Math.max(0, tokens.sum() - tokensUsed.sum());
    }

    public long bundlesPushed() {
      return bundles.sum();
    }
  }

  private final Map<String, Stats> stats = new ConcurrentHashMap<>();

  private Stats of(String instanceId, String pattern) {
    return stats.computeIfAbsent(instanceId + "\u0000" + pattern, k -> new Stats());
  }

  public void pushed(String instanceId, String pattern, int items, int tokens) {
    Stats s = of(instanceId, pattern);
    s.bundles.increment();
    s.items.add(items);
    s.tokens.add(tokens);
  }

  /** A client served {@code items} items ({@code tokens} tokens) of one pushed bundle from its cache. */
  public void used(String instanceId, String pattern, int items, int tokens, boolean firstUseOfBundle) {
    Stats s = of(instanceId, pattern);
    if (firstUseOfBundle) s.bundlesUsed.increment();
    s.itemsUsed.add(items);
    s.tokensUsed.add(tokens);
  }

  /** Items a pattern may push: the default until it has history, then scaled by its precision (at least 3). */
  public int itemBudget(String instanceId, String pattern, int defaultItems) {
    Stats s = stats.get(instanceId + "\u0000" + pattern);
    if (s == null || s.bundles.sum() < MIN_PUSHES) return defaultItems;
    double p = s.precision();
    return (int) Math.max(3, Math.min(defaultItems, Math.round(defaultItems * (0.3 + 2.0 * p))));
  }

  /** Multiplies a plan's confidence: 1 without history, down to 0.5 for a pattern never used. */
  public double confidenceFactor(String instanceId, String pattern) {
    Stats s = stats.get(instanceId + "\u0000" + pattern);
    if (s == null || s.bundles.sum() < MIN_PUSHES) return 1.0;
    return 0.5 + 0.5 * Math.min(1.0, s.hitRate() * 2);
  }

  /** A snapshot for metrics: pattern → hit rate, precision, wasted tokens, pushes. */
  public Map<String, Map<String, Object>> snapshot(String instanceId) {
    Map<String, Map<String, Object>> out = new LinkedHashMap<>();
    stats.forEach((k, s) -> {
      int sep = k.indexOf('\u0000');
      if (instanceId != null && !k.substring(0, sep).equals(instanceId)) return;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("bundles", s.bundles.sum());
      m.put("hit_rate", s.hitRate());
      m.put("precision", s.precision());
      m.put("wasted_tokens", s.wastedTokens());
      out.put(k.substring(sep + 1), m);
    });
    return out;
  }

  /** Totals over every pattern and instance. */
  public Stats total() {
    Stats t = new Stats();
    for (Stats s : stats.values()) {
      t.bundles.add(s.bundles.sum());
      t.items.add(s.items.sum());
      t.tokens.add(s.tokens.sum());
      t.bundlesUsed.add(s.bundlesUsed.sum());
      t.itemsUsed.add(s.itemsUsed.sum());
      t.tokensUsed.add(s.tokensUsed.sum());
    }
    return t;
  }
}
