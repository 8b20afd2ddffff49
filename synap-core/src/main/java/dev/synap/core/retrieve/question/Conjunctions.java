package dev.synap.core.retrieve.question;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits a question that asks about two things into one sub-query per thing. Four shapes, tried in
 * this order, first match wins:
 * <ol>
 *   <li>two questions joined ("What schools did John play in and how many years was he ..."): each
 *       clause;
 *   <li>a span between two events ("between Maria adopting Coco and Shadow"): each event, the
 *       shorter one completed from the longer ("Maria adopting Shadow");
 *   <li>two people ("Jon and Gina both", "Tim and John's favourite", "Did Audrey or Andrew"): the
 *       question about each, without "both";
 *   <li>a choice ("a national park or a theme park?"): the question with each option.
 * </ol>
 * Pairs that are not two people ("Mel and her kids", "friends, family, and mentors") are left
 * whole: they name one group doing one thing. Sub-queries are searched beside the whole question,
 * never instead of it, so a wrong split costs a little precision, not the answer.
 */
final class Conjunctions {
  private static final Pattern CLAUSES = Pattern.compile("^(.+?),? and (what|when|where|who|whom|which|why|how)\\b(.+)$", Pattern.CASE_INSENSITIVE);
  private static final Pattern BETWEEN = Pattern.compile("\\bbetween (.+?) and (.+?)[?.!]*$", Pattern.CASE_INSENSITIVE);
  private static final Pattern PEOPLE = Pattern.compile("\\b(?:both )?([A-Z][\\p{L}]+)(?:'s)? (?:and|or|and/or|&) ([A-Z][\\p{L}]+)('s)?(?=\\W|$)");
  private static final Pattern CHOICE = Pattern.compile("^(would|will|does|do|did|is|are|was|were|has|have|can|could|should|which)\\b.+ or .+",
      Pattern.CASE_INSENSITIVE);
  private static final Pattern MONTH_START = Pattern.compile(
      "^(january|february|march|april|may|june|july|august|september|october|november|december|\\d)", Pattern.CASE_INSENSITIVE);
  private static final Pattern BOTH = Pattern.compile("\\bboth\\s+", Pattern.CASE_INSENSITIVE);

  private Conjunctions() {}

  static List<String> split(String question) {
    String q = question.strip();
    Matcher m = CLAUSES.matcher(q);
    if (m.matches() && words(m.group(1)).length >= 3) return List.of(m.group(1).strip() + "?", m.group(2) + m.group(3));
    m = BETWEEN.matcher(q);
    if (m.find() && !MONTH_START.matcher(m.group(1)).find()) {
      String[] a = words(m.group(1));
      String[] b = words(m.group(2));
      String second = b.length < a.length ? String.join(" ", Arrays.copyOf(a, a.length - b.length)) + " " + m.group(2).strip() : m.group(2).strip();
      return List.of(m.group(1).strip(), second);
    }
    m = PEOPLE.matcher(q);
    if (m.find() && !isQuestionWord(m.group(1))) {
      String possessive = m.group(3) == null ? "" : "'s";
      List<String> out = new ArrayList<>(2);
      for (String name : List.of(m.group(1), m.group(2))) {
        out.add(BOTH.matcher(q.substring(0, m.start()) + name + possessive + q.substring(m.end())).replaceAll(""));
      }
      return out;
    }
    if (CHOICE.matcher(q).matches()) {
      int or = q.toLowerCase(Locale.ROOT).lastIndexOf(" or ");
      String left = q.substring(0, or);
      String right = q.substring(or + 4);
      String[] l = words(left);
      String[] r = words(right.replaceAll("[?.!]+$", ""));
      if (l.length > r.length + 1) {
        String prefix = String.join(" ", Arrays.copyOf(l, l.length - r.length));
        return List.of(left + "?", prefix + " " + right);
      }
    }
    return List.of();
  }

  private static boolean isQuestionWord(String w) {
    return switch (w.toLowerCase(Locale.ROOT)) {
      case "what", "when", "where", "who", "which", "why", "how", "did", "does", "do", "is", "was", "would" -> true;
      default -> false;
    };
  }

  private static String[] words(String s) {
    String t = s.strip();
    return t.isEmpty() ? new String[0] : t.split("\\s+");
  }
}
