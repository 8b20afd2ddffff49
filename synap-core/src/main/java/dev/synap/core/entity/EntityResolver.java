package dev.synap.core.entity;

import dev.synap.core.extract.Lexicon;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;

/**
 * Matches a mention against known entities, most certain rule first: exact name or alias, a
 * common nickname ("Bob" for Robert, from {@code nicknames.tsv}), a short form of a person's first
 * name ("Mel" for Melanie), then a close spelling (Jaro-Winkler; catches "Carolin" and typos).
 * Only the first two may cross entity types, since type guesses from chat text are weak.
 */
public final class EntityResolver {

  /** A match and the rule that made it: exact, nickname, prefix or fuzzy. */
  public record Match(Entity entity, String method) {}

  static final double FUZZY_THRESHOLD = 0.93;
  private static final int MIN_PREFIX = 3;
  private final JaroWinklerSimilarity similarity = new JaroWinklerSimilarity();
  private final Map<String, List<String>> nicknames = new HashMap<>();

  public EntityResolver() {
    for (String[] r : Lexicon.rows("nicknames.tsv")) nicknames.put(r[0].strip(), Arrays.asList(r[1].strip().split(",")));
  }

  public Optional<Match> resolve(String name, EntityType type, List<Entity> known) {
    String n = normalise(name);
    if (n.isEmpty()) return Optional.empty();
    for (Entity e : known) {
      if (e.aliases().stream().anyMatch(a -> normalise(a).equals(n)) || normalise(e.canonicalName()).equals(n)) {
        return Optional.of(new Match(e, "exact"));
      }
    }
    List<String> fullForms = nicknames.getOrDefault(n, List.of());
    for (Entity e : known) {
      if (e.type() == EntityType.PERSON && fullForms.contains(firstToken(e.canonicalName()))) return Optional.of(new Match(e, "nickname"));
    }
    if (type == EntityType.PERSON && !n.contains(" ") && n.length() >= MIN_PREFIX) {
      List<Entity> prefixed = known.stream()
          .filter(e -> e.type() == EntityType.PERSON)
          .filter(e -> firstToken(e.canonicalName()).startsWith(n) && firstToken(e.canonicalName()).length() > n.length())
          .toList();
      if (prefixed.size() == 1) return Optional.of(new Match(prefixed.getFirst(), "prefix"));
    }
    Entity best = null;
    double bestScore = 0;
    boolean tie = false;
    for (Entity e : known) {
      if (e.type() != type) continue;
      for (String alias : e.aliases()) {
        double s = similarity.apply(n, normalise(alias));
        if (s > bestScore + 1e-9) {
          bestScore = s;
          best = e;
          tie = false;
        } else if (Math.abs(s - bestScore) <= 1e-9 && best != null && !best.entityId().equals(e.entityId())) {
          tie = true;
        }
      }
    }
    // A short name is too easily close to another ("Tim"/"Tom"): fuzzy matching needs some length.
    if (best != null && !tie && bestScore >= FUZZY_THRESHOLD && n.length() >= 5) return Optional.of(new Match(best, "fuzzy"));
    return Optional.empty();
  }

  /** Known single-name persons that are a nickname or short form of {@code person}'s first name. */
  public List<Entity> shortFormsOf(Entity person, List<Entity> known) {
    if (person.type() != EntityType.PERSON) return List.of();
    String first = firstToken(person.canonicalName());
    return known.stream()
        .filter(e -> e.type() == EntityType.PERSON && e.active() && !e.entityId().equals(person.entityId()))
        .filter(e -> {
          String n = normalise(e.canonicalName());
          return !n.contains(" ") && n.length() >= MIN_PREFIX && n.length() < first.length()
              && (first.startsWith(n) || nicknames.getOrDefault(n, List.of()).contains(first));
        })
        .toList();
  }

  static String normalise(String s) {
    return s.strip().toLowerCase(Locale.ROOT).replace('\u2019', '\'').replaceAll("\\s+", " ");
  }

  private static String firstToken(String s) {
    String n = normalise(s);
    int space = n.indexOf(' ');
    return space < 0 ? n : n.substring(0, space);
  }
}
