package dev.synap.sdk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * The cache's notion of "same words": the server's own analysis (Lucene's English analyzer:
 * standard tokenizer, possessives, lower case, Porter stemming), so a word matches in the cache
 * exactly when it would match in the server's lexical index. The stop list is longer than the
 * server's: words that carry no topic ("tell", "remind", pronouns) must not count towards how much
 * of a query the cache covers.
 */
final class Terms {
  private static final Set<String> STOP = Set.of(
      "a", "an", "the", "and", "or", "but", "if", "of", "at", "by", "for", "with", "about", "to", "from", "in", "on", "is", "are",
      "was", "were", "be", "been", "am", "do", "does", "did", "have", "has", "had", "i", "me", "my", "you", "your", "we", "our",
      "he", "she", "it", "its", "they", "them", "their", "his", "her", "what", "which", "who", "this", "that", "these", "those",
      "so", "again", "can", "could", "would", "should", "will", "just", "how", "when", "where", "why", "there", "than", "then",
      "too", "very", "not", "no", "any", "some", "all", "as", "into", "up", "out", "also", "s", "t", "tell", "remind");
  private static final EnglishAnalyzer ANALYZER = analyzer();

  private Terms() {}

  private static EnglishAnalyzer analyzer() {
    CharArraySet stop = new CharArraySet(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, true);
    stop.addAll(STOP);
    return new EnglishAnalyzer(stop);
  }

  static List<String> of(String text) {
    List<String> out = new ArrayList<>();
    if (text == null || text.isEmpty()) return out;
    // Analyzers reuse their components per thread, so this is cheap after the first call on a thread.
    try (TokenStream ts = ANALYZER.tokenStream("", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        if (term.length() >= 2) out.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a string reader does not fail
    }
    return out;
  }
}
