package dev.synap.core.extract.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.core.extract.ExtractedMemory;
import dev.synap.core.model.MemoryType;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a chat-completions answer into memories, refusing anything off-schema: a model that
 * drifts must not write half-understood memories, so any violation rejects the whole answer and
 * the caller falls back to the offline extractor.
 */
final class LlmAnswerParser {

  /** The answer did not follow the schema. */
  static final class MalformedAnswer extends Exception {
    MalformedAnswer(String message) {
      super(message);
    }
  }

  private static final Set<String> TEMPORAL = Set.of("perpetual", "temporal_fact", "episode");
  private final ObjectMapper json;

  LlmAnswerParser(ObjectMapper json) {
    this.json = json;
  }

  List<ExtractedMemory> parse(String body, String speaker) throws MalformedAnswer {
    JsonNode content;
    try {
      JsonNode root = json.readTree(body);
      JsonNode text = root.path("choices").path(0).path("message").path("content");
      if (!text.isTextual()) throw new MalformedAnswer("no choices[0].message.content");
      content = json.readTree(text.asText());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new MalformedAnswer("not JSON: " + e.getOriginalMessage());
    }
    JsonNode memories = content.path("memories");
    if (!memories.isArray()) throw new MalformedAnswer("'memories' is not an array");
    List<ExtractedMemory> out = new ArrayList<>();
    for (JsonNode m : memories) out.add(memory(m, speaker));
    return out;
  }

  private ExtractedMemory memory(JsonNode m, String speaker) throws MalformedAnswer {
    MemoryType type = MemoryType.parse(text(m, "type", true)).orElseThrow(() -> new MalformedAnswer("unknown type " + m.path("type")));
    String content = text(m, "content", true);
    if (content.isBlank()) throw new MalformedAnswer("empty content");
    JsonNode conf = m.path("confidence");
    if (!conf.isNumber() || conf.asDouble() < 0 || conf.asDouble() > 1) throw new MalformedAnswer("confidence must be a number in 0..1");
    String eventDate = text(m, "event_date", false);
    if (eventDate != null) {
      try {
        LocalDate.parse(eventDate);
      } catch (DateTimeParseException e) {
        throw new MalformedAnswer("event_date is not an ISO date: " + eventDate);
      }
    }
    String temporal = text(m, "temporal_category", false);
    if (temporal != null && !TEMPORAL.contains(temporal)) throw new MalformedAnswer("bad temporal_category " + temporal);
    Map<String, Object> attrs = new LinkedHashMap<>();
    JsonNode given = m.path("attributes");
    if (!given.isMissingNode() && !given.isNull()) {
      if (!given.isObject()) throw new MalformedAnswer("attributes must be an object");
      attrs.putAll(json.convertValue(given, json.getTypeFactory().constructMapType(Map.class, String.class, Object.class)));
    }
    List<Map<String, String>> mentions = new ArrayList<>();
    for (JsonNode e : m.path("entities")) {
      if (!e.path("name").isTextual()) throw new MalformedAnswer("entity without a name");
      mentions.add(Map.of("name", e.path("name").asText(), "type", e.path("type").asText("thing")));
    }
    if (speaker != null) mentions.addFirst(Map.of("name", speaker, "type", "person"));
    if (!mentions.isEmpty()) attrs.put("mentions", mentions);
    if (speaker != null) attrs.putIfAbsent("subject", speaker);
    if (eventDate != null) attrs.putIfAbsent("valid_from", eventDate);
    String category = text(m, "category", false);
    return new ExtractedMemory(type, content.strip(), conf.asDouble(), category, Map.copyOf(attrs), eventDate,
        temporal != null ? temporal : type == MemoryType.EPISODE ? "episode" : eventDate != null ? "temporal_fact" : "perpetual");
  }

  private static String text(JsonNode m, String field, boolean required) throws MalformedAnswer {
    JsonNode v = m.path(field);
    if (v.isMissingNode() || v.isNull()) {
      if (required) throw new MalformedAnswer("missing " + field);
      return null;
    }
    if (!v.isTextual()) throw new MalformedAnswer(field + " must be a string");
    return v.asText();
  }
}
