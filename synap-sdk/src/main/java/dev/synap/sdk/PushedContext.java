package dev.synap.sdk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.synap.proto.v1.ConversationContextProto;
import dev.synap.proto.v1.RecentTurnProto;
import java.util.List;
import java.util.Map;

/**
 * Decodes a bundle's {@code conversation_context}: empty strings become null, and the two JSON
 * fields become maps (empty text is {}). Malformed JSON also becomes {}: the official client
 * reconnects its stream on it, which would only fetch the same bundle again.
 */
final class PushedContext {
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private PushedContext() {}

  static ConversationContext decode(ConversationContextProto p) {
    List<RecentTurn> turns = p.getRecentTurnsList().stream().map(PushedContext::turn).toList();
    return new ConversationContext(blankToNull(p.getConversationId()), blankToNull(p.getCompactionId()), blankToNull(p.getCompactedAt()),
        blankToNull(p.getSummary()), json(p.getCurrentStateJson()), json(p.getKeyExtractionsJson()), turns);
  }

  private static RecentTurn turn(RecentTurnProto t) {
    return new RecentTurn(t.getRole(), t.getContent(), blankToNull(t.getTimestamp()), null);
  }

  static Map<String, Object> json(String text) {
    if (text == null || text.isBlank()) return Map.of();
    try {
      Map<String, Object> m = RestTransport.MAPPER.readValue(text, OBJECT);
      return m == null ? Map.of() : m;
    } catch (JsonProcessingException e) {
      return Map.of();
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
