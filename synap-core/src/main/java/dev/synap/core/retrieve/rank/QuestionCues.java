package dev.synap.core.retrieve.rank;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the features read from the question, once per query.
 *
 * @param terms content words, lower case (as {@code QueryTerms})
 * @param names capitalised words that are not the first of a sentence, lower case: the people and places asked about
 * @param asksWhen a "when" / "what date" / "how long ago" question, which a turn carrying a time answers
 * @param period the period the question names, as epoch days, if any
 */
public record QuestionCues(List<String> terms, List<String> names, boolean asksWhen, Optional<long[]> period) {
  private static final Pattern WORD = Pattern.compile("[^\\p{L}\\p{N}']+");
  private static final Pattern WHEN = Pattern.compile("\\b(when|what (date|day|year|month|time)|how long ago|which (year|month|day))\\b");

  public static QuestionCues of(String question, List<String> terms, Optional<long[]> period) {
    List<String> names = new ArrayList<>();
    String[] words = WORD.split(question.strip());
    for (int i = 1; i < words.length; i++) {
      String w = words[i].replaceAll("'s$", "");
      if (w.length() > 1 && Character.isUpperCase(w.charAt(0))) {
        String lower = w.toLowerCase(Locale.ROOT);
        if (!names.contains(lower)) names.add(lower);
      }
    }
    return new QuestionCues(terms, names, WHEN.matcher(question.toLowerCase(Locale.ROOT)).find(), period);
  }
}
