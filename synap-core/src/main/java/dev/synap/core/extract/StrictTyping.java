package dev.synap.core.extract;

import dev.synap.core.entity.EntityType;
import dev.synap.core.model.MemoryType;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Whether a kept sentence is a typed memory or only source evidence (issue #20, see
 * {@link dev.synap.core.model.Evidence}). A typed memory states something about a person, with a
 * cue for its type:
 *
 * <ul>
 *   <li>the speaker, in the first person ("I", "my", "we"), with any typed cue the classifier found;
 *   <li>a named third person, or one named by a possessive ("Jon's", "his sister"), with an event
 *       cue: something that happened to them or is planned (episode, temporal event).
 * </ul>
 *
 * A sentence with no cue (the classifier found nothing), one addressed to the listener ("you")
 * rather than about the speaker, a courtesy ({@code courtesy.txt}: "I'm here for you") and one
 * about nobody in particular are evidence. A document is
 * given to be remembered, in the third person throughout: each of its statements stays typed.
 */
final class StrictTyping {
  private static final Pattern FIRST_PERSON = Pattern.compile("\\b(?:i|i'm|i've|i'd|i'll|me|my|mine|myself|we|we're|we've|we'd|our|ours|us)\\b");
  private static final Pattern SECOND_PERSON = Pattern.compile("\\b(?:you|you're|you've|you'd|you'll|your|yours|yourself|y'all)\\b");
  private static final Pattern POSSESSIVE_PERSON = Pattern.compile(
      "\\b(?:his|her|their)\\s+(?:\\w+\\s+)?(?:sister|brother|mom|mother|dad|father|wife|husband|partner|girlfriend|boyfriend|son|daughter|kids?|children|"
          + "friend|cousin|aunt|uncle|grandma|grandmother|grandpa|grandfather|family|boss|colleague|coworker|dog|cat|pet)s?\\b");
  private final List<Pattern> courtesy = Lexicon.patterns("courtesy.txt");
  private static final Set<MemoryType> EVENTS = Set.of(MemoryType.EPISODE, MemoryType.TEMPORAL_EVENT);

  /**
   * @param lower the sentence in lower case with straight apostrophes
   * @param type the classifier's type, or null when it found no cue
   * @param mentions the names found in the sentence
   * @param speaker who "I" is, or null
   */
  boolean typed(String lower, MemoryType type, List<Mention> mentions, String speaker, boolean document) {
    if (document) return true;
    if (type == null) return false;
    if (FIRST_PERSON.matcher(lower).find()) return !addressedToListener(lower) && courtesy.stream().noneMatch(p -> p.matcher(lower).find());
    if (!EVENTS.contains(type)) return false;
    boolean named = mentions.stream().anyMatch(m -> !m.name().equals(speaker) && (m.type() == EntityType.PERSON || m.type() == EntityType.PET));
    return (named || POSSESSIVE_PERSON.matcher(lower).find()) && !SECOND_PERSON.matcher(lower).find();
  }

  /** "You" before any "I": the sentence is about the listener ("you must be proud of my...") */
  private static boolean addressedToListener(String lower) {
    var you = SECOND_PERSON.matcher(lower);
    var me = FIRST_PERSON.matcher(lower);
    return you.find() && me.find() && you.start() < me.start();
  }
}
