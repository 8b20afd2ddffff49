package dev.synap.sdk;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Conversation-scoped context ({@code synap.conversation().context()}): fetch, plus compaction
 * (contract 9.7-9.10). Conversation ids are checked to be UUIDs before anything is sent.
 */
public final class ConversationContextClient {
  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};
  private static final TypeReference<List<Map<String, Object>>> OBJECTS = new TypeReference<>() {};
  private final ScopedContextClient.Context fetcher;
  private final RestTransport rest;
  private final CompactionUpdates updates;

  ConversationContextClient(ScopedContextClient.Context fetcher, RestTransport rest, CompactionUpdates updates) {
    this.fetcher = fetcher;
    this.rest = rest;
    this.updates = updates;
  }

  ScopedContextClient.Context fetcher() {
    return fetcher;
  }

  /**
   * {@code POST /v1/context/conversation/fetch}, or the anticipation cache when it covers the
   * request (bundles of this conversation, and of its user when the request names one). A server
   * answer carries the conversation's short-term context ({@code conversation_context}); a cache
   * answer carries the one the stream pushed with the conversation's last compaction, when any.
   */
  public ContextResponse fetch(FetchRequest r) {
    ContextResponse answer = fetcher.fetch(r);
    if (!answer.fromCache() || !r.includeConversationContext() || answer.conversationContext().isPresent()) return answer;
    Optional<ConversationContext> pushed = updates.get(r.conversationId());
    return pushed.isEmpty() ? answer : answer.withConversationContext(pushed.get());
  }

  /**
   * Starts a compaction and returns at once with its id; poll {@link #getCompactionStatus} or
   * listen for the pushed {@code compaction_update}.
   *
   * @throws ConflictException when a compaction of this conversation is already running
   * @throws ContextNotFoundException when the conversation has no messages
   */
  public CompactionStarted compact(CompactRequest r) {
    String id = requireConversationId(r.conversationId());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("conversation_id", id);
    body.put("strategy", r.strategy() == null ? null : r.strategy().toLowerCase(Locale.ROOT));
    body.put("target_tokens", r.targetTokens());
    body.put("force", r.force());
    updates.forget(id);
    JsonNode n = rest.post("/v1/conversations/compact", body);
    return new CompactionStarted(n.path("compaction_id").asText("pending"), n.path("conversation_id").asText(id),
        n.path("status").asText("in_progress"), n.path("trigger_type").asText("manual_api"), text(n, "initiated_at"),
        n.path("estimated_completion_seconds").asInt(60), object(n.get("previous_context")), longOrNull(n, "previous_context_age_seconds"),
        text(n, "previous_compaction_id"));
  }

  /**
   * The compaction status; {@code completed} straight from a pushed {@code compaction_update}
   * when the stream delivered one, else from the server.
   */
  public CompactionStatus getCompactionStatus(String conversationId) {
    String id = requireConversationId(conversationId);
    Optional<ConversationContext> pushed = updates.get(id);
    if (pushed.isPresent()) {
      ConversationContext c = pushed.get();
      return new CompactionStatus(id, "completed", c.compactionId(), c.compactedAt(), null, null, null, null, null, c.compactedAt(), true);
    }
    JsonNode n = rest.get("/v1/conversations/" + id + "/compaction/status");
    return new CompactionStatus(n.path("conversation_id").asText(id), n.path("status").asText("none"), text(n, "compaction_id"),
        text(n, "completed_at"), doubleOrNull(n, "compression_ratio"), doubleOrNull(n, "validation_score"),
        intOrNull(n, "estimated_completion_seconds"), text(n, "error_message"), intOrNull(n, "latest_version"), text(n, "latest_created_at"), false);
  }

  /** The latest compaction in the structured format; empty when there is none. */
  public Optional<CompactedContext> getCompacted(String conversationId) {
    return getCompacted(conversationId, "structured", null);
  }

  /**
   * A compaction rendered as {@code structured}, {@code narrative} or {@code injection}; the
   * latest one, or {@code version} when given. Empty when there is none (404).
   */
  public Optional<CompactedContext> getCompacted(String conversationId, String format, Integer version) {
    String id = requireConversationId(conversationId);
    String query = "?format=" + (format == null ? "structured" : format) + (version == null ? "" : "&version=" + version);
    JsonNode n;
    try {
      n = rest.get("/v1/conversations/" + id + "/compacted" + query);
    } catch (ContextNotFoundException e) {
      return Optional.empty();
    }
    return Optional.of(new CompactedContext(n.path("formatted_context").asText(""), n.path("original_token_count").asInt(),
        n.path("compacted_token_count").asInt(), n.path("compression_ratio").asDouble(), n.path("strategy_used").asText("adaptive"),
        text(n, "compaction_id"), n.path("validation_score").asDouble(), n.path("validation_passed").asBoolean(), objects(n.get("facts")),
        objects(n.get("decisions")), objects(n.get("preferences")), object(n.get("current_state")), n.path("quality_warning").asBoolean(),
        n.path("ttl_seconds").asInt()));
  }

  /** Summary plus later turns as one prompt text; {@code style} is structured, narrative or bullet_points. */
  public PromptContext getContextForPrompt(String conversationId, String style) {
    String id = requireConversationId(conversationId);
    JsonNode n = rest.get("/v1/conversations/" + id + "/context-for-prompt?style=" + (style == null ? "structured" : style));
    List<RecentTurn> recent = new ArrayList<>();
    for (JsonNode m : n.path("recent_messages")) {
      recent.add(new RecentTurn(m.path("role").asText(), m.path("content").asText(), text(m, "timestamp"), text(m, "message_id")));
    }
    return new PromptContext(n.path("formatted_context").asText(""), n.path("available").asBoolean(), n.path("is_stale").asBoolean(),
        doubleOrNull(n, "compression_ratio"), doubleOrNull(n, "validation_score"), longOrNull(n, "compaction_age_seconds"),
        n.path("quality_warning").asBoolean(), List.copyOf(recent), n.path("recent_message_count").asInt(),
        n.path("compacted_message_count").asInt(), n.path("total_message_count").asInt());
  }

  public PromptContext getContextForPrompt(String conversationId) {
    return getContextForPrompt(conversationId, "structured");
  }

  private static String requireConversationId(String id) {
    if (id == null || id.isBlank()) throw new InvalidConversationIdException("conversation_id is required");
    Validation.conversationId(id);
    return id;
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  private static Double doubleOrNull(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || !v.isNumber() ? null : v.asDouble();
  }

  private static Integer intOrNull(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || !v.isNumber() ? null : v.asInt();
  }

  private static Long longOrNull(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || !v.isNumber() ? null : v.asLong();
  }

  private static Map<String, Object> object(JsonNode n) {
    return n == null || !n.isObject() ? Map.of() : RestTransport.MAPPER.convertValue(n, OBJECT);
  }

  private static List<Map<String, Object>> objects(JsonNode n) {
    return n == null || !n.isArray() ? List.of() : RestTransport.MAPPER.convertValue(n, OBJECTS);
  }
}
