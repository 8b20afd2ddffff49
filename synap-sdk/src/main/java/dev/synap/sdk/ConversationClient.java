package dev.synap.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversation operations: recording turns, and conversation-scoped context. */
public final class ConversationClient {
  private final RestTransport rest;
  private final InstanceClient instance;
  private final CompactionUpdates compactionUpdates;
  private final AnticipationCache cache;

  ConversationClient(RestTransport rest, InstanceClient instance, CompactionUpdates compactionUpdates, AnticipationCache cache) {
    this.rest = rest;
    this.instance = instance;
    this.compactionUpdates = compactionUpdates;
    this.cache = cache;
  }

  /**
   * Records one turn; returns once the server has stored it durably.
   *
   * @throws InvalidConversationIdException if the conversation id is not a UUID (nothing is sent)
   * @throws InvalidInputException for a role other than user/assistant, or a B2B user without customer
   */
  public RecordedMessage recordMessage(RecordMessage m) {
    JsonNode r = rest.post("/v1/conversations/messages", body(m));
    return new RecordedMessage(r.path("message_id").asText(null), r.path("conversation_id").asText(null),
        r.path("session_id").asText(null), r.path("recorded_at").asText(null), r.path("status").asText(null));
  }

  /**
   * Deletes a conversation ({@code DELETE /v1/conversations/{id}}, an extension of the official
   * API): its raw messages, the memories extracted from it, its compactions.
   *
   * @throws InvalidConversationIdException if the id is not a UUID (nothing is sent)
   * @throws ContextNotFoundException when the instance holds nothing of that conversation
   */
  public DeletedConversation delete(String conversationId) {
    if (!Validation.notBlank(conversationId)) throw new InvalidInputException("conversation_id is required");
    Validation.conversationId(conversationId);
    return DeletedConversation.from(rest.send("DELETE", "/v1/conversations/" + conversationId, null), conversationId);
  }

  /** Result of a batch: per-message results in input order (null message id where that message failed). */
  public record BatchResult(int total, int succeeded, int failed, List<RecordedMessage> results) {}

  /**
   * Records many turns in one durable transaction ({@code POST /v1/conversations/messages/batch}).
   * Every message is validated before anything is sent.
   */
  public BatchResult recordMessagesBatch(List<RecordMessage> messages) {
    List<Map<String, Object>> bodies = new java.util.ArrayList<>();
    for (RecordMessage m : messages) bodies.add(body(m));
    JsonNode r = rest.post("/v1/conversations/messages/batch", Map.of("messages", bodies));
    List<RecordedMessage> results = new java.util.ArrayList<>();
    for (JsonNode n : r.path("results")) {
      results.add(new RecordedMessage(n.path("message_id").asText(null), n.path("conversation_id").asText(null),
          n.path("session_id").asText(null), n.path("recorded_at").asText(null), n.path("status").asText(null)));
    }
    return new BatchResult(r.path("total").asInt(), r.path("succeeded").asInt(), r.path("failed").asInt(), results);
  }

  /** One turn of a transcript; {@code timestamp} and {@code speaker} may be null. */
  public record Turn(String role, String content, java.time.Instant timestamp, String speaker) {}

  /** Outcome of a transcript ingestion: {@code queued}, or {@code duplicate} for the same transcript again. */
  public record TranscriptAccepted(String conversationId, String externalConversationId, String ingestionId, String status, int turnsRecorded) {}

  /**
   * Ingests a finished conversation ({@code POST /v1/conversations/ingest}); the id may be any
   * string. The same id with another transcript raises {@link TranscriptConflictException}.
   */
  public TranscriptAccepted ingestTranscript(String conversationId, String userId, String customerId, List<Turn> transcript) {
    Map<String, Object> b = new LinkedHashMap<>();
    b.put("conversation_id", conversationId);
    b.put("user_id", userId);
    if (customerId != null) b.put("customer_id", customerId);
    List<Map<String, Object>> turns = new java.util.ArrayList<>();
    for (Turn t : transcript) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("role", t.role());
      o.put("content", t.content());
      o.put("timestamp", t.timestamp() == null ? null : t.timestamp().toString());
      o.put("speaker", t.speaker());
      o.put("metadata", null);
      turns.add(o);
    }
    b.put("transcript", turns);
    JsonNode r = rest.post("/v1/conversations/ingest", b);
    return new TranscriptAccepted(r.path("conversation_id").asText(null), r.path("external_conversation_id").asText(null),
        r.path("ingestion_id").asText(null), r.path("status").asText(null), r.path("turns_recorded").asInt());
  }

  private Map<String, Object> body(RecordMessage m) {
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
    return body;
  }

  /** Conversation-scoped context: fetch and compaction. */
  public ConversationContextClient context() {
    return new ConversationContextClient(new ScopedContextClient.Context("conversation", rest, instance, cache), rest, compactionUpdates);
  }
}
