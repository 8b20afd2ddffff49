package dev.synap.server.grpc;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Open Listen streams, for shutdown signals, key revocation and stream-count metrics. */
final class StreamRegistry {
  private final Set<ListenSession> sessions = ConcurrentHashMap.newKeySet();

  void add(ListenSession s) {
    sessions.add(s);
  }

  void remove(ListenSession s) {
    sessions.remove(s);
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
