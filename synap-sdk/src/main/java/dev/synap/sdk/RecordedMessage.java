package dev.synap.sdk;

/** The server's acknowledgement: the message is durable once this returns. */
public record RecordedMessage(String messageId, String conversationId, String sessionId, String recordedAt, String status) {}
