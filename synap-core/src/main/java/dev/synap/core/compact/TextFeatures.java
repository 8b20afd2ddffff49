package dev.synap.core.compact;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The cheap signals offline compaction works with: sentences, normalised content words, names,
 * numbers and dates. Words are lower-cased and lightly stemmed (plural "s") so that "dogs" in a
 * turn and "dog" in a summary count as the same term.
 */
final class TextFeatures {
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=[.!?])\\s+(?=[\"'(\\[]?[A-Z0-9])|\\n+");
  private static final Pattern WORD = Pattern.compile("[\\p{L}][\\p{L}'’-]*|\\d+(?:[.,:/]\\d+)*(?:st|nd|rd|th|%|am|pm)?");
  private static final Pattern NUMBER = Pattern.compile("\\d");
  static final Set<String> MONTHS = Set.of("january", "february", "march", "april", "may", "june", "july", "august", "september",
      "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec");
  private static final Set<String> DATE_WORDS = Set.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
      "yesterday", "tomorrow", "today", "tonight", "weekend", "week", "month", "year", "birthday", "anniversary", "deadline");
  private static final Set<String> STOP = Set.copyOf(List.of("a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any",
      "are", "aren't", "as", "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could",
      "did", "didn't", "do", "does", "doesn't", "doing", "don't", "down", "during", "each", "even", "ever", "few", "for", "from", "further",
      "get", "got", "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "i", "i'd",
      "i'll", "i'm", "i've", "if", "in", "into", "is", "isn't", "it", "it's", "its", "itself", "just", "let's", "like", "me", "more",
      "most", "much", "my", "myself", "no", "nor", "not", "now", "of", "off", "oh", "ok", "okay", "on", "once", "only", "or", "other",
      "our", "ours", "ourselves", "out", "over", "own", "really", "same", "she", "should", "so", "some", "such", "than", "that",
      "that's", "the", "their", "theirs", "them", "themselves", "then", "there", "there's", "these", "they", "they're", "this",
      "those", "through", "to", "too", "under", "until", "up", "very", "was", "wasn't", "we", "we're", "we've", "were", "what",
      "what's", "when", "where", "which", "while", "who", "whom", "why", "will", "with", "would", "wow", "yeah", "yes", "you",
      "you'd", "you'll", "you're", "you've", "your", "yours", "yourself", "hey", "hi", "hello", "thanks", "thank", "sure", "great",
      "cool", "awesome", "definitely", "totally", "always", "lot", "lots", "thing", "things", "know", "think", "feel", "make", "made",
      "well", "good", "glad", "love", "amazing", "nice", "one", "way", "going", "go", "see", "say", "said", "tell", "told", "still",
      "something", "anything", "everything", "really", "yep", "nope", "hmm", "haha", "lol", "gonna", "want", "wanna", "let", "us"));
  private static final Pattern FILLER = Pattern.compile("^(ok(ay)?|thanks?( you)?( so much)?|yes|yeah|no|sure|cool|great|bye|hi|hello|hey|wow|lol|haha)[.!]*$");

  private TextFeatures() {}

  static List<String> sentences(String text) {
    List<String> out = new ArrayList<>();
    if (text == null) return out;
    for (String s : SENTENCE_END.split(text.strip())) {
      String t = s.strip();
      if (!t.isEmpty()) out.add(t);
    }
    return out;
  }

  /** Normalised content words (no stop words), in order of appearance, without repeats. */
  static Set<String> contentWords(String text) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = WORD.matcher(text == null ? "" : text);
    while (m.find()) {
      String w = normalise(m.group());
      if (w.length() < 2 && !NUMBER.matcher(w).find()) continue;
      if (STOP.contains(w)) continue;
      out.add(w);
    }
    return out;
  }

  /** Capitalised words that are not sentence-initial stop words: names of people, places, things. */
  static Set<String> entities(String text) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = WORD.matcher(text == null ? "" : text);
    while (m.find()) {
      String raw = m.group();
      if (!Character.isUpperCase(raw.charAt(0))) continue;
      String w = normalise(raw);
      if (STOP.contains(w) || MONTHS.contains(w) || DATE_WORDS.contains(w) || w.length() < 2) continue;
      out.add(w);
    }
    return out;
  }

  /** Numbers, month and weekday names and relative dates: what temporal questions hinge on. */
  static Set<String> numbersAndDates(String text) {
    Set<String> out = new LinkedHashSet<>();
    Matcher m = WORD.matcher(text == null ? "" : text);
    while (m.find()) {
      String w = normalise(m.group());
      if (NUMBER.matcher(w).find() || MONTHS.contains(w) || DATE_WORDS.contains(w)) out.add(w);
    }
    return out;
  }

  static boolean isFiller(String sentence) {
    return FILLER.matcher(sentence.strip().toLowerCase(Locale.ROOT)).matches();
  }

  static boolean isQuestion(String sentence) {
    return sentence.strip().endsWith("?");
  }

  static String normalise(String word) {
    String w = word.toLowerCase(Locale.ROOT).replace('’', '\'');
    if (w.endsWith("'s")) w = w.substring(0, w.length() - 2);
    if (w.length() > 4 && w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) w = w.substring(0, w.length() - 1);
    return w;
  }

  static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() || b.isEmpty()) return 0;
    int common = 0;
    for (String t : a) if (b.contains(t)) common++;
    return (double) common / (a.size() + b.size() - common);
  }
}
