package dev.synap.core.extract;

import java.util.List;
import java.util.regex.Pattern;

/** Tense cues: whether a first-person sentence reports something that happened, or a plan. */
public final class EventCues {
  private final Pattern happened;
  private final List<Pattern> future = Lexicon.patterns("future-cues.txt");
  private static final Pattern PLAN = Pattern.compile(
      "\\b(?:plan|plans|planning|planned|signed up|registered|booked|scheduled|enrolled|going to|gonna|off to|heading to|headed to|about to|hoping to attend|will be)\\b");
  private static final Pattern JUST = Pattern.compile("\\b(?:i|we)(?:'ve| have)? just (?:[a-z]+ed|got|won|made|had|took|went|met|saw|ran|began|bought|found|gave|wrote|left|finished|started)\\b");

  public EventCues() {
    String verbs = String.join("|", Lexicon.lines("episode-verbs.txt").stream().map(String::strip).distinct().toList());
    happened = Pattern.compile("\\b(?:i|we|and i|and me)(?: (?:just|finally|also|recently|actually|even|all|both|once|already|really|then)){0,2} (?:" + verbs + ")\\b");
  }

  /**
   * A regular past tense right after the speaker ("I revised", "we finally painted"), for the verbs
   * the lexicon does not list; the verbs of wanting and liking are states, not events.
   */
  private static final Pattern REGULAR_PAST = Pattern.compile(
      "\\b(?:i|we)(?: (?:just|finally|also|recently|actually|even|already|then))? (?!(?:used|needed|wanted|wished|hoped|loved|liked|missed|hated|preferred|enjoyed|adored|believed|seemed|supposed|managed|tried)\\b)[a-z]{3,}ed\\b");

  /** "I went", "we finally adopted": the speaker reports an event in the past tense. */
  public boolean happened(String lower) {
    return happened.matcher(lower).find() || REGULAR_PAST.matcher(lower).find();
  }

  /** "I just launched": the event happened on the day the message was sent. */
  public boolean justHappened(String lower) {
    return JUST.matcher(lower).find();
  }

  public boolean future(String lower) {
    return future.stream().anyMatch(p -> p.matcher(lower).find());
  }

  /** A future statement that names a concrete plan, not a vague intention. */
  public boolean plan(String lower) {
    return PLAN.matcher(lower).find();
  }
}
