package dev.synap.server.grpc;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Open Listen streams, for shutdown signals, key revocation, stream-count metrics, and pushing
 * updates to the streams that hold bundles of a given user or customer.
 */
final class StreamRegistry {
  private final Set<ListenSession> sessions = ConcurrentHashMap.newKeySet();
  private final ConcurrentHashMap<String, Set<ListenSession>> byOwner = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Integer> perKey = new ConcurrentHashMap<>();

  /** Adds a stream unless its API key already holds {@code maxPerKey} open streams. */
  boolean tryAdd(ListenSession s, int maxPerKey) {
    boolean[] added = new boolean[1];
    perKey.compute(s.caller().keyHash(), (k, n) -> {
      int open = n == null ? 0 : n;
      if (open >= maxPerKey) return n;
      added[0] = true;
      return open + 1;
    });
    if (added[0]) sessions.add(s);
    return added[0];
  }

  /** Safe to call more than once per stream (cancel, error and completion may all report it). */
  void remove(ListenSession s) {
    if (sessions.remove(s)) perKey.computeIfPresent(s.caller().keyHash(), (k, n) -> n <= 1 ? null : n - 1);
    for (String owner : s.owners()) {
      byOwner.computeIfPresent(owner, (k, set) -> {
        set.remove(s);
        return set.isEmpty() ? null : set;
      });
    }
  }

  /** Notes that {@code s} now holds bundles of {@code owner} (see {@link #ownerKey}). */
  void holds(ListenSession s, String owner) {
    byOwner.computeIfAbsent(owner, k -> ConcurrentHashMap.newKeySet()).add(s);
  }

  Set<ListenSession> holding(String owner) {
    return byOwner.getOrDefault(owner, Set.of());
  }

  /**
   * The key of a bundle owner: instance, customer and user (a B2B user id is only unique within
   * its customer), or instance and customer for customer-held memories.
   */
  static String ownerKey(String instanceId, String userId, String customerId) {
    return userId != null ? instanceId + "\u0000u\u0000" + customerId + "\u0000" + userId : instanceId + "\u0000c\u0000" + customerId;
  }

  int size() {
    return sessions.size();
  }

  Collection<ListenSession> all() {
    return Set.copyOf(sessions);
  }

  /**
   * Streams of one instance that sent events for a conversation: one per API key, the most
   * recently active, because a client reconnecting may briefly hold two streams and must not get
   * the same push twice.
   */
  java.util.List<ListenSession> following(String instanceId, String conversationId) {
    java.util.Map<String, ListenSession> byKey = new java.util.HashMap<>();
    for (ListenSession s : all()) {
      if (!s.caller().instance().instanceId().equals(instanceId) || s.seenConversation(conversationId).isEmpty()) continue;
      byKey.merge(s.caller().keyHash(), s, (a, b) -> a.lastSeenMillis() >= b.lastSeenMillis() ? a : b);
    }
    return java.util.List.copyOf(byKey.values());
  }

  /** Closes every stream opened with a key that is now revoked. */
  int closeRevoked(Set<String> revokedKeyHashes) {
    int closed = 0;
    for (ListenSession s : all()) {
      if (revokedKeyHashes.contains(s.caller().keyHash())) {
        s.closeUnauthenticated("API key revoked");
        closed++;
      }
    }
    return closed;
  }
}
