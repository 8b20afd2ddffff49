package dev.synap.core.ingest;

import dev.synap.core.InvalidInputException;
import dev.synap.core.model.Scope;
import dev.synap.core.tenant.Instance;
import dev.synap.core.tenant.ScopeRules;
import java.util.Map;
import java.util.Set;

/** Bounds and shape of what may be recorded; every edge (REST, gRPC) goes through it. */
public final class RecordValidator {
  public static final int MAX_CONTENT_CHARS = 32_768;
  public static final int MAX_METADATA_ENTRIES = 64;
  public static final int MAX_METADATA_VALUE_CHARS = 4_096;
  public static final int MAX_BATCH = 500;
  private static final Set<String> ROLES = Set.of("user", "assistant");

  private RecordValidator() {}

  /** Validates and returns the request with blank ids normalised to null. */
  public static RecordRequest validate(Instance instance, RecordRequest r) {
    ScopeRules.ScopeIds ids = ScopeRules.check(instance, Scope.CONVERSATION, r.conversationId(), r.userId(), r.customerId());
    if (r.role() == null || !ROLES.contains(r.role())) {
      throw new InvalidInputException("role must be 'user' or 'assistant'");
    }
    if (r.content() == null || r.content().isBlank()) throw new InvalidInputException("content must not be empty");
    if (r.content().length() > MAX_CONTENT_CHARS) {
      throw new InvalidInputException("content is longer than " + MAX_CONTENT_CHARS + " characters");
    }
    if (r.sessionId() != null && r.sessionId().length() > 256) throw new InvalidInputException("session_id is longer than 256 characters");
    checkMetadata(r.metadata());
    if (r.idempotencyKey() != null && r.idempotencyKey().length() > 256) {
      throw new InvalidInputException("idempotency key is longer than 256 characters");
    }
    String session = r.sessionId() == null || r.sessionId().isBlank() ? defaultSession(instance.instanceId(), ids.conversationId()) : r.sessionId();
    return new RecordRequest(instance.instanceId(), ids.conversationId(), ids.userId(), ids.customerId(), session, r.role(), r.kind(), r.content(),
        r.metadata() == null ? Map.of() : r.metadata(), r.occurredAt(), r.idempotencyKey());
  }

  /**
   * The session of a turn recorded without one (the documentation says it is generated): one per
   * conversation, derived from its id, so that a retried record gets the same one and the turns of
   * a conversation without sessions still read as one run of context ({@code preceding}).
   */
  public static String defaultSession(String instanceId, String conversationId) {
    return "sess_" + java.util.UUID.nameUUIDFromBytes((instanceId + "\u0000" + conversationId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  public static void checkMetadata(Map<String, String> metadata) {
    if (metadata == null) return;
    if (metadata.size() > MAX_METADATA_ENTRIES) throw new InvalidInputException("metadata has more than " + MAX_METADATA_ENTRIES + " entries");
    for (var e : metadata.entrySet()) {
      if (e.getKey() == null || e.getKey().isEmpty() || e.getKey().length() > 128) {
        throw new InvalidInputException("metadata keys must be 1-128 characters");
      }
      if (e.getValue() != null && e.getValue().length() > MAX_METADATA_VALUE_CHARS) {
        throw new InvalidInputException("metadata value of '" + e.getKey() + "' is longer than " + MAX_METADATA_VALUE_CHARS + " characters");
      }
    }
  }
}
