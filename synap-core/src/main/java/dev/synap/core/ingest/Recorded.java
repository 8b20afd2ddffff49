package dev.synap.core.ingest;

import java.time.Instant;

/** Acknowledgement of a durable record; {@code duplicate} when it matched an earlier one. */
public record Recorded(String messageId, String conversationId, String sessionId, Instant recordedAt, boolean duplicate) {}
