package dev.synap.server.http;

import dev.synap.core.model.Evidence;
import dev.synap.core.model.Memory;
import dev.synap.core.model.MemoryType;
import dev.synap.core.retrieve.ContextItem;
import dev.synap.core.retrieve.ContextResult;
import dev.synap.server.context.Iso;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The fetch response of contract section 9.6: {@code context} by type, plus budget accounting. */
final class ContextJson {
  private ContextJson() {}

  static Map<String, Object> response(ContextResult result, String scope, int ttlSeconds, String correlationId) {
    Map<String, List<Map<String, Object>>> context = new LinkedHashMap<>();
    for (MemoryType t : MemoryType.values()) context.put(t.wireKey(), new ArrayList<>());
    StringBuilder formatted = new StringBuilder();
    for (ContextItem item : result.items()) {
      context.get(item.memory().type().wireKey()).add(item(item));
      formatted.append("- [").append(item.memory().type().wireKey()).append("] ").append(item.memory().content());
      if (item.memory().eventDate() != null) formatted.append(" (").append(item.memory().eventDate()).append(')');
      formatted.append('\n');
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("context", context);
    body.put("ttl_seconds", ttlSeconds);
    body.put("formatted_context", formatted.toString());
    body.put("tokens_used", result.tokensUsed());
    body.put("token_budget", result.tokenBudget());
    body.put("budget_exceeded", result.budgetExceeded());
    body.put("retrieval_mode", result.mode());
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("scope", scope);
    meta.put("source", "server");
    meta.put("sources_queried", result.sourcesQueried());
    meta.put("query_time_ms", result.retrievalMicros() / 1000.0);
    meta.put("item_count", result.items().size());
    meta.put("correlation_id", correlationId);
    meta.put("retrieved_at", Iso.now());
    body.put("metadata", meta);
    return body;
  }

  /** One item with the keys the official SDK reads for its type (section 9.6). */
  static Map<String, Object> item(ContextItem item) {
    Memory m = item.memory();
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("id", m.memoryId());
    String created = Iso.of(m.createdAt());
    double confidence = clamp(m.confidence());
    switch (m.type()) {
      case FACT -> {
        o.put("content", m.content());
        o.put("confidence", confidence);
        o.put("source", item.source());
        o.put("extracted_at", created);
      }
      case PREFERENCE -> {
        o.put("content", m.content());
        o.put("category", m.category() == null ? "general" : m.category());
        o.put("strength", confidence);
        o.put("extracted_at", created);
      }
      case EPISODE -> {
        o.put("summary", m.content());
        o.put("content", m.content());
        o.put("occurred_at", m.eventDate() != null ? m.eventDate() : created);
        o.put("significance", confidence);
        o.put("participants", m.attributes().getOrDefault("participants", List.of()));
      }
      case EMOTION -> {
        o.put("context", m.content());
        o.put("content", m.content());
        o.put("emotion_type", m.category() == null ? "unspecified" : m.category());
        o.put("intensity", clamp(toDouble(m.attributes().get("intensity"), confidence)));
        o.put("detected_at", created);
      }
      case TEMPORAL_EVENT -> {
        o.put("content", m.content());
        o.put("confidence", confidence);
        o.put("source", item.source());
        o.put("extracted_at", created);
      }
    }
    o.put("event_date", m.eventDate() != null ? m.eventDate() : (m.type() == MemoryType.TEMPORAL_EVENT ? created : null));
    o.put("valid_until", m.validUntil());
    o.put("temporal_category", m.temporalCategory());
    o.put("temporal_confidence", m.eventDate() != null ? 0.8 : 0.0);
    o.put("relevance_score", clamp(item.relevance()));
    o.put("scope", m.scope().wireName());
    // kind: "evidence" marks a source sentence that is not a typed memory (issue #20); it travels as a fact.
    o.put("metadata", Map.of("scope", m.scope().wireName(), "status", m.status(), "conversation_id", String.valueOf(m.conversationId()),
        "kind", Evidence.kindOf(m)));
    o.put("source_evidence", m.sourceMessageIds());
    return o;
  }

  static double clamp(double v) {
    return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
  }

  private static double toDouble(Object o, double fallback) {
    return o instanceof Number n ? n.doubleValue() : fallback;
  }
}
