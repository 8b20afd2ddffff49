package dev.synap.core.extract.llm;

import java.util.List;
import java.util.Map;

/** The JSON schema the model is asked to follow (OpenAI "strict" structured-output subset). */
final class MemorySchema {
  private static final Map<String, Object> NULLABLE_STRING = Map.of("type", List.of("string", "null"));
  private static final Map<String, Object> ENTITY = Map.of(
      "type", "object", "additionalProperties", false, "required", List.of("name", "type"),
      "properties", Map.of("name", Map.of("type", "string"),
          "type", Map.of("type", "string", "enum", List.of("person", "place", "organization", "pet", "thing"))));
  private static final Map<String, Object> MEMORY = Map.of(
      "type", "object", "additionalProperties", false,
      "required", List.of("type", "content", "confidence", "category", "event_date", "temporal_category", "attributes", "entities"),
      "properties", Map.of(
          "type", Map.of("type", "string", "enum", List.of("fact", "preference", "episode", "emotion", "temporal_event")),
          "content", Map.of("type", "string"),
          "confidence", Map.of("type", "number"),
          "category", NULLABLE_STRING,
          "event_date", NULLABLE_STRING,
          "temporal_category", Map.of("type", "string", "enum", List.of("perpetual", "temporal_fact", "episode")),
          "attributes", Map.of("type", "object"),
          "entities", Map.of("type", "array", "items", ENTITY)));
  static final Map<String, Object> SCHEMA = Map.of(
      "type", "object", "additionalProperties", false, "required", List.of("memories"),
      "properties", Map.of("memories", Map.of("type", "array", "items", MEMORY)));

  private MemorySchema() {}
}
