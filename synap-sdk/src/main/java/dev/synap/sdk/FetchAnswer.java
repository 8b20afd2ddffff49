package dev.synap.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads what a fetch answer carries beyond its items (contract 9.6): metadata, conversation context, summary mode. */
final class FetchAnswer {
  private FetchAnswer() {}

  static ContextResponse.Details details(JsonNode n) {
    JsonNode meta = n.path("metadata");
    List<String> scopes = JsonFields.texts(meta, "scopes_queried");
    if (scopes.isEmpty() && meta.hasNonNull("scope")) scopes = List.of(meta.get("scope").asText());
    return new ContextResponse.Details(JsonFields.text(meta, "correlation_id"), JsonFields.text(meta, "retrieved_at"), scopes,
        conversationContext(n.get("conversation_context")), profile(n.get("profile")), conversations(n.path("conversations")));
  }

  /** The conversation_context object (9.6): empty strings and absent members become null. */
  static ConversationContext conversationContext(JsonNode c) {
    if (c == null || !c.isObject()) return null;
    List<RecentTurn> turns = new ArrayList<>();
    for (JsonNode t : c.path("recent_turns")) {
      turns.add(new RecentTurn(JsonFields.text(t, "role"), JsonFields.text(t, "content"), JsonFields.text(t, "timestamp"), JsonFields.text(t, "message_id")));
    }
    return new ConversationContext(blank(JsonFields.text(c, "conversation_id")), blank(JsonFields.text(c, "compaction_id")),
        blank(JsonFields.text(c, "compacted_at")), blank(JsonFields.text(c, "summary")), JsonFields.object(c, "current_state"),
        JsonFields.object(c, "key_extractions"), List.copyOf(turns));
  }

  /** A profile document (9.11), also accepted doubly nested. */
  static UserProfile profile(JsonNode n) {
    if (n == null || !n.isObject()) return null;
    JsonNode p = n.has("profile") ? n.get("profile") : n;
    Map<String, UserProfile.Attribute> attributes = new LinkedHashMap<>();
    p.path("attributes").properties().forEach(e -> {
      JsonNode a = e.getValue();
      Object value = a.isObject() ? RestTransport.MAPPER.convertValue(a.get("value"), Object.class) : RestTransport.MAPPER.convertValue(a, Object.class);
      attributes.put(e.getKey(), new UserProfile.Attribute(value, a.path("confidence").asDouble(1.0), a.path("updated_at").asText(null),
          a.path("source_conversation_id").asText(null)));
    });
    return new UserProfile(attributes, p.path("overview").asText(""));
  }

  private static List<ConversationSummary> conversations(JsonNode list) {
    List<ConversationSummary> out = new ArrayList<>();
    for (JsonNode c : list) {
      JsonNode summary = c.path("summary");
      String text = summary.isTextual() ? summary.asText() : JsonFields.text(summary, "text");
      out.add(new ConversationSummary(JsonFields.text(c, "conversation_id"), JsonFields.text(c, "external_conversation_id"),
          JsonFields.text(c, "conversation_type"), JsonFields.text(c, "started_at"), JsonFields.text(c, "ended_at"),
          JsonFields.text(c, "last_message_at"), c.path("message_count").asInt(), JsonFields.text(c, "summary_status"), text,
          JsonFields.object(c, "analysis")));
    }
    return List.copyOf(out);
  }

  private static String blank(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
