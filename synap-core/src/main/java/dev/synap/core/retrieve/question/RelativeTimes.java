package dev.synap.core.retrieve.question;

import dev.synap.core.time.Granularity;
import dev.synap.core.time.TemporalResolver;
import dev.synap.core.time.TimeSpan;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads "OFFSET before|after ANCHOR" from a question. OFFSET is a count of units ("two weeks",
 * "a few days"), a unit ("the week", "the weekend", "last weekend"), a weekday ("the Monday") or
 * nothing ("after the road trip"); ANCHOR is a date the time resolver understands ("August 3, 2023",
 * "4th October, 2023") or else the words of an event, which the memories will date. "on DATE"
 * ("as mentioned on June 26, 2023") is the week up to that date: what was said that day, and the
 * recent past it was about. Last, a period relative to today that only the time resolver reads
 * ("last summer", "two weeks ago").
 */
final class RelativeTimes {
  private static final String UNIT = "(day|week|weekend|month|year|monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?";
  private static final Pattern OFFSET_ANCHOR = Pattern.compile("\\b(?:(?:the|last|this past|that)\\s+)?(?:(\\d{1,3}|an?|one|two|three|four|five|six|"
      + "seven|eight|nine|ten|a couple of|a few)\\s+)?" + UNIT + "\\s+(before|after|prior to|following)\\s+(.+)$");
  private static final Pattern BARE_ANCHOR = Pattern.compile("\\b(before|after|since)\\s+(.+)$");
  private static final Pattern ON_DATE = Pattern.compile("\\bon\\s+(.+)$");
  private static final Pattern EVENT_END = Pattern.compile("[?,.;!]| to | and | with | for | in order ");
  private static final Pattern LEADING = Pattern.compile("^(?:the|her|his|their|my|our|your|a|an)\\s+");
  private static final Pattern NAME = Pattern.compile("\\b[A-Z][\\p{L}]+\\b");
  private static final TemporalResolver DATES = new TemporalResolver();

  private RelativeTimes() {}

  static Optional<RelativeTime> read(String question, LocalDate today) {
    String lower = question.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
    Matcher m = OFFSET_ANCHOR.matcher(lower);
    if (m.find()) {
      int count = m.group(1) == null ? 1 : TemporalResolver.countWord(m.group(1)).orElse(1);
      int span = span(m.group(2), count);
      return anchored(question, m.group(4), m.group(3), span, m.group(), today);
    }
    m = BARE_ANCHOR.matcher(lower);
    if (m.find()) {
      // "since X" is open-ended; a month after the anchor is where its first consequences are.
      String direction = m.group(1).equals("since") ? "after" : m.group(1);
      return anchored(question, m.group(2), direction, 30, m.group(), today);
    }
    m = ON_DATE.matcher(lower);
    if (m.find()) {
      Optional<LocalDate> day = dayAtStart(m.group(1), today);
      if (day.isPresent()) return Optional.of(new RelativeTime(day.get(), null, 7, 1, m.group()));
    }
    return relativeToToday(lower, today);
  }

  /**
   * "last summer", "this past weekend", "three weeks ago": periods relative to when the question is
   * asked, which the absolute parser ({@code TemporalRange}) does not read. Only these forms: a bare
   * "in summer" or "in May" has no year to anchor it, and the absolute parser reads the rest.
   */
  private static Optional<RelativeTime> relativeToToday(String lower, LocalDate today) {
    for (TimeSpan s : DATES.resolveAll(lower, today)) {
      String e = s.expression();
      if (!(e.startsWith("last ") || e.startsWith("this past ") || e.endsWith(" ago")) || s.end().isAfter(today)) continue;
      int days = (int) (s.end().toEpochDay() - s.start().toEpochDay());
      return Optional.of(new RelativeTime(s.end(), null, days, 0, e));
    }
    return Optional.empty();
  }

  /** Days the offset spans, with slack: a memory's date may be the event's or the day it was told. */
  private static int span(String unit, int count) {
    return switch (unit) {
      case "day" -> count + 1;
      case "week", "weekend" -> 7 * count + 2;
      case "month" -> 31 * count + 3;
      case "year" -> 366 * count;
      default -> 7 * count; // a weekday: the last one before (or first after) the anchor
    };
  }

  private static Optional<RelativeTime> anchored(String question, String rest, String direction, int span, String expression, LocalDate today) {
    boolean before = direction.equals("before") || direction.equals("prior to");
    Optional<LocalDate> day = dayAtStart(rest, today);
    if (day.isPresent()) return Optional.of(new RelativeTime(day.get(), null, before ? span : 0, before ? 0 : span, expression));
    String event = event(rest);
    if (event.isEmpty()) return Optional.empty();
    List<String> names = new ArrayList<>();
    Matcher n = NAME.matcher(question);
    while (n.find()) if (n.start() > 0 && !event.contains(n.group().toLowerCase(Locale.ROOT))) names.add(n.group());
    String anchor = (String.join(" ", names) + " " + event).strip();
    return Optional.of(new RelativeTime(null, anchor, before ? span : 0, before ? 0 : span, expression));
  }

  /** A date (day precision) that the text starts with, resolved against today. */
  private static Optional<LocalDate> dayAtStart(String text, LocalDate today) {
    Optional<TimeSpan> s = DATES.resolve(text, today);
    if (s.isEmpty() || s.get().position() > 2 || s.get().granularity() != Granularity.DAY) return Optional.empty();
    return Optional.of(s.get().start());
  }

  /** The event words: up to the end of the clause, at most five words, without a leading article or pronoun. */
  private static String event(String rest) {
    Matcher end = EVENT_END.matcher(rest);
    String clause = end.find() ? rest.substring(0, end.start()) : rest;
    clause = LEADING.matcher(clause.strip()).replaceFirst("");
    String[] w = clause.split("\\s+");
    return String.join(" ", java.util.Arrays.copyOf(w, Math.min(5, w.length))).strip();
  }
}
