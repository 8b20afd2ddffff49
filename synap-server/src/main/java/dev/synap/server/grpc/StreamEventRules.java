package dev.synap.server.grpc;

import dev.synap.core.InvalidInputException;
import dev.synap.core.ingest.RecordValidator;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.server.context.ContextFetcher;
import java.util.Locale;
import java.util.Set;

/**
 * Shape and size rules for what a client may publish on Listen, checked before the session sees
 * an event. The ids are checked by the session itself (with the instance's B2B/B2C rules);
 * recorded messages go through {@link RecordValidator} as on REST.
 */
final class StreamEventRules {
  /** Contract 7.9: the strings clients send, plus those the proto comment lists. */
  static final Set<String> EVENT_TYPES = Set.of("user_message", "assistant_message", "tool_call", "tool_result", "agent_thinking",
      "context_fetch", "context_request", "session_start", "session_end");
  static final Set<String> ROLES = Set.of("user", "assistant", "system", "tool");
  static final int MAX_FEEDBACK_BYTES = 64 * 1024;
  static final int MAX_NAME_CHARS = 256;
  /** 9999-12-31T23:59:59.999Z: later instants print with a sign and a 5+ digit year that clients cannot parse. */
  static final long MAX_TIMESTAMP_MS = 253_402_300_799_999L;

  private StreamEventRules() {}

  static void check(StreamEvent e) {
    switch (e.getPayloadCase()) {
      case PAYLOAD_NOT_SET -> throw new InvalidInputException("event has no payload");
      case CONVERSATION_EVENT -> conversation(e.getConversationEvent());
      case SESSION_CONTROL -> {
        String action = e.getSessionControl().getAction();
        if (!action.equals("start") && !action.equals("end")) throw new InvalidInputException("session_control action must be 'start' or 'end'");
      }
      case CONTEXT_USED, CONTEXT_ASSEMBLED -> {
        if (e.getSerializedSize() > MAX_FEEDBACK_BYTES) throw new InvalidInputException("feedback event is larger than 64 KB");
      }
      case HEARTBEAT_PING -> {}
    }
  }

  private static void conversation(ConversationEvent c) {
    String type = c.getEventType().isBlank() ? "user_message" : c.getEventType().toLowerCase(Locale.ROOT);
    if (!EVENT_TYPES.contains(type)) throw new InvalidInputException("unknown event_type '" + abbreviate(c.getEventType()) + "'");
    if (!c.getRole().isEmpty() && !ROLES.contains(c.getRole())) throw new InvalidInputException("role must be user, assistant, system or tool");
    if (c.getContent().length() > RecordValidator.MAX_CONTENT_CHARS) {
      throw new InvalidInputException("content is longer than " + RecordValidator.MAX_CONTENT_CHARS + " characters");
    }
    if (type.endsWith("_message") && c.getContent().isBlank()) throw new InvalidInputException(type + " needs content");
    if (c.getTimestampMs() < 0 || c.getTimestampMs() > MAX_TIMESTAMP_MS) throw new InvalidInputException("timestamp_ms is out of range");
    if (c.getSessionId().length() > MAX_NAME_CHARS) throw new InvalidInputException("session_id is longer than " + MAX_NAME_CHARS + " characters");
    if (c.getToolName().length() > MAX_NAME_CHARS) throw new InvalidInputException("tool_name is longer than " + MAX_NAME_CHARS + " characters");
    if (c.getToolArgsJson().length() > RecordValidator.MAX_CONTENT_CHARS) throw new InvalidInputException("tool_args_json is too long");
    if (c.getSearchQueriesCount() > ContextFetcher.MAX_QUERIES) throw new InvalidInputException("at most " + ContextFetcher.MAX_QUERIES + " search queries");
    for (String q : c.getSearchQueriesList()) {
      if (q.length() > ContextFetcher.MAX_QUERY_CHARS) throw new InvalidInputException("a search query is longer than " + ContextFetcher.MAX_QUERY_CHARS + " characters");
    }
    if (c.getContextTypesCount() > 16) throw new InvalidInputException("at most 16 context types");
    ContextFetcher.types(c.getContextTypesList());
    RecordValidator.checkMetadata(c.getMetadataMap());
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
