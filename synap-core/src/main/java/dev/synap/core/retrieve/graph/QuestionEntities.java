package dev.synap.core.retrieve.graph;

import dev.synap.core.entity.Entity;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The entities a question names, found by looking its word runs (one to four words) up among the
 * instance's entity names and aliases. The lookup table is rebuilt only when the registry's list
 * for the instance is a new one (the registry replaces it on every change), so a question costs a
 * few dozen hash lookups however many entities there are.
 */
final class QuestionEntities {
  private static final int LONGEST_NAME_WORDS = 4;
  private final Function<String, List<Entity>> entities;
  private record Table(List<Entity> source, Map<String, String> idByName) {}
  private final Map<String, Table> tables = new ConcurrentHashMap<>();

  QuestionEntities(Function<String, List<Entity>> entities) {
    this.entities = entities;
  }

  Set<String> in(String instanceId, String question) {
    List<Entity> known = entities.apply(instanceId);
    Table t = tables.get(instanceId);
    if (t == null || t.source() != known) {
      Map<String, String> byName = new HashMap<>();
      for (Entity e : known) {
        byName.putIfAbsent(normal(e.canonicalName()), e.entityId());
        for (String a : e.aliases()) byName.putIfAbsent(normal(a), e.entityId());
      }
      t = new Table(known, byName);
      tables.put(instanceId, t);
    }
    String[] words = normal(question).replaceAll("[^\\p{L}\\p{N}' -]", " ").replaceAll("'s\\b", "").split("\\s+");
    Set<String> out = new LinkedHashSet<>();
    for (int i = 0; i < words.length; i++) {
      StringBuilder run = new StringBuilder();
      for (int n = 0; n < LONGEST_NAME_WORDS && i + n < words.length; n++) {
        if (n > 0) run.append(' ');
        run.append(words[i + n]);
        String id = t.idByName().get(run.toString());
        if (id != null) out.add(id);
      }
    }
    return out;
  }

  private static String normal(String s) {
    return s.strip().toLowerCase(Locale.ROOT).replace('\u2019', '\'');
  }
}
