package dev.synap.server.grpc;

import dev.synap.core.InvalidInputException;
import dev.synap.core.anticipate.AnticipationPlanner;
import dev.synap.core.ingest.RecordRequest;
import dev.synap.core.ingest.RecordValidator;
import dev.synap.core.tenant.RelationshipMode;
import dev.synap.core.tenant.ScopeRules;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.server.auth.Caller;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A conversation event checked against the caller's instance, as the session acts on it: who it is
 * about, what the planner sees, and what gets stored (null when the event is not recorded). The
 * shape rules ran before, in {@link StreamEventRules}; the id rules depend on the instance's
 * B2B/B2C mode and run here, once, before anything is pushed or stored.
 */
record ListenEvent(String type, BundleAssembler.Target target, AnticipationPlanner.Event planned, RecordRequest record) {
  private static final Set<String> RECORDED_TYPES = Set.of("user_message", "assistant_message", "tool_call", "agent_thinking");

  /** @throws InvalidInputException naming the first id or field the instance refuses */
  static ListenEvent of(Caller caller, ConversationEvent e) {
    String type = e.getEventType().isBlank() ? "user_message" : e.getEventType().toLowerCase(Locale.ROOT);
    String user = blankToNull(e.getUserId());
    String customer = blankToNull(e.getCustomerId());
    String conversation = blankToNull(e.getConversationId());
    if (conversation != null) ScopeRules.requireUuid("conversation_id", conversation);
    if (user != null) ScopeRules.requireId("user_id", user);
    if (customer != null) ScopeRules.requireId("customer_id", customer);
    if (caller.instance().mode() == RelationshipMode.B2B && user != null && customer == null) {
      throw new InvalidInputException("customer_id is required with user_id on a B2B instance");
    }
    if (e.getContent().length() > RecordValidator.MAX_CONTENT_CHARS) {
      throw new InvalidInputException("content is longer than " + RecordValidator.MAX_CONTENT_CHARS + " characters");
    }
    RecordRequest record = RECORDED_TYPES.contains(type) && conversation != null ? recordRequest(caller, type, e) : null;
    return new ListenEvent(type, new BundleAssembler.Target(user, customer, conversation),
        new AnticipationPlanner.Event(type, e.getContent(), e.getToolName(), e.getToolArgsJson(), e.getSearchQueriesList(), e.getContextTypesList()),
        record);
  }

  /** The event as a record request, validated; null when it carries nothing to record. */
  private static RecordRequest recordRequest(Caller caller, String type, ConversationEvent e) {
    String content = switch (type) {
      case "tool_call" -> (e.getToolName() + " " + e.getToolArgsJson()).strip();
      default -> e.getContent();
    };
    if (content.isBlank()) return null;
    String role = e.getRole().isBlank() ? (type.equals("user_message") ? "user" : "assistant") : e.getRole();
    if (!role.equals("user") && !role.equals("assistant")) role = "assistant";
    Map<String, String> metadata = new HashMap<>(e.getMetadataMap());
    metadata.put("event_type", type);
    RecordValidator.checkMetadata(metadata);
    String idempotency = metadata.get("event_id");
    return RecordValidator.validate(caller.instance(), new RecordRequest(caller.instance().instanceId(),
        e.getConversationId(), e.getUserId(), e.getCustomerId(), e.getSessionId(), role,
        type.endsWith("_message") ? "message" : type, content, metadata,
        e.getTimestampMs() > 0 ? Instant.ofEpochMilli(e.getTimestampMs()) : null, idempotency));
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
