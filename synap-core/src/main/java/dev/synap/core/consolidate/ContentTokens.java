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
  private static final Set<String> STOP = Set.of(
      "a", "an", "the", "and", "or", "but", "so", "to", "of", "in", "on", "at", "for", "with", "about", "from", "by", "as",
      "is", "are", "was", "were", "be", "been", "am", "it", "its", "it's", "this", "that", "these", "those", "there", "here",
      "i", "me", "my", "we", "our", "us", "you", "your", "he", "she", "his", "her", "they", "them", "their", "has", "have",
      "had", "do", "does", "did", "just", "really", "very", "too", "also", "then", "than", "s", "t", "would", "will", "can");

  private ContentTokens() {}

  public static Set<String> of(String text) {
    Set<String> out = new LinkedHashSet<>();
    if (text == null) return out;
    for (String raw : text.toLowerCase(Locale.ROOT).replace('\u2019', '\'').split("[^\\p{L}\\p{N}']+")) {
      String t = raw.replaceAll("^'+|'+$", "");
      if (t.endsWith("'s")) t = t.substring(0, t.length() - 2);
      if (t.length() < 2 || STOP.contains(t)) continue;
      if (t.length() > 3 && t.endsWith("s") && !t.endsWith("ss")) t = t.substring(0, t.length() - 1);
      out.add(t);
    }
    return out;
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
