package dev.synap.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.core.InvalidInputException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads request JSON by hand rather than binding to classes: every shape error becomes a precise
 * 400 naming the field, and unknown keys are ignored as the official client expects.
 */
final class Bodies {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Bodies() {}

  static JsonNode object(String body) {
    if (body == null || body.isBlank()) throw new InvalidInputException("request body must be a JSON object");
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("request body is not valid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) throw new InvalidInputException("request body must be a JSON object");
    return node;
  }

  static String string(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isTextual()) throw new InvalidInputException(field + " must be a string");
    return v.asText();
  }

  static Integer integer(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return null;
    if (!v.isIntegralNumber() || !v.canConvertToInt()) throw new InvalidInputException(field + " must be an integer");
    return v.intValue();
  }

  static boolean bool(JsonNode o, String field, boolean fallback) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return fallback;
    if (!v.isBoolean()) throw new InvalidInputException(field + " must be true or false");
    return v.booleanValue();
  }

  /** A string or an array of strings, as the SDK sends {@code search_query}. */
  static List<String> strings(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return List.of();
    if (v.isTextual()) return List.of(v.asText());
    if (!v.isArray()) throw new InvalidInputException(field + " must be an array of strings");
    List<String> out = new ArrayList<>();
    for (JsonNode e : v) {
      if (!e.isTextual()) throw new InvalidInputException(field + " must contain only strings");
      out.add(e.asText());
    }
    return out;
  }

  /** A flat object whose values are scalars; numbers and booleans are kept as their text. */
  static Map<String, String> metadata(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return Map.of();
    if (!v.isObject()) throw new InvalidInputException(field + " must be an object");
    Map<String, String> out = new LinkedHashMap<>();
    for (var it = v.fields(); it.hasNext(); ) {
      var e = it.next();
      JsonNode value = e.getValue();
      if (value.isContainerNode()) out.put(e.getKey(), value.toString());
      else out.put(e.getKey(), value.isNull() ? "" : value.asText());
    }
    return out;
  }
}
