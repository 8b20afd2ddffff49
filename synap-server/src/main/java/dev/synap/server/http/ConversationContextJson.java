package dev.synap.server.http;

import dev.synap.core.compact.Compaction;
import dev.synap.core.compact.ConversationContext;
import dev.synap.core.model.Message;
import dev.synap.server.context.Iso;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code conversation_context} of a conversation-scope fetch response (contract 9.6). */
final class ConversationContextJson {
  private ConversationContextJson() {}

  static Map<String, Object> of(ConversationContext ctx) {
    Compaction c = ctx.compaction().orElse(null);
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("summary", c == null ? null : c.result().summary());
    o.put("current_state", c == null ? Map.of() : c.result().currentState());
    o.put("key_extractions", c == null ? Map.of() : c.result().keyExtractions().toMap());
    o.put("recent_turns", ctx.recentMessages().stream().map(ConversationContextJson::turn).toList());
    o.put("compaction_id", c == null ? null : c.compactionId());
    o.put("compacted_at", c == null ? null : Iso.of(c.completedAt()));
    o.put("conversation_id", ctx.conversationId());
    return o;
  }

  static Map<String, Object> turn(Message m) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("role", m.role());
    t.put("content", m.content());
    t.put("timestamp", Iso.of(m.occurredAt()));
    return t;
  }

  /** A recent message of context-for-prompt: the turn plus its id (all four keys required, 9.10). */
  static Map<String, Object> message(Message m) {
    Map<String, Object> t = turn(m);
    t.put("message_id", m.messageId());
    return t;
  }

  static List<Map<String, Object>> messages(List<Message> l) {
    return l.stream().map(ConversationContextJson::message).toList();
  }
}
