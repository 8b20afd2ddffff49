package dev.synap.sdk;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A message to record ({@code POST /v1/conversations/messages}). */
public record RecordMessage(
    String conversationId,
    String role,
    String content,
    String userId,
    String customerId,
    String sessionId,
    Map<String, String> metadata,
    Instant timestamp,
    String idempotencyKey) {

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
}
