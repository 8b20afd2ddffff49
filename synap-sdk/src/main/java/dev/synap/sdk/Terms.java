package dev.synap.sdk;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Lower-case, stop-word-free, lightly stemmed terms: the cache's notion of "same words". */
final class Terms {
  private static final Set<String> STOP = Set.of(
      "a", "an", "the", "and", "or", "but", "if", "of", "at", "by", "for", "with", "about", "to", "from", "in", "on", "is", "are",
      "was", "were", "be", "been", "am", "do", "does", "did", "have", "has", "had", "i", "me", "my", "you", "your", "we", "our",
      "he", "she", "it", "its", "they", "them", "their", "his", "her", "what", "which", "who", "this", "that", "these", "those",
      "so", "again", "can", "could", "would", "should", "will", "just", "how", "when", "where", "why", "there", "than", "then",
      "too", "very", "not", "no", "any", "some", "all", "as", "into", "up", "out", "also", "s", "t", "tell", "remind");

  private Terms() {}

  static List<String> of(String text) {
    List<String> out = new ArrayList<>();
    if (text == null) return out;
    for (String raw : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (raw.length() < 2 || STOP.contains(raw)) continue;
      out.add(stem(raw));
    }
    return out;
  }

  /** Deliberately light: folds plurals and common verb endings, never shortens below three letters. */
  static String stem(String w) {
    if (w.length() > 5 && w.endsWith("ing")) return w.substring(0, w.length() - 3);
    if (w.length() > 4 && w.endsWith("ies")) return w.substring(0, w.length() - 3) + "y";
    if (w.length() > 4 && w.endsWith("ed")) return w.substring(0, w.length() - 2);
    if (w.length() > 3 && w.endsWith("'s")) return w.substring(0, w.length() - 2);
    if (w.length() > 3 && w.endsWith("s") && !w.endsWith("ss")) return w.substring(0, w.length() - 1);
    return w;
  }
}
