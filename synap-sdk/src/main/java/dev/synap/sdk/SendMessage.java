package dev.synap.sdk;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An event for {@code instance().sendMessage(...)}, with every parameter of the official
 * {@code send_message}: content, role (default {@code user}), conversation, user, customer and
 * session ids, event type (default {@code user_message}), metadata, tool name and arguments,
 * search queries and context types.
 */
public record SendMessage(
    String content,
    String role,
    String conversationId,
    String userId,
    String customerId,
    String sessionId,
    String eventType,
    Map<String, String> metadata,
    String toolName,
    String toolArgsJson,
    List<String> searchQueries,
    List<String> contextTypes,
    java.time.Instant timestamp) {

  public static Builder builder(String content) {
    return new Builder(content);
  }

  public static final class Builder {
    private final String content;
    private String role = "user";
    private String conversationId;
    private String userId;
    private String customerId;
    private String sessionId;
    private String eventType = "user_message";
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private String toolName;
    private String toolArgsJson;
    private final List<String> searchQueries = new ArrayList<>();
    private final List<String> contextTypes = new ArrayList<>();
    private java.time.Instant timestamp;

    private Builder(String content) {
      this.content = content == null ? "" : content;
    }

    public Builder role(String v) {
      this.role = v;
      return this;
    }

    public Builder conversationId(String v) {
      this.conversationId = v;
      return this;
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

    /** {@code user_message}, {@code assistant_message}, {@code tool_call}, {@code context_request}, {@code agent_thinking}... */
    public Builder eventType(String v) {
      this.eventType = v;
      return this;
    }

    public Builder metadata(String key, String value) {
      this.metadata.put(key, value);
      return this;
    }

    public Builder tool(String name, String argsJson) {
      this.toolName = name;
      this.toolArgsJson = argsJson;
      return this;
    }

    public Builder searchQuery(String q) {
      this.searchQueries.add(q);
      return this;
    }

    public Builder contextType(String t) {
      this.contextTypes.add(t);
      return this;
    }

    /**
     * When the event happened (default: now). An extension of the official client, which always
     * stamps the send time: importing history needs the original times.
     */
    public Builder timestamp(java.time.Instant at) {
      this.timestamp = at;
      return this;
    }

    public SendMessage build() {
      return new SendMessage(content, role, conversationId, userId, customerId, sessionId, eventType, Map.copyOf(metadata),
          toolName, toolArgsJson, List.copyOf(searchQueries), List.copyOf(contextTypes), timestamp);
    }
  }
}
