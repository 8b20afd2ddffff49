package dev.synap.core.model;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A typed memory derived from messages or documents.
 *
 * @param eventDate ISO date (or date-time) the memory refers to, when stated; null otherwise
 * @param validUntil when the memory stopped being true (set when superseded); null while current
 * @param status {@code current}, {@code superseded} or {@code retracted}
 * @param attributes type-specific details (preference direction, emotion type, participants...)
 */
public record Memory(
    String memoryId,
    String instanceId,
    String userId,
    String customerId,
    String conversationId,
    Scope scope,
    MemoryType type,
    String content,
    double confidence,
    String category,
    Map<String, Object> attributes,
    String eventDate,
    String validUntil,
    String temporalCategory,
    List<String> sourceMessageIds,
    String status,
    Instant createdAt,
    Instant updatedAt) {

  /** Chunks of a document share this conversation id prefix ({@code doc:<document id>}). */
  public static final String DOCUMENT_CONVERSATION_PREFIX = "doc:";

  public boolean isCurrent() {
    return "current".equals(status);
  }

  /** Whether this is source evidence rather than a typed memory (see {@link Evidence}). */
  public boolean isEvidence() {
    return Evidence.is(attributes);
  }

  /** Whether this memory came from a document (memories API) rather than from a conversation turn. */
  public boolean fromDocument() {
    return conversationId != null && conversationId.startsWith(DOCUMENT_CONVERSATION_PREFIX);
  }
}
