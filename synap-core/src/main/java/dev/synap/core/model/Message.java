package dev.synap.core.model;

import java.time.Instant;
import java.util.Map;

/**
 * One recorded conversation turn (or agent event), exactly as accepted.
 *
 * @param kind {@code message}, {@code tool_call} or {@code agent_thinking}: what produced it
 */
public record Message(
    String messageId,
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
    Instant recordedAt) {}
