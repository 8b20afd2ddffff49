package dev.synap.core.retrieve;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** Splits free text into content words for lexical matching (stop words dropped). */
public final class QueryTerms {
  static final Set<String> STOP = Set.of(
      "a", "an", "the", "and", "or", "but", "if", "of", "at", "by", "for", "with", "about", "to", "from", "in", "on", "is", "are",
      "was", "were", "be", "been", "am", "do", "does", "did", "have", "has", "had", "i", "me", "my", "you", "your", "we", "our",
      "he", "she", "it", "its", "they", "them", "their", "his", "her", "what", "which", "who", "whom", "this", "that", "these",
      "those", "so", "again", "can", "could", "would", "should", "will", "just", "how", "when", "where", "why", "there", "than",
      "then", "too", "very", "s", "t", "not", "no", "any", "some", "all", "as", "into", "up", "down", "out", "over", "also");

  private static final Pattern SEPARATORS = Pattern.compile("[^\\p{L}\\p{N}]+");

  private QueryTerms() {}

  public static List<String> of(List<String> texts) {
    List<String> out = new ArrayList<>();
    for (String text : texts) {
      for (String raw : SEPARATORS.split(text.toLowerCase(Locale.ROOT))) {
        if (raw.length() > 1 && !STOP.contains(raw) && !out.contains(raw)) out.add(raw);
      }
    }
    return out;
  }
}
