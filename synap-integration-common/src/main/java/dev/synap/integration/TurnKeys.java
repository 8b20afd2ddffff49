package dev.synap.integration;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One idempotency key per conversation turn, shared by the two paths that may carry the same turn:
 * the Listen stream (published for anticipation, as {@code event_id}) and the chat-memory store
 * (recorded over REST, as {@code Idempotency-Key}). The server stores a key once, so a turn
 * published and then recorded is one message. The publisher goes first in every framework flow
 * (before the model call, or as the reply arrives), so the store takes the key the publisher left
 * for the same (conversation, role, text), or a fresh one. Bounded: a key no store ever takes (an
 * agent without the store) is forgotten after 1,024 newer ones.
 */
final class TurnKeys {
  private static final int MAX = 1024;
  private final Map<String, String> published = new LinkedHashMap<>(64, 0.75f, false) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > MAX;
    }
  };

  synchronized String publish(String conversationId, String role, String content) {
    String key = UUID.randomUUID().toString();
    published.put(turn(conversationId, role, content), key);
    return key;
  }

  synchronized String take(String conversationId, String role, String content) {
    String key = published.remove(turn(conversationId, role, content));
    return key != null ? key : UUID.randomUUID().toString();
  }

  private static String turn(String conversationId, String role, String content) {
    return conversationId + '\u0000' + role + '\u0000' + content;
  }
}
