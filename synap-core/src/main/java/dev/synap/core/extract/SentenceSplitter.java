package dev.synap.core.extract;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Splits chat text into sentences at . ! ? (and runs of them) followed by space and a capital,
 * digit or quote, or at line breaks; known abbreviations ("Dr.", "e.g.") do not end a sentence.
 */
public final class SentenceSplitter {
  private final Set<String> abbreviations = new HashSet<>(Lexicon.lines("abbreviations.txt").stream().map(String::strip).toList());

  public List<String> split(String text) {
    List<String> out = new ArrayList<>();
    if (text == null) return out;
    for (String paragraph : text.split("\\R+")) splitParagraph(paragraph.strip(), out);
    return out;
  }

  private void splitParagraph(String p, List<String> out) {
    int start = 0;
    int i = 0;
    while (i < p.length()) {
      char c = p.charAt(i);
      if (c == '.' || c == '!' || c == '?') {
        int end = i + 1;
        while (end < p.length() && ".!?\"')\u201d".indexOf(p.charAt(end)) >= 0) end++;
        boolean atEnd = end >= p.length();
        boolean boundary = atEnd || (Character.isWhitespace(p.charAt(end)) && startsSentence(p, end));
        if (boundary && !(c == '.' && isAbbreviation(p, start, i))) {
          add(out, p.substring(start, end));
          start = end;
        }
        i = end;
      } else {
        i++;
      }
    }
    add(out, p.substring(start));
  }

  private static boolean startsSentence(String p, int from) {
    int j = from;
    while (j < p.length() && Character.isWhitespace(p.charAt(j))) j++;
    if (j >= p.length()) return true;
    char n = p.charAt(j);
    return Character.isUpperCase(n) || Character.isDigit(n) || n == '"' || n == '\u201c' || n == '\'';
  }

  private boolean isAbbreviation(String p, int sentenceStart, int dot) {
    int j = dot - 1;
    while (j >= sentenceStart && !Character.isWhitespace(p.charAt(j))) j--;
    String word = p.substring(j + 1, dot).toLowerCase(Locale.ROOT);
    return abbreviations.contains(word) || (word.length() == 1 && Character.isLetter(word.charAt(0)) && !word.equals("i"));
  }

  private static void add(List<String> out, String s) {
    String t = s.strip();
    if (!t.isEmpty()) out.add(t);
  }
}
