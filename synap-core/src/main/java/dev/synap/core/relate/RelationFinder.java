package dev.synap.core.relate;

import dev.synap.core.extract.Lexicon;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads subject-relation-object statements off one sentence with a handful of rules, no model.
 * It sees a memory's text either in the first person ("my sister Anna") or as the extractor
 * rewrote it ("Caroline's sister Anna"); "I" and "my" stand for the speaker, reported as a null
 * subject. Both ends must be names (capitalised): "with my sister" names nobody and yields nothing.
 *
 * <p>Rules: kinship and social ties ("my sister Anna", "Anna, my sister", "Anna is Caroline's
 * sister"), work ("X works at Y", "my new job at Y"), study ("X studies at Y"), home ("X lives in
 * Y", "X moved to Y"), company ("X went hiking with Y") and liking ("X loves Y").
 */
public final class RelationFinder {
  /** A statement as written: {@code subject} null means the speaker. */
  public record Stated(String subject, RelationName relation, String object) {}

  private static final String WORD = "\\p{Lu}[\\p{L}\\p{N}'\u2019-]*[\\p{L}\\p{N}]";
  private static final String NAME = WORD + "(?:\\s+(?:of\\s+)?" + WORD + ")*";
  private static final String OWNER = "(?:(?<my>\\b[Mm]y)|(?<owner>" + NAME + ")(?:'s|\u2019s))";
  private static final String KIN = "(?<kin>best friend|friend|sister|brother|sibling|mother|mom|mum|father|dad|parent|wife|husband|partner"
      + "|girlfriend|boyfriend|fianc[e\u00e9]e?|son|daughter|child|kid|cousin|aunt|uncle|grandmother|grandma|grandfather|grandpa|niece"
      + "|nephew|colleague|coworker|co-worker|boss|manager|roommate|neighbou?r|mentor)";
  private static final String ADJ = "(?:(?:new|old|older|younger|little|big|eldest|oldest|youngest|best|dear|late|twin)\\s+)?";
  private static final String SUBJECT = "(?:(?<i>\\bI)|(?<subj>" + NAME + "))";
  private static final String OBJECT = "(?<obj>" + NAME + ")";
  private static final String AND_OBJECT = "(?:\\s*(?:,|and)\\s+(?<obj2>" + NAME + "))?";

  private record Rule(Pattern pattern, RelationName fixed) {}

  private static final List<Rule> RULES = List.of(
      // my sister Anna / Caroline's best friend, Mel
      new Rule(Pattern.compile(OWNER + "\\s+" + ADJ + KIN + ",?\\s+(?:named\\s+|called\\s+)?" + OBJECT), null),
      // Anna, my sister / Anna is Caroline's sister
      new Rule(Pattern.compile(OBJECT + "(?:,|\\s+is|\\s+was)\\s+" + OWNER + "\\s+" + ADJ + KIN + "\\b"), null),
      new Rule(Pattern.compile(SUBJECT + "\\s+(?:also\\s+|now\\s+|still\\s+|just\\s+|currently\\s+)?(?:works?|worked|working|is working|am working"
          + "|has worked|have worked|started working|got a job|got hired|took a job|has a job|have a job|started a (?:new )?job|is employed"
          + "|am employed|interns?|interned|is interning|am interning)\\s+(?:at|for|with)\\s+(?:the\\s+)?" + OBJECT), RelationName.WORKS_AT),
      new Rule(Pattern.compile(OWNER + "\\s+(?:new\\s+|current\\s+|first\\s+)?(?:job|work|internship|position)\\s+(?:at|with)\\s+(?:the\\s+)?" + OBJECT),
          RelationName.WORKS_AT),
      new Rule(Pattern.compile(SUBJECT + "\\s+(?:also\\s+|now\\s+|still\\s+)?(?:stud(?:y|ies|ied|ying)|is studying|am studying|enrolled|is enrolled"
          + "|am enrolled|goes to school|go to school)\\s+(?:at|in)\\s+(?:the\\s+)?" + OBJECT), RelationName.STUDIES_AT),
      new Rule(Pattern.compile(SUBJECT + "\\s+(?:also\\s+|now\\s+|still\\s+|just\\s+|recently\\s+)?(?:lives?|lived|living|is living|am living"
          + "|moved|moves|has moved|have moved|relocated|is based|am based)\\s+(?:back\\s+)?(?:in|to)\\s+(?:the\\s+)?" + OBJECT), RelationName.LIVES_IN),
      new Rule(Pattern.compile("^\\W*" + SUBJECT + "\\s+[^.?!]{0,80}?\\bwith\\s+(?:(?:my|his|her|our|their)\\s+(?:\\p{Ll}+\\s+)?)?" + OBJECT
          + AND_OBJECT), RelationName.WENT_WITH),
      new Rule(Pattern.compile(SUBJECT + "\\s+(?:really\\s+|also\\s+|absolutely\\s+)?(?:likes?|loves?|enjoys?|adores?)\\s+(?:the\\s+)?" + OBJECT),
          RelationName.LIKES));

  private final Set<String> notNames = new HashSet<>();

  public RelationFinder() {
    for (String s : Lexicon.lines("not-names.txt")) notNames.add(s.strip().toLowerCase(Locale.ROOT));
    notNames.addAll(List.of("i", "the", "a", "an", "my", "his", "her", "our", "their", "this", "that", "it", "we", "they", "he", "she", "you"));
  }

  /** Statements in {@code sentence}, each once, in rule order; {@code self} (the speaker's name, or null) counts as "I". */
  public List<Stated> find(String sentence, String self) {
    Set<Stated> out = new LinkedHashSet<>();
    for (Rule rule : RULES) {
      Matcher m = rule.pattern().matcher(sentence);
      while (m.find()) {
        Optional<RelationName> relation = rule.fixed() != null ? Optional.of(rule.fixed()) : RelationName.ofWord(group(m, "kin").replace("best ", ""));
        if (relation.isEmpty()) continue;
        String named = name(group(m, "owner") != null ? group(m, "owner") : group(m, "subj"));
        if (named == null && !isSelf(m)) continue;
        String subject = named == null || named.equals(self) ? null : named;
        for (String g : List.of("obj", "obj2")) {
          String object = name(group(m, g));
          if (object == null || object.equals(subject) || (subject == null && object.equals(self))) continue;
          out.add(new Stated(subject, relation.get(), object));
        }
      }
    }
    return new ArrayList<>(out);
  }

  private static boolean isSelf(Matcher m) {
    return group(m, "my") != null || group(m, "i") != null;
  }

  /** A name without leading words that are not names ("Yesterday Anna" is Anna); null when nothing is left. */
  private String name(String s) {
    // "with Caroline's sister" names the sister, not Caroline: a possessive is never an end.
    if (s == null || s.endsWith("'s") || s.endsWith("\u2019s")) return null;
    List<String> words = new ArrayList<>(List.of(s.strip().split("\\s+")));
    while (!words.isEmpty() && notNames.contains(words.getFirst().toLowerCase(Locale.ROOT).replace('\u2019', '\''))) words.removeFirst();
    while (!words.isEmpty() && notNames.contains(words.getLast().toLowerCase(Locale.ROOT).replace('\u2019', '\''))) words.removeLast();
    if (words.isEmpty()) return null;
    String name = String.join(" ", words);
    return name.length() < 2 ? null : name;
  }

  private static String group(Matcher m, String name) {
    try {
      return m.group(name);
    } catch (IllegalArgumentException e) {
      return null; // the rule has no such group
    }
  }
}
