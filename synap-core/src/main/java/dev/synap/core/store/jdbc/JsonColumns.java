package dev.synap.core.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;

/** JSON columns (metadata, attributes, source ids), read and written the same way by every SQL store. */
public final class JsonColumns {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonColumns() {}

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not serialisable: " + e.getMessage(), e);
    }
  }

  public static Map<String, String> stringMap(String json) {
    return read(json, new TypeReference<Map<String, String>>() {}, Map.of());
  }

  public static Map<String, Object> objectMap(String json) {
    return read(json, new TypeReference<Map<String, Object>>() {}, Map.of());
  }

  public static List<String> stringList(String json) {
    return read(json, new TypeReference<List<String>>() {}, List.of());
  }

  private static <T> T read(String json, TypeReference<T> type, T fallback) {
    if (json == null || json.isBlank()) return fallback;
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      return fallback;
    }
  }
}
