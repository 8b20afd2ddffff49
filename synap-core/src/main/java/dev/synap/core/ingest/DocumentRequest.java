package dev.synap.core.ingest;

import java.time.Instant;
import java.util.Map;

/**
 * A document (or transcript) to turn into memories, already authenticated to {@code instanceId}.
 *
 * @param kind {@code document} or {@code transcript}
 * @param documentId the caller's id; re-sending the same id with the same content is a duplicate
 * @param parts the chunks or turns, in order; each becomes one queued message
 */
public record DocumentRequest(
    String instanceId,
    String kind,
    String documentId,
    String userId,
    String customerId,
    String conversationId,
    java.util.List<Part> parts,
    Map<String, String> metadata,
    Instant createdAt) {

  /** One chunk or turn: role is {@code document} for chunks, {@code user}/{@code assistant} for turns. */
  public record Part(String role, String content, Instant at, String speaker) {}
}
