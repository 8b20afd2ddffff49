package dev.synap.core.extract;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites a first-person sentence so it stands alone: "I love hiking" said by Caroline becomes
 * "Caroline loves hiking". Only the singular first person is rewritten; "we" stays, since who
 * "we" are is not known from one turn.
 */
public final class Perspective {
  private static final Pattern I_CONTRACTION = Pattern.compile("\\bI(?:'|\u2019)(m|ve|d|ll)\\b");
  private static final Pattern I_VERB = Pattern.compile(
      "\\bI((?: (?:really|also|still|just|absolutely|totally|truly|always|often|usually|actually|sometimes))*) (don't|do not|\\p{L}+)\\b");
  private static final Pattern MY = Pattern.compile("\\b([Mm])y\\b");
  private static final Pattern MINE = Pattern.compile("\\bmine\\b");
  private static final Pattern MYSELF = Pattern.compile("\\bmyself\\b");
  private static final Pattern ME = Pattern.compile("\\bme\\b");
  private final Set<String> verbs = new HashSet<>(Lexicon.lines("verbs.txt").stream().map(String::strip).toList());

  /** The sentence in the third person about {@code speaker}; unchanged when there is no speaker. */
  public String rewrite(String sentence, String speaker) {
    if (speaker == null || speaker.isBlank()) return sentence;
    String s = replace(I_CONTRACTION, sentence, m -> speaker + switch (m.group(1)) {
      case "m" -> " is";
      case "ve" -> " has";
      case "d" -> " would";
      default -> " will";
    });
    s = replace(I_VERB, s, m -> speaker + m.group(1) + " " + thirdPerson(m.group(2)));
    s = s.replaceAll("\\bI\\b", speaker);
    s = replace(MY, s, m -> speaker + "'s");
    s = MINE.matcher(s).replaceAll(speaker + "'s");
    s = MYSELF.matcher(s).replaceAll("themself");
    s = ME.matcher(s).replaceAll(speaker);
    return s;
  }

  private String thirdPerson(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    return switch (w) {
      case "am" -> "is";
      case "have" -> "has";
      case "do" -> "does";
      case "don't" -> "doesn't";
      case "do not" -> "does not";
      default -> {
        if (!verbs.contains(w)) yield word;
        if (w.endsWith("y") && w.length() > 2 && "aeiou".indexOf(w.charAt(w.length() - 2)) < 0) yield word.substring(0, word.length() - 1) + "ies";
        if (w.endsWith("s") || w.endsWith("sh") || w.endsWith("ch") || w.endsWith("x") || w.endsWith("z") || w.equals("go") || w.equals("do")) yield word + "es";
        yield word + "s";
      }
    };
  }

  private static String replace(Pattern p, String s, Function<Matcher, String> f) {
    Matcher m = p.matcher(s);
    StringBuilder sb = new StringBuilder();
    while (m.find()) m.appendReplacement(sb, Matcher.quoteReplacement(f.apply(m)));
    m.appendTail(sb);
    return sb.toString();
  }
}
