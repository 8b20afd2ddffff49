package dev.synap.server.grpc;

import dev.synap.core.anticipate.FeedbackLedger;
import dev.synap.core.retrieve.ContextItem;
import dev.synap.core.retrieve.ContextResult;
import dev.synap.proto.v1.ContextUsedEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Credits {@code context_used} feedback to the planner pattern whose bundle the client served:
 * the stream remembers its last {@value #TRACKED_BUNDLES} bundles (pattern and item tokens), and
 * the {@link FeedbackLedger} learns how much of each pattern's pushes gets used. Thread-safe.
 */
final class FeedbackCredit {
  static final int TRACKED_BUNDLES = 1_000;

  private static final class Pushed {
    final String pattern;
    final Map<String, Integer> itemTokens;
    boolean used;

    Pushed(String pattern, Map<String, Integer> itemTokens) {
      this.pattern = pattern;
      this.itemTokens = itemTokens;
    }
  }

  private final FeedbackLedger ledger;
  private final String instanceId;
  private final Map<String, Pushed> pushed = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Pushed> eldest) {
      return size() > TRACKED_BUNDLES;
    }
  };

  FeedbackCredit(FeedbackLedger ledger, String instanceId) {
    this.ledger = ledger;
    this.instanceId = instanceId;
  }

  /** A bundle pushed for {@code pattern}. */
  void pushed(String bundleId, String pattern, ContextResult result) {
    Map<String, Integer> itemTokens = new HashMap<>();
    for (ContextItem i : result.items()) itemTokens.put(i.memory().memoryId(), i.tokens());
    synchronized (this) {
      pushed.put(bundleId, new Pushed(pattern, itemTokens));
    }
    ledger.pushed(instanceId, pattern, itemTokens.size(), result.tokensUsed());
  }

  /** The client served items of these bundles from its cache. */
  synchronized void used(ContextUsedEvent e) {
    Set<String> served = Set.copyOf(e.getServedItemIdsList());
    List<String> bundleIds = new ArrayList<>(e.getSourceBundleIdsList());
    if (!e.getBundleId().isBlank()) bundleIds.add(e.getBundleId());
    for (String id : bundleIds) {
      Pushed p = pushed.get(id);
      if (p == null) continue;
      int items = 0;
      int tokens = 0;
      for (var it : p.itemTokens.entrySet()) {
        if (served.contains(it.getKey())) {
          items++;
          tokens += it.getValue();
        }
      }
      boolean first = !p.used;
      p.used = true;
      ledger.used(instanceId, p.pattern, items, tokens, first);
    }
  }
}
