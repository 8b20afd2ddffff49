package dev.synap.core.extract;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/** Detects likes and dislikes ({@code preferences.tsv}) and files them under a category ({@code categories.tsv}). */
public final class PreferenceCues {

  /** A detected preference: direction {@code like} or {@code dislike}, strength 0..1, category or null. */
  public record Preference(String direction, double strength, String category) {}

  private record Cue(Pattern pattern, String direction, double strength) {}

  private record Category(String name, Pattern keywords) {}

  // "I'd love to..." and "I would like..." are wishes, not standing preferences.
  private static final Pattern WISH = Pattern.compile("\\b(?:i|we)(?:'d| would) (?:really )?(?:love|like|enjoy)\\b");
  private final List<Cue> cues = Lexicon.rows("preferences.tsv").stream()
      .map(r -> new Cue(Pattern.compile(r[0]), r[1].strip(), Double.parseDouble(r[2].strip()))).toList();
  private final List<Category> categories = Lexicon.rows("categories.tsv").stream()
      .map(r -> new Category(r[0].strip(), Pattern.compile("\\b(?:" + String.join("|", r[1].strip().split(",")) + ")\\b"))).toList();

  public Optional<Preference> detect(String lower) {
    if (WISH.matcher(lower).find()) return Optional.empty();
    for (Cue c : cues) {
      var m = c.pattern().matcher(lower);
      if (m.find()) return Optional.of(new Preference(c.direction(), c.strength(), category(lower.substring(m.end())).orElse(category(lower).orElse(null))));
    }
    return Optional.empty();
  }

  /** The first category whose keywords occur in {@code lower}. */
  public Optional<String> category(String lower) {
    String l = lower.toLowerCase(Locale.ROOT);
    int best = Integer.MAX_VALUE;
    String found = null;
    for (Category c : categories) {
      var m = c.keywords().matcher(l);
      if (m.find() && m.start() < best) {
        best = m.start();
        found = c.name();
      }
    }
    return Optional.ofNullable(found);
  }
}
