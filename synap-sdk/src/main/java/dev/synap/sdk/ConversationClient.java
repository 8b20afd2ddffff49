package dev.synap.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** Conversation operations: recording turns, and conversation-scoped context. */
public final class ConversationClient {
  private final RestTransport rest;
  private final InstanceClient instance;
  private final CompactionUpdates compactionUpdates;

  ConversationClient(RestTransport rest, InstanceClient instance, CompactionUpdates compactionUpdates) {
    this.rest = rest;
    this.instance = instance;
    this.compactionUpdates = compactionUpdates;
  }

  /**
   * Records one turn; returns once the server has stored it durably.
   *
   * @throws InvalidConversationIdException if the conversation id is not a UUID (nothing is sent)
   * @throws InvalidInputException for a role other than user/assistant, or a B2B user without customer
   */
  public RecordedMessage recordMessage(RecordMessage m) {
    if (m.conversationId() == null || m.conversationId().isBlank()) throw new InvalidConversationIdException("conversation_id is required");
    Validation.conversationId(m.conversationId());
    if (!"user".equals(m.role()) && !"assistant".equals(m.role())) {
      throw new InvalidInputException("role must be 'user' or 'assistant', got '" + m.role() + "'");
    }
    Validation.scopeIds(instance.identity(), m.userId(), m.customerId());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("conversation_id", m.conversationId());
    body.put("role", m.role());
    body.put("content", m.content());
    body.put("user_id", m.userId());
    body.put("customer_id", m.customerId());
    body.put("metadata", m.metadata());
    if (m.sessionId() != null) body.put("session_id", m.sessionId());
    if (m.timestamp() != null) body.put("timestamp", m.timestamp().toString());
    if (m.idempotencyKey() != null) body.put("idempotency_key", m.idempotencyKey());
    JsonNode r = rest.post("/v1/conversations/messages", body);
    return new RecordedMessage(r.path("message_id").asText(null), r.path("conversation_id").asText(null),
        r.path("session_id").asText(null), r.path("recorded_at").asText(null), r.path("status").asText(null));
  }

  /** Conversation-scoped context: fetch and compaction. */
  public ConversationContextClient context() {
    return new ConversationContextClient(new ScopedContextClient.Context("conversation", rest, instance, null), rest, compactionUpdates);
  }
}
