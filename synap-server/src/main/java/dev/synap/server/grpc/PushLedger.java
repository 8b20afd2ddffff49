package dev.synap.server.grpc;

import dev.synap.core.anticipate.ClientHoldings;
import dev.synap.core.retrieve.ContextItem;
import dev.synap.core.retrieve.ContextResult;
import dev.synap.proto.v1.ContextBundleProto;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a stream has pushed that its client likely still holds (so an unchanged item is not sent
 * again until the client has probably evicted it, see {@link ClientHoldings}), and the owners
 * (users, customers) it holds bundles of (so their new memories reach it as updates).
 * Thread-safe: pushes, updates and dropped bundles come from different threads.
 */
final class PushLedger {
  static final int HELD_ITEMS = 5_000;

  private final ClientHoldings held;
  private final Set<String> owners = ConcurrentHashMap.newKeySet();

  /** @param clientBundles how many bundles the client caches (its stated capacity, or the default) */
  PushLedger(int clientBundles) {
    this.held = new ClientHoldings(HELD_ITEMS, ClientHoldings.horizonFor(clientBundles));
  }

  /** {@code r} without the items the client likely holds in this version. */
  synchronized ContextResult withoutHeld(ContextResult r) {
    List<ContextItem> fresh = new ArrayList<>();
    int tokens = 0;
    for (ContextItem i : r.items()) {
      if (held.holds(i.memory().memoryId(), i.memory().updatedAt().toEpochMilli())) continue;
      fresh.add(i);
      tokens += i.tokens();
    }
    return new ContextResult(fresh, tokens, r.tokenBudget(), r.budgetExceeded(), r.mode(), r.sourcesQueried(), r.retrievalMicros());
  }

  /** A bundle with these items is about to be written; the client will cache it. */
  synchronized void cached(ContextResult r) {
    held.nextBundle();
    for (ContextItem i : r.items()) held.pushed(i.memory().memoryId(), i.memory().updatedAt().toEpochMilli());
  }

  /** A bundle that never reached the client (replaced or dropped while it was not reading): its items are not held. */
  synchronized void undelivered(ContextBundleProto bundle) {
    for (String id : BundleAssembler.itemIds(bundle)) held.forget(id);
  }

  /** Notes an owner this stream holds bundles of; true the first time. */
  boolean holdsOwner(String ownerKey) {
    return owners.add(ownerKey);
  }

  Set<String> owners() {
    return owners;
  }
}
