package dev.synap.core.compact;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a compaction kept as typed items: each list holds objects with {@code content},
 * {@code speaker}, {@code message_id} and {@code at}, the shape clients read from
 * {@code key_extractions} (contract 9.6) and from {@code facts}/{@code decisions}/... (9.8).
 */
public record KeyExtractions(
    List<Map<String, Object>> facts,
    List<Map<String, Object>> decisions,
    List<Map<String, Object>> preferences,
    List<Map<String, Object>> constraints) {

  public static final KeyExtractions EMPTY = new KeyExtractions(List.of(), List.of(), List.of(), List.of());

  public KeyExtractions {
    facts = List.copyOf(facts);
    decisions = List.copyOf(decisions);
    preferences = List.copyOf(preferences);
    constraints = List.copyOf(constraints);
  }

  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("facts", facts);
    m.put("decisions", decisions);
    m.put("preferences", preferences);
    m.put("constraints", constraints);
    return m;
  }

  @SuppressWarnings("unchecked")
  public static KeyExtractions fromMap(Map<String, Object> m) {
    if (m == null) return EMPTY;
    return new KeyExtractions(list(m.get("facts")), list(m.get("decisions")), list(m.get("preferences")), list(m.get("constraints")));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object o) {
    return o instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
  }
}
