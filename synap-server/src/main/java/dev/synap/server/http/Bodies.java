package dev.synap.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synap.core.InvalidInputException;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads request JSON by hand rather than binding to classes: every shape error becomes a precise
 * 400 naming the field, and unknown keys are ignored as the official client expects.
 */
final class Bodies {
  // Without FAIL_ON_TRAILING_TOKENS, '{"role":"user",...} garbage' would be read as its first
  // object and recorded.
  static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  /** Metadata values may be objects or arrays, kept as JSON text, but not nested deeper than this. */
  static final int MAX_METADATA_DEPTH = 8;

  private Bodies() {}

  /**
   * The most any request body may hold (8 MB): the largest document (1,000,000 characters) as
   * JSON, escapes included, or a multipart upload of a 4 MB file with its fields.
   */
  static final long MAX_BYTES = 8L * 1024 * 1024;

  /** The request's body, which must be one JSON object. */
  static JsonNode object(Context ctx) {
    return object(bytes(ctx));
  }

  /**
   * Reads the body while counting: a declared length over {@link #MAX_BYTES} is refused before
   * anything is read, and a chunked body (no length declared) as soon as it passes the limit, so
   * no request holds more than the limit plus one byte in memory.
   */
  static byte[] bytes(Context ctx) {
    if (ctx.req().getContentLengthLong() > MAX_BYTES) throw tooLarge();
    byte[] body;
    try {
      body = ctx.req().getInputStream().readNBytes((int) MAX_BYTES + 1);
    } catch (IOException e) {
      // The client went away or sent a broken chunk: there is nobody left to answer but the log.
      throw new InvalidInputException("request body could not be read: " + e.getMessage());
    }
    if (body.length > MAX_BYTES) throw tooLarge();
    return body;
  }

  static ApiError tooLarge() {
    return new ApiError(413, "payload_too_large", "request body is larger than " + MAX_BYTES + " bytes");
  }

  /** Parsed straight from the request bytes: no String copy of the body on the write path. */
  static JsonNode object(byte[] body) {
    if (body == null || body.length == 0) throw new InvalidInputException("request body must be a JSON object");
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
      throw new InvalidInputException("request body has more than one JSON value");
    } catch (JsonProcessingException e) {
      throw new InvalidInputException("request body is not valid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new InvalidInputException("request body could not be read");
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

  /** A string from {@code allowed}, or null when absent. */
  static String oneOf(JsonNode o, String field, Set<String> allowed) {
    return oneOf(field, string(o, field), allowed);
  }

  static String oneOf(String field, String value, Set<String> allowed) {
    if (value != null && !allowed.contains(value)) throw new InvalidInputException(field + " must be one of " + new java.util.TreeSet<>(allowed));
    return value;
  }

  /**
   * An object whose values are kept as text: scalars as themselves, nested objects and arrays as
   * their JSON (at most {@value #MAX_METADATA_DEPTH} levels deep).
   */
  static Map<String, String> metadata(JsonNode o, String field) {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) return Map.of();
    if (!v.isObject()) throw new InvalidInputException(field + " must be an object");
    if (depth(v, MAX_METADATA_DEPTH + 1) > MAX_METADATA_DEPTH) {
      throw new InvalidInputException(field + " is nested deeper than " + MAX_METADATA_DEPTH + " levels");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (var it = v.fields(); it.hasNext(); ) {
      var e = it.next();
      JsonNode value = e.getValue();
      if (value.isContainerNode()) out.put(e.getKey(), value.toString());
      else out.put(e.getKey(), value.isNull() ? "" : value.asText());
    }
    return out;
  }

  /** Metadata sent as JSON text (form uploads). */
  static Map<String, String> metadataText(String json, String field) {
    if (json == null || json.isBlank()) return Map.of();
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (com.fasterxml.jackson.databind.exc.MismatchedInputException e) {
      throw new InvalidInputException(field + " has more than one JSON value");
    } catch (JsonProcessingException e) {
      throw new InvalidInputException(field + " is not valid JSON: " + e.getOriginalMessage());
    }
    return metadata(MAPPER.createObjectNode().set(field, node), field);
  }

  /** Depth of containers, counting stops once {@code limit} is passed. */
  private static int depth(JsonNode n, int limit) {
    if (!n.isContainerNode() || limit <= 0) return 0;
    int deepest = 0;
    for (JsonNode child : n) {
      deepest = Math.max(deepest, depth(child, limit - 1));
      if (deepest >= limit) break;
    }
    return 1 + deepest;
  }
}
