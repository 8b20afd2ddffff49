package dev.synap.core.relate;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The relations a question asks about: a kinship or social word ("sister", "boss") names its
 * relation, and a few topic words name the others ("job", "employer": works at; "live", "home":
 * lives in). Used to decide which stored relations a question may follow.
 */
public final class AskedRelations {
  private static final Map<String, RelationName> TOPICS = Map.ofEntries(
      Map.entry("job", RelationName.WORKS_AT), Map.entry("jobs", RelationName.WORKS_AT), Map.entry("work", RelationName.WORKS_AT),
      Map.entry("works", RelationName.WORKS_AT), Map.entry("working", RelationName.WORKS_AT), Map.entry("employer", RelationName.WORKS_AT),
      Map.entry("company", RelationName.WORKS_AT), Map.entry("career", RelationName.WORKS_AT), Map.entry("employed", RelationName.WORKS_AT),
      Map.entry("live", RelationName.LIVES_IN), Map.entry("lives", RelationName.LIVES_IN), Map.entry("living", RelationName.LIVES_IN),
      Map.entry("home", RelationName.LIVES_IN), Map.entry("moved", RelationName.LIVES_IN), Map.entry("city", RelationName.LIVES_IN),
      Map.entry("study", RelationName.STUDIES_AT), Map.entry("studies", RelationName.STUDIES_AT), Map.entry("school", RelationName.STUDIES_AT),
      Map.entry("university", RelationName.STUDIES_AT), Map.entry("college", RelationName.STUDIES_AT),
      Map.entry("with", RelationName.WENT_WITH), Map.entry("whom", RelationName.WENT_WITH),
      Map.entry("like", RelationName.LIKES), Map.entry("likes", RelationName.LIKES), Map.entry("love", RelationName.LIKES),
      Map.entry("loves", RelationName.LIKES), Map.entry("favorite", RelationName.LIKES), Map.entry("favourite", RelationName.LIKES),
      Map.entry("enjoy", RelationName.LIKES), Map.entry("enjoys", RelationName.LIKES));

  private AskedRelations() {}

  public static Set<RelationName> in(String question) {
    Set<RelationName> out = EnumSet.noneOf(RelationName.class);
    for (String w : question.toLowerCase(Locale.ROOT).replace('\u2019', '\'').replaceAll("'s\\b", "").split("[^\\p{L}-]+")) {
      if (w.isEmpty()) continue;
      RelationName.ofWord(w).ifPresent(out::add);
      RelationName topic = TOPICS.get(w);
      if (topic != null) out.add(topic);
    }
    return out;
  }
}
