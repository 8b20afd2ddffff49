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

  // One helper per documented event type (contract 7.9); each returns a builder to add ids to.

  /** {@code user_message}: what the user said. */
  public static Builder userMessage(String content) {
    return new Builder(content);
  }

  /** {@code assistant_message}: the agent's reply. */
  public static Builder assistantMessage(String content) {
    return new Builder(content).eventType("assistant_message").role("assistant");
  }

  /** {@code tool_call}: a tool the agent is calling, with its arguments as JSON text. */
  public static Builder toolCall(String toolName, String argsJson) {
    return new Builder("").eventType("tool_call").role("assistant").tool(toolName, argsJson);
  }

  /** {@code tool_result}: what a tool returned (text or JSON); the server records it and anticipates the next step. */
  public static Builder toolResult(String toolName, String result) {
    return new Builder(result).eventType("tool_result").role("assistant").tool(toolName, null);
  }

  /** {@code agent_thinking}: the agent's reasoning (as {@code record_thinking}). */
  public static Builder agentThinking(String thought) {
    return new Builder(thought).eventType("agent_thinking").role("assistant");
  }

  /** {@code context_request}: asks for context now; answered with a {@code reactive} bundle. */
  public static Builder contextRequest(String... queries) {
    Builder b = new Builder("").eventType("context_request").role("assistant");
    for (String q : queries) b.searchQuery(q);
    return b;
  }

  /** {@code session_start}: the server pushes the user's {@code user_summary} bundle. */
  public static Builder sessionStart() {
    return new Builder("").eventType("session_start").role("assistant");
  }

  /** {@code session_end}: the server stores what is pending and compacts the conversation if it has new turns. */
  public static Builder sessionEnd() {
    return new Builder("").eventType("session_end").role("assistant");
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
