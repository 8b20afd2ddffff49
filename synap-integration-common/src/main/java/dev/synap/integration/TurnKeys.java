package dev.synap.integration;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One idempotency key per conversation turn, shared by the two paths that may carry the same turn:
 * the Listen stream (published for anticipation, as {@code event_id}) and REST (recorded durably,
 * as {@code Idempotency-Key}). The server stores a key once, so a turn published and recorded is
 * one message, whichever path goes first (frameworks differ: LangChain4j publishes before its
 * store records, Spring AI's memory advisor may record the reply before ours publishes it).
 *
 * <p>The first path to carry a turn makes the key and leaves it for the second, which takes it.
 * A key left untaken for 60 s (only one path in use) is not reused: an identical later turn gets a
 * key of its own. Bounded to the 1,024 newest keys.
 */
final class TurnKeys {
  private static final int MAX = 1024;
  private static final long REUSE_NANOS = 60_000_000_000L;

  private record Pending(String key, long at) {}

  private final Map<String, Pending> pending = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Pending> eldest) {
      return size() > MAX;
    }
  };

  synchronized String key(String conversationId, String role, String content) {
    String turn = conversationId + '\u0000' + role + '\u0000' + content;
    long now = System.nanoTime();
    Pending left = pending.remove(turn);
    if (left != null && now - left.at() < REUSE_NANOS) return left.key();
    String key = UUID.randomUUID().toString();
    pending.put(turn, new Pending(key, now));
    return key;
  }
}
