package dev.synap.sdk;

import java.util.Objects;

/**
 * The server's acknowledgement: the message is durable once this returns.
 *
 * <p>Built by the SDK; a final class rather than a record so that fields can be added without
 * changing a public constructor.
 */
public final class RecordedMessage {
  private final String messageId;
  private final String conversationId;
  private final String sessionId;
  private final String recordedAt;
  private final String status;

  RecordedMessage(
      String messageId,
      String conversationId,
      String sessionId,
      String recordedAt,
      String status) {
    this.messageId = messageId;
    this.conversationId = conversationId;
    this.sessionId = sessionId;
    this.recordedAt = recordedAt;
    this.status = status;
  }

  public String messageId() {
    return messageId;
  }

  public String conversationId() {
    return conversationId;
  }

  public String sessionId() {
    return sessionId;
  }

  public String recordedAt() {
    return recordedAt;
  }

  public String status() {
    return status;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RecordedMessage o
        && Objects.equals(messageId, o.messageId)
        && Objects.equals(conversationId, o.conversationId)
        && Objects.equals(sessionId, o.sessionId)
        && Objects.equals(recordedAt, o.recordedAt)
        && Objects.equals(status, o.status);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        messageId,
        conversationId,
        sessionId,
        recordedAt,
        status);
  }

  @Override
  public String toString() {
    return "RecordedMessage["
        + "messageId=" + messageId
        + ", conversationId=" + conversationId
        + ", sessionId=" + sessionId
        + ", recordedAt=" + recordedAt
        + ", status=" + status
        + "]";
  }
}
