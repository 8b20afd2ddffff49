package dev.synap.core.transfer;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * New ids for rows imported into another instance. Message, memory, entity, ingestion,
 * compaction and webhook ids are unique across the whole store, so a copy beside its source needs new ones;
 * each is derived from the target instance and the old id (a name-based UUID, keeping a prefix
 * such as {@code cmp_}), so every reference to an id, in any table, maps to the same new id
 * without a lookup table, and importing the same file twice into one instance is refused by the
 * store's unique keys instead of creating copies.
 */
final class IdRemap {
  /** Columns that hold one id, per table. */
  private static final Map<String, Set<String>> ID_COLUMNS = Map.of(
      "messages", Set.of("message_id", "ingestion_id"),
      "ingestions", Set.of("ingestion_id"),
      "memories", Set.of("memory_id"),
      "memory_history", Set.of("memory_id"),
      "entities", Set.of("entity_id", "merged_into"),
      "entity_aliases", Set.of("entity_id"),
      "entity_merges", Set.of("from_entity_id", "into_entity_id"),
      "compactions", Set.of("compaction_id", "cutoff_message_id"),
      "webhooks", Set.of("webhook_id"),
      "entity_relations", Set.of("relation_id", "subject_entity_id", "object_entity_id", "memory_id", "superseded_by"));
  private static final Pattern PREFIX = Pattern.compile("^([a-z]+_)");
  private static final TypeReference<List<Object>> LIST = new TypeReference<>() {};
  private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {};

  private final String targetInstanceId;

  IdRemap(String targetInstanceId) {
    this.targetInstanceId = targetInstanceId;
  }

  String id(String old) {
    if (old == null) return null;
    Matcher m = PREFIX.matcher(old);
    String prefix = m.find() ? m.group(1) : "";
    return prefix + UUID.nameUUIDFromBytes((targetInstanceId + "\n" + old).getBytes(StandardCharsets.UTF_8));
  }

  Map<String, Object> apply(String table, Map<String, Object> row) {
    Map<String, Object> out = new LinkedHashMap<>(row);
    if (out.containsKey("instance_id")) out.put("instance_id", targetInstanceId);
    for (String column : ID_COLUMNS.getOrDefault(table, Set.of())) {
      if (out.get(column) instanceof String s) out.put(column, id(s));
    }
    if (table.equals("memories")) {
      // Memories point at their source turns and at the entities they name from inside JSON columns.
      if (out.get("source_message_ids") instanceof String json) {
        List<Object> remapped = new ArrayList<>();
        for (Object o : read(json, LIST)) remapped.add(o instanceof String s ? id(s) : o);
        out.put("source_message_ids", write(remapped));
      }
      if (out.get("attributes_json") instanceof String json) {
        Map<String, Object> attrs = read(json, MAP);
        if (attrs.get("entity_id") instanceof String s) attrs.put("entity_id", id(s));
        if (attrs.get("entity_ids") instanceof List<?> l) attrs.put("entity_ids", l.stream().map(o -> o instanceof String s ? id(s) : o).toList());
        if (attrs.get("relations") instanceof List<?> l) {
          List<Object> remapped = new ArrayList<>();
          for (Object o : l) {
            if (!(o instanceof Map<?, ?> r)) continue;
            Map<String, Object> copy = new LinkedHashMap<>();
            r.forEach((k, v) -> copy.put(String.valueOf(k), (k.equals("subject_id") || k.equals("object_id")) && v instanceof String s ? id(s) : v));
            remapped.add(copy);
          }
          attrs.put("relations", remapped);
        }
        out.put("attributes_json", write(attrs));
      }
    }
    return out;
  }

  private static <T> T read(String json, TypeReference<T> type) {
    try {
      return ExportFile.JSON.readValue(json, type);
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed JSON column: " + e.getMessage());
    }
  }

  private static String write(Object o) {
    try {
      return ExportFile.JSON.writeValueAsString(o);
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }
}
