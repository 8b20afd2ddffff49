package dev.synap.core.extract;

import dev.synap.core.entity.EntityType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds named-entity mentions by capitalisation, the signal chat text reliably keeps for names,
 * and guesses their type from the words around them ("my dog Toby", "moved to Denver"). A
 * capitalised sentence opener counts only when it is a known name or a possessive ("Pixie's").
 */
public final class MentionFinder {
  /**
   * A run of capitalised words ("Bank of America"). The quantifiers are possessive on purpose: a
   * greedy repeated group costs java.util.regex one stack frame per word, so a message of a few
   * thousand capitalised words overflowed the stack of the extraction worker. Nothing follows the
   * group, so giving back a word could never produce a different match: same matches, constant
   * stack (MentionFinderTest checks both).
   */
  static final Pattern CAPITALISED = Pattern.compile("\\b\\p{Lu}[\\p{L}\\p{N}'\u2019&-]*+(?:\\s++(?:of\\s++)?\\p{Lu}[\\p{L}\\p{N}'\u2019&-]*+)*+");
  private static final Pattern PET_BEFORE = Pattern.compile("\\b(?:dog|dogs|cat|cats|puppy|pup|kitten|pet|turtle|bird|hamster|rabbit|bunny|horse|parrot|fish)s?,?\\s+(?:named\\s+|called\\s+)?$");
  private static final Pattern PET_AFTER = Pattern.compile("^,?\\s+(?:my|our|his|her|the)\\s+(?:new\\s+)?(?:dog|cat|puppy|pup|kitten|pet|turtle|bird|hamster|rabbit|bunny|horse|parrot)\\b");
  private static final Pattern PLACE_BEFORE = Pattern.compile("\\b(?:in|to|from|at|near|visited|visit|visiting|around|across|through|toward|towards|into|moved to|live in|trip to)\\s+(?:the\\s+)?$");
  private static final Pattern PERSON_BEFORE = Pattern.compile("\\b(?:with|friend|friends|sister|brother|mom|dad|mother|father|wife|husband|partner|girlfriend|boyfriend|son|daughter|cousin|aunt|uncle|coworker|colleague|boss|named|and)\\s+$");
  private static final Pattern ORGANIZATION = Pattern.compile("\\b(?:Inc|Corp|Company|University|College|School|Club|Center|Centre|Foundation|Association|Studio|Studios|Bank|Group|Agency|Church|Hospital|Institute|Team|Society|Council)\\b");
  private final Set<String> notNames = new HashSet<>(Lexicon.lines("not-names.txt").stream().map(String::strip).toList());

  /** Mentions in {@code sentence}, first occurrence first; {@code knownPeople} are recognised anywhere. */
  public List<Mention> find(String sentence, Set<String> knownPeople) {
    Map<String, Mention> found = new LinkedHashMap<>();
    Matcher m = CAPITALISED.matcher(sentence);
    while (m.find()) {
      String name = trimPossessive(m.group());
      List<String> words = new ArrayList<>(List.of(name.split("\\s+")));
      int start = m.start();
      // Leading interjections and calendar words ("Hey Mel", "Last Friday") are not part of a name.
      while (!words.isEmpty() && notNames.contains(words.getFirst().toLowerCase(Locale.ROOT).replace('\u2019', '\''))) {
        start = sentence.indexOf(words.getFirst(), start) + words.getFirst().length();
        words.removeFirst();
      }
      if (words.isEmpty()) continue;
      name = String.join(" ", words);
      start = sentence.indexOf(name, start);
      boolean known = knownPeople.contains(name);
      boolean opener = sentence.substring(0, Math.max(0, start)).isBlank();
      boolean possessive = m.group().endsWith("'s") || m.group().endsWith("\u2019s");
      if (opener && !known && !possessive) continue;
      if (name.length() < 2) continue;
      found.putIfAbsent(name, new Mention(name, type(sentence, start, name, known)));
    }
    return List.copyOf(found.values());
  }

  private static String trimPossessive(String s) {
    if (s.endsWith("'s") || s.endsWith("\u2019s")) return s.substring(0, s.length() - 2);
    if (s.endsWith("'") || s.endsWith("\u2019")) return s.substring(0, s.length() - 1);
    return s;
  }

  private static EntityType type(String sentence, int start, String name, boolean knownPerson) {
    if (knownPerson) return EntityType.PERSON;
    String before = sentence.substring(0, Math.max(0, start)).toLowerCase(Locale.ROOT);
    String after = sentence.substring(Math.min(sentence.length(), start + name.length()));
    if (PET_BEFORE.matcher(before).find() || PET_AFTER.matcher(after.toLowerCase(Locale.ROOT)).find()) return EntityType.PET;
    if (ORGANIZATION.matcher(name).find()) return EntityType.ORGANIZATION;
    if (PLACE_BEFORE.matcher(before).find()) return EntityType.PLACE;
    if (PERSON_BEFORE.matcher(before).find() && !name.contains(" ")) return EntityType.PERSON;
    return name.contains(" ") || name.equals(name.toUpperCase(Locale.ROOT)) ? EntityType.THING : EntityType.PERSON;
  }
}
