package dev.synap.core.consolidate;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The content words of a statement, for near-duplicate tests: lower case, without stop words
 * and with a light plural/verb -s strip, so "Caroline loves hiking" and "Caroline love hiking"
 * compare equal.
 */
public final class ContentTokens {
  static final Set<String> STOP = Set.of(
      "a", "an", "the", "and", "or", "but", "so", "to", "of", "in", "on", "at", "for", "with", "about", "from", "by", "as",
      "is", "are", "was", "were", "be", "been", "am", "it", "its", "it's", "this", "that", "these", "those", "there", "here",
      "i", "me", "my", "we", "our", "us", "you", "your", "he", "she", "his", "her", "they", "them", "their", "has", "have",
      "had", "do", "does", "did", "just", "really", "very", "too", "also", "then", "than", "s", "t", "would", "will", "can");

  private ContentTokens() {}

  /**
   * Hand-rolled rather than regex split: this runs for every candidate and every compared memory
   * inside the completing transaction, on the single writer thread, where regex compilation per
   * token once cost more than the SQL around it.
   */
  public static Set<String> of(String text) {
    Set<String> out = new LinkedHashSet<>();
    if (text == null) return out;
    int n = text.length();
    StringBuilder word = new StringBuilder();
    for (int i = 0; i <= n; i++) {
      char ch = i < n ? text.charAt(i) : ' ';
      if (ch == '\u2019') ch = '\'';
      if (Character.isLetterOrDigit(ch) || ch == '\'') {
        word.append(Character.toLowerCase(ch));
      } else if (!word.isEmpty()) {
        add(out, word);
        word.setLength(0);
      }
    }
    return out;
  }

  private static void add(Set<String> out, StringBuilder raw) {
    int from = 0;
    int to = raw.length();
    while (from < to && raw.charAt(from) == '\'') from++;
    while (to > from && raw.charAt(to - 1) == '\'') to--;
    String t = raw.substring(from, to);
    if (t.endsWith("'s")) t = t.substring(0, t.length() - 2);
    if (t.length() < 2 || STOP.contains(t)) return;
    if (t.length() > 3 && t.endsWith("s") && !t.endsWith("ss")) t = t.substring(0, t.length() - 1);
    out.add(t);
  }

  /** |A ∩ B| / |A ∪ B| over content words; 0 when both are empty. */
  public static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() && b.isEmpty()) return 0;
    int common = 0;
    for (String t : a) if (b.contains(t)) common++;
    return (double) common / (a.size() + b.size() - common);
  }

  public static double jaccard(String a, String b) {
    return jaccard(of(a), of(b));
  }
}
