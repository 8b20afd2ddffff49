package dev.synap.core.extract;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Detects single-valued attributes of the speaker ({@code attributes.tsv}): where they live, their
 * favourite colour, their job. A later value for the same key replaces the earlier one, which is
 * how the pipeline recognises a change ("I live in Boston", later "I moved to Denver").
 */
public final class AttributeCues {

  /** An attribute and its normalised value, e.g. {@code residence = denver}. */
  public record AttributeValue(String key, String value) {}

  private record Rule(String keyTemplate, Pattern pattern) {}

  private final List<Rule> rules = Lexicon.rows("attributes.tsv").stream().map(r -> new Rule(r[0].strip(), Pattern.compile(r[1].strip()))).toList();

  public Optional<AttributeValue> detect(String lower) {
    for (Rule r : rules) {
      Matcher m = r.pattern().matcher(lower);
      if (!m.find()) continue;
      String key = r.keyTemplate();
      if (key.contains("{thing}")) key = key.replace("{thing}", normaliseThing(m.group("thing")));
      String value = m.group("value").strip().replaceAll("\\s+", " ");
      if (!value.isEmpty()) return Optional.of(new AttributeValue(key, value));
    }
    return Optional.empty();
  }

  /** "colour" and "color" name the same attribute; spaces become underscores. */
  private static String normaliseThing(String thing) {
    return thing.strip().toLowerCase(Locale.ROOT).replace("colour", "color").replace("favourite", "favorite").replace(' ', '_');
  }
}
