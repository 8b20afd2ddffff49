package dev.synap.core.retrieve.question;

import dev.synap.core.retrieve.question.QuestionPlan.Shape;
import java.time.LocalDate;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Makes a {@link QuestionPlan} from the question's text by rules, without a model: its parts
 * ({@link Conjunctions}), a period named relative to a date or an event ({@link RelativeTimes}),
 * and its shape:
 * <ul>
 *   <li>{@code COUNT}: "how many times", "how often";
 *   <li>{@code DURATION}: "how long", "how many weeks passed between ...", "how many years ago";
 *   <li>{@code WHEN}: "when ...", "what date / year / month ...";
 *   <li>{@code LIST}: several things ("what books has", "where has", "in what ways", "what are");
 *   <li>{@code ANSWER}: anything else.
 * </ul>
 * Pure and thread-safe.
 */
public final class QuestionPlanner {
  private static final Pattern COUNT = Pattern.compile("\\bhow (many times|often)\\b");
  private static final Pattern DURATION = Pattern.compile(
      "\\bhow long\\b|\\bhow many (days|weeks|months|years)\\b.*\\b(passed|between|since|after|before|ago|been)\\b");
  /** A plural thing asked for ("what books has", "which cities have"), "where has", "in what ways", "what are". */
  private static final Pattern LIST = Pattern.compile("^(what|which)( \\w+){0,2} \\w+[^s\\W]s (has|have|does|do|did|are|were)\\b|^(what|which) "
      + "(kinds?|types?|sorts?) of\\b|^where (has|have)\\b|\\bin what ways\\b|^what are\\b");
  private static final Pattern WHEN = Pattern.compile("^(when|what (date|day|month|year|time)|which (date|day|month|year))\\b|\\bsince when\\b");

  public QuestionPlan plan(String question, LocalDate today) {
    String q = question == null ? "" : question.strip();
    if (q.isEmpty()) return QuestionPlan.plain(q);
    return new QuestionPlan(q, Conjunctions.split(q), shape(q), RelativeTimes.read(q, today), "rules");
  }

  static Shape shape(String question) {
    String lower = question.toLowerCase(Locale.ROOT);
    if (COUNT.matcher(lower).find()) return Shape.COUNT;
    if (DURATION.matcher(lower).find()) return Shape.DURATION;
    if (WHEN.matcher(lower).find()) return Shape.WHEN;
    if (LIST.matcher(lower).find()) return Shape.LIST;
    return Shape.ANSWER;
  }
}
