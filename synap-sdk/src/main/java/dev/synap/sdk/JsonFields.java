package dev.synap.sdk;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lenient reads of the server's JSON into the SDK's typed results: a missing or null field, or one
 * of an unexpected type, becomes null (or the given fallback) rather than an error, and fields the
 * SDK does not know are ignored, so a newer server never breaks an older client.
 */
final class JsonFields {
  private static final TypeReference<LinkedHashMap<String, Object>> OBJECT = new TypeReference<>() {};

  private JsonFields() {}

  static String text(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
  }

  static double number(JsonNode n, String field, double fallback) {
    JsonNode v = n == null ? null : n.get(field);
    return v != null && v.isNumber() ? v.asDouble() : fallback;
  }

  static long count(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    return v != null && v.canConvertToLong() ? v.asLong() : 0;
  }

  /** An ISO-8601 time (with or without offset; without one it is UTC), or null when absent or unreadable. */
  static Instant instant(JsonNode n, String field) {
    String s = text(n, field);
    if (s == null || s.isBlank()) return null;
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      try {
        return OffsetDateTime.parse(s).toInstant();
      } catch (DateTimeParseException e2) {
        try {
          return java.time.LocalDateTime.parse(s).toInstant(java.time.ZoneOffset.UTC);
        } catch (DateTimeParseException e3) {
          return null;
        }
      }
    }
  }

  static List<String> texts(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    if (v == null || !v.isArray()) return List.of();
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) if (!e.isNull()) out.add(e.asText());
    return List.copyOf(out);
  }

  /** A JSON object as an unmodifiable map of plain Java values (strings, numbers, booleans, lists, maps). */
  static Map<String, Object> object(JsonNode n, String field) {
    JsonNode v = n == null ? null : n.get(field);
    if (v == null || !v.isObject()) return Map.of();
    return Collections.unmodifiableMap(RestTransport.MAPPER.convertValue(v, OBJECT));
  }
}
