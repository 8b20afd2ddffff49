package dev.synap.core.ingest;

import java.time.Instant;
import java.util.Map;

/**
 * One message to record, already authenticated to {@code instanceId}.
 *
 * @param occurredAt when it was said; null means "now" (the server's receive time)
 * @param idempotencyKey client-supplied key; two records with the same key are one message
 * @param kind {@code message}, {@code tool_call} or {@code agent_thinking}
 */
public record RecordRequest(
    String instanceId,
    String conversationId,
    String userId,
    String customerId,
    String sessionId,
    String role,
    String kind,
    String content,
    Map<String, String> metadata,
    Instant occurredAt,
    String idempotencyKey) {}
