package dev.synap.server.console;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sessions, in memory: a session id (the cookie) and a CSRF token, both 256 random bits,
 * who signed in (admin, or an instance key's view of its instance), and when the session was last
 * used. A session unused for the idle timeout is gone; a restart signs everyone out. The key a
 * session was opened with is never kept, only its hash, so a revoked key's session can be ended.
 */
final class ConsoleSessions {
  /** At most this many sessions at once; the least recently used goes first beyond it. */
  static final int MAX_SESSIONS = 1000;

  record Session(String id, String csrf, String actor, String instanceId, String keyHash, long[] lastSeen) {
    /** Admin sessions see every instance and may act; instance sessions only read their own instance. */
    boolean admin() {
      return instanceId == null;
    }

    boolean mayRead(String instance) {
      return admin() || instanceId.equals(instance);
    }
  }

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final SecureRandom random = new SecureRandom();
  private final Duration idle;
  private final Clock clock;

  ConsoleSessions(Duration idle, Clock clock) {
    this.idle = idle;
    this.clock = clock;
  }

  Session open(String actor, String instanceId, String keyHash) {
    if (sessions.size() >= MAX_SESSIONS) evictOldest();
    Session s = new Session(token(), token(), actor, instanceId, keyHash, new long[] {clock.millis()});
    sessions.put(s.id(), s);
    return s;
  }

  /** The live session for a cookie value, touched; empty when unknown or idle too long (then removed). */
  Optional<Session> find(String id) {
    if (id == null) return Optional.empty();
    Session s = sessions.get(id);
    if (s == null) return Optional.empty();
    long now = clock.millis();
    synchronized (s.lastSeen()) {
      if (now - s.lastSeen()[0] > idle.toMillis()) {
        sessions.remove(id);
        return Optional.empty();
      }
      s.lastSeen()[0] = now;
    }
    return Optional.of(s);
  }

  void close(String id) {
    if (id != null) sessions.remove(id);
  }

  /** Ends the sessions opened with a key that was revoked. */
  void closeKey(String keyHash) {
    sessions.values().removeIf(s -> keyHash.equals(s.keyHash()));
  }

  Duration idleTimeout() {
    return idle;
  }

  /** Compared in constant time: the token is a secret. */
  static boolean sameToken(String expected, String given) {
    return given != null && MessageDigest.isEqual(expected.getBytes(java.nio.charset.StandardCharsets.UTF_8),
        given.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private void evictOldest() {
    sessions.values().stream().min(java.util.Comparator.comparingLong(s -> s.lastSeen()[0])).ifPresent(s -> sessions.remove(s.id()));
  }

  private String token() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
