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
