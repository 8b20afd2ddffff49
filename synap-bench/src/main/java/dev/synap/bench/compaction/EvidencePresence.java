package dev.synap.bench.compaction;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The benchmark's own, deliberately simple, definition of "the evidence turn's facts are still
 * present" (independent of the summarizer's term model, so the summarizer is not graded by its
 * own yardstick): the turn's salient words are its lower-cased words of four or more letters,
 * plus any token with a digit, minus common words; the turn is present when at least
 * {@value #PRESENT} of them occur in the compacted text. The strict variant wants them within
 * one line of the compacted text, i.e. still stated together rather than scattered.
 */
final class EvidencePresence {
  static final double PRESENT = 0.6;
  private static final Pattern TOKEN = Pattern.compile("[a-z0-9][a-z0-9']*");
  private static final Set<String> COMMON = Set.of("that", "this", "with", "have", "from", "they", "were", "been", "what", "your", "just",
      "like", "really", "about", "would", "there", "their", "them", "when", "will", "some", "much", "also", "it's", "i'm", "that's",
      "know", "think", "great", "good", "thanks", "glad", "into", "more", "very", "such", "than", "then", "these", "those", "which",
      "while", "being", "does", "doing", "going", "it'll", "you're", "we're", "can't", "don't", "didn't", "totally", "awesome",
      "amazing", "sounds", "feel", "make", "made", "thing", "things", "always", "here", "shares", "photo");

  private final Set<String> compacted;
  private final java.util.List<Set<String>> lines;

  EvidencePresence(String compactedText) {
    this.compacted = words(compactedText);
    this.lines = compactedText.lines().map(EvidencePresence::words).toList();
  }

  boolean present(String turnText) {
    return covers(salient(turnText), compacted);
  }

  boolean presentTogether(String turnText) {
    Set<String> salient = salient(turnText);
    return salient.isEmpty() || lines.stream().anyMatch(l -> covers(salient, l));
  }

  private static boolean covers(Set<String> salient, Set<String> in) {
    if (salient.isEmpty()) return true;
    int found = 0;
    for (String w : salient) if (in.contains(w)) found++;
    return found >= PRESENT * salient.size();
  }

  static Set<String> salient(String text) {
    Set<String> out = new HashSet<>();
    for (String w : words(text)) {
      boolean digit = w.chars().anyMatch(Character::isDigit);
      if (digit || (w.length() >= 4 && !COMMON.contains(w))) out.add(w);
    }
    return out;
  }

  private static Set<String> words(String text) {
    Set<String> out = new HashSet<>();
    Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT).replace('’', '\''));
    while (m.find()) out.add(m.group());
    return out;
  }
}
