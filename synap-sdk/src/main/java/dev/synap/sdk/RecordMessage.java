package dev.synap.sdk;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A message to record ({@code POST /v1/conversations/messages}).
 *
 * <p>Made through its builder; a final class rather than a record so that fields can be added
 * without changing a public constructor.
 */
public final class RecordMessage {
  private final String conversationId;
  private final String role;
  private final String content;
  private final String userId;
  private final String customerId;
  private final String sessionId;
  private final Map<String, String> metadata;
  private final Instant timestamp;
  private final String idempotencyKey;

  RecordMessage(
      String conversationId,
      String role,
      String content,
      String userId,
      String customerId,
      String sessionId,
      Map<String, String> metadata,
      Instant timestamp,
      String idempotencyKey) {
    this.conversationId = conversationId;
    this.role = role;
    this.content = content;
    this.userId = userId;
    this.customerId = customerId;
    this.sessionId = sessionId;
    this.metadata = metadata;
    this.timestamp = timestamp;
    this.idempotencyKey = idempotencyKey;
  }

  public String conversationId() {
    return conversationId;
  }

  public String role() {
    return role;
  }

  public String content() {
    return content;
  }

  public String userId() {
    return userId;
  }

  public String customerId() {
    return customerId;
  }

  public String sessionId() {
    return sessionId;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  public Instant timestamp() {
    return timestamp;
  }

  public String idempotencyKey() {
    return idempotencyKey;
  }

  public static Builder user(String conversationId, String content) {
    return new Builder(conversationId, "user", content);
  }

  public static Builder assistant(String conversationId, String content) {
    return new Builder(conversationId, "assistant", content);
  }

  public static Builder of(String conversationId, String role, String content) {
    return new Builder(conversationId, role, content);
  }

  public static final class Builder {
    private final String conversationId;
    private final String role;
    private final String content;
    private String userId;
    private String customerId;
    private String sessionId;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private Instant timestamp;
    private String idempotencyKey;

    private Builder(String conversationId, String role, String content) {
      this.conversationId = conversationId;
      this.role = role;
      this.content = content;
    }

    public Builder userId(String v) {
      this.userId = v;
      return this;
    }

    public Builder customerId(String v) {
      this.customerId = v;
      return this;
    }

    public Builder sessionId(String v) {
      this.sessionId = v;
      return this;
    }

    public Builder metadata(String key, String value) {
      this.metadata.put(key, value);
      return this;
    }

    /** When the message was said (defaults to the server's receive time). */
    public Builder timestamp(Instant t) {
      this.timestamp = t;
      return this;
    }

    /** Makes retries safe: the same key is recorded once. */
    public Builder idempotencyKey(String key) {
      this.idempotencyKey = key;
      return this;
    }

    public RecordMessage build() {
      return new RecordMessage(conversationId, role, content, userId, customerId, sessionId, Map.copyOf(metadata), timestamp, idempotencyKey);
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RecordMessage o
        && Objects.equals(conversationId, o.conversationId)
        && Objects.equals(role, o.role)
        && Objects.equals(content, o.content)
        && Objects.equals(userId, o.userId)
        && Objects.equals(customerId, o.customerId)
        && Objects.equals(sessionId, o.sessionId)
        && Objects.equals(metadata, o.metadata)
        && Objects.equals(timestamp, o.timestamp)
        && Objects.equals(idempotencyKey, o.idempotencyKey);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        conversationId,
        role,
        content,
        userId,
        customerId,
        sessionId,
        metadata,
        timestamp,
        idempotencyKey);
  }

  @Override
  public String toString() {
    return "RecordMessage["
        + "conversationId=" + conversationId
        + ", role=" + role
        + ", content=" + content
        + ", userId=" + userId
        + ", customerId=" + customerId
        + ", sessionId=" + sessionId
        + ", metadata=" + metadata
        + ", timestamp=" + timestamp
        + ", idempotencyKey=" + idempotencyKey
        + "]";
  }
}
