package dev.synap.core.time;

import static dev.synap.core.time.CalendarWords.MONTH;
import static dev.synap.core.time.CalendarWords.NUMBER;
import static dev.synap.core.time.CalendarWords.ORDINAL;
import static dev.synap.core.time.CalendarWords.SEASON;
import static dev.synap.core.time.CalendarWords.UNIT;
import static dev.synap.core.time.CalendarWords.WEEKDAY;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.YearMonth;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves English time expressions against the date a message was said ("yesterday" in a
 * message of 8 May 2023 is 7 May 2023). Each rule is a pattern plus a function of the match and
 * the anchor date; when expressions overlap the earliest, then longest, wins.
 *
 * <p>Conventions (documented because English is ambiguous here): weeks run Monday to Sunday;
 * "last Tuesday" is the most recent Tuesday before the anchor day; "next Tuesday" the first one
 * after; "next weekend" is the weekend after the coming one; "last summer" is the most recent
 * summer that has ended; a bare month or date without a year ("in May", "7 May") is taken in
 * the past unless the sentence speaks of the future (will, going to, planning...).
 */
public final class TemporalResolver {

  private interface Rule {
    Optional<TimeSpan> apply(Matcher m, LocalDate anchor, boolean future);
  }

  private record PatternRule(Pattern pattern, Rule rule) {}

  private static final Pattern FUTURE = Pattern.compile(
      "\\b(will|going to|gonna|plan|plans|planning|next|upcoming|coming up|looking forward|can't wait|cannot wait|hope to|hoping to|tomorrow)\\b|'ll\\b");

  private final List<PatternRule> rules = new ArrayList<>();

  public TemporalResolver() {
    add("\\b(?:the )?day before yesterday\\b", (m, a, f) -> day(a.minusDays(2), m));
    add("\\b(?:the )?day after tomorrow\\b", (m, a, f) -> day(a.plusDays(2), m));
    add("\\b(?:yesterday|last night)\\b", (m, a, f) -> day(a.minusDays(1), m));
    add("\\btomorrow\\b", (m, a, f) -> day(a.plusDays(1), m));
    add("\\b(?:today|tonight|this (?:morning|afternoon|evening))\\b", (m, a, f) -> day(a, m));
    add("\\b" + NUMBER + " " + UNIT + " ago\\b", (m, a, f) -> shifted(a, m.group(1), m.group(2), -1, m));
    add("\\bin " + NUMBER + " " + UNIT + "\\b", (m, a, f) -> shifted(a, m.group(1), m.group(2), 1, m));
    add("\\b(last|this|next|this past|this coming) (week|weekend|month|year)\\b", (m, a, f) -> relativeUnit(a, m));
    add("\\bearlier this (week|month|year)\\b", (m, a, f) -> unitContaining(a, m.group(1), m));
    add("\\b(last|this|next|on|this past|this coming) " + WEEKDAY + "\\b", (m, a, f) -> weekday(a, m, f));
    add("\\b(last|this|next|in|in the|during the|over the|this past) " + SEASON + "\\b", (m, a, f) -> season(a, m, f));
    add("\\b(\\d{4})-(\\d{2})-(\\d{2})\\b", (m, a, f) -> date(m.group(1), m.group(2), m.group(3), m));
    add("\\b" + MONTH + " " + ORDINAL + ",? (\\d{4})\\b", (m, a, f) -> date(m.group(3), m.group(1), m.group(2), m));
    add("\\b" + ORDINAL + " (?:of )?" + MONTH + ",? (\\d{4})\\b", (m, a, f) -> date(m.group(3), m.group(2), m.group(1), m));
    add("\\b" + MONTH + " " + ORDINAL + "\\b(?!,? \\d)", (m, a, f) -> dayWithoutYear(a, m.group(1), m.group(2), f, m));
    add("\\b" + ORDINAL + " (?:of )?" + MONTH + "\\b(?!,? \\d)", (m, a, f) -> dayWithoutYear(a, m.group(2), m.group(1), f, m));
    add("\\b" + MONTH + ",? (\\d{4})\\b", (m, a, f) -> month(YearMonth.of(Integer.parseInt(m.group(2)), CalendarWords.month(m.group(1))), m));
    add("\\b(in|last|next|this|since|during|early|late|mid|until|by|of) " + MONTH + "\\b(?! \\d)", (m, a, f) -> namedMonth(a, m, f));
    add("\\b(?:in|since|during|of|back in|around|until|by) ((?:19|20)\\d{2})\\b", (m, a, f) -> year(Integer.parseInt(m.group(1)), m));
  }

  private void add(String regex, Rule rule) {
    rules.add(new PatternRule(Pattern.compile(regex), rule));
  }

  /** The number a count word stands for ("two", "a couple of", "3"), for callers outside this package. */
  public static java.util.OptionalInt countWord(String word) {
    return CalendarWords.number(word);
  }

  /** The first time expression in {@code text}, resolved against {@code anchor}. */
  public Optional<TimeSpan> resolve(String text, LocalDate anchor) {
    List<TimeSpan> all = resolveAll(text, anchor);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
  }

  /** Every non-overlapping time expression in {@code text}, in text order. */
  public List<TimeSpan> resolveAll(String text, LocalDate anchor) {
    if (text == null || text.isBlank()) return List.of();
    String lower = text.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
    boolean future = FUTURE.matcher(lower).find();
    List<TimeSpan> found = new ArrayList<>();
    for (PatternRule r : rules) {
      Matcher m = r.pattern().matcher(lower);
      while (m.find()) {
        try {
          r.rule().apply(m, anchor, future).ifPresent(found::add);
        } catch (DateTimeException | IllegalArgumentException invalid) {
          // "February 31" and the like: not a date, so not a time expression either
        }
      }
    }
    found.sort(Comparator.comparingInt(TimeSpan::position).thenComparing(s -> -s.expression().length()));
    List<TimeSpan> kept = new ArrayList<>();
    int coveredUntil = -1;
    for (TimeSpan s : found) {
      if (s.position() < coveredUntil) continue;
      kept.add(s);
      coveredUntil = s.position() + s.expression().length();
    }
    return kept;
  }

  private static Optional<TimeSpan> day(LocalDate d, Matcher m) {
    return Optional.of(TimeSpan.day(d, m.group(), m.start()));
  }

  private static Optional<TimeSpan> span(LocalDate start, LocalDate end, Granularity g, Matcher m) {
    return Optional.of(new TimeSpan(start, end, g, m.group(), m.start()));
  }

  private static Optional<TimeSpan> shifted(LocalDate anchor, String count, String unit, int sign, Matcher m) {
    var n = CalendarWords.number(count);
    if (n.isEmpty()) return Optional.empty();
    int k = sign * n.getAsInt();
    return switch (unit) {
      case "day" -> day(anchor.plusDays(k), m);
      case "week" -> unitContaining(anchor.plusWeeks(k), "week", m);
      case "month" -> unitContaining(anchor.plusMonths(k), "month", m);
      default -> unitContaining(anchor.plusYears(k), "year", m);
    };
  }

  private static Optional<TimeSpan> unitContaining(LocalDate d, String unit, Matcher m) {
    return switch (unit) {
      case "week" -> {
        LocalDate monday = d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
        yield span(monday, monday.plusDays(6), Granularity.WEEK, m);
      }
      case "month" -> month(YearMonth.from(d), m);
      default -> year(d.getYear(), m);
    };
  }

  private static Optional<TimeSpan> relativeUnit(LocalDate anchor, Matcher m) {
    int offset = offset(m.group(1));
    String unit = m.group(2);
    if (unit.equals("weekend")) {
      // The weekend we are in, or else the coming one, shifted by whole weeks.
      LocalDate saturday = switch (anchor.getDayOfWeek()) {
        case SATURDAY -> anchor;
        case SUNDAY -> anchor.minusDays(1);
        default -> anchor.with(TemporalAdjusters.next(DayOfWeek.SATURDAY));
      };
      saturday = saturday.plusWeeks(offset);
      return span(saturday, saturday.plusDays(1), Granularity.WEEK, m);
    }
    LocalDate shifted = switch (unit) {
      case "week" -> anchor.plusWeeks(offset);
      case "month" -> anchor.plusMonths(offset);
      default -> anchor.plusYears(offset);
    };
    return unitContaining(shifted, unit, m);
  }

  private static int offset(String word) {
    return switch (word) {
      case "last", "this past" -> -1;
      case "next", "this coming" -> 1;
      default -> 0;
    };
  }

  private static Optional<TimeSpan> weekday(LocalDate anchor, Matcher m, boolean future) {
    DayOfWeek dow = CalendarWords.weekday(m.group(2));
    return switch (m.group(1)) {
      case "last", "this past" -> day(anchor.with(TemporalAdjusters.previous(dow)), m);
      case "next", "this coming" -> day(anchor.with(TemporalAdjusters.next(dow)), m);
      case "this" -> day(anchor.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).with(TemporalAdjusters.nextOrSame(dow)), m);
      default -> day(anchor.with(future ? TemporalAdjusters.nextOrSame(dow) : TemporalAdjusters.previousOrSame(dow)), m);
    };
  }

  private static Optional<TimeSpan> season(LocalDate anchor, Matcher m, boolean future) {
    int startMonth = CalendarWords.seasonStartMonth(m.group(2));
    // Candidate seasons around the anchor; pick by the relation the words ask for.
    List<LocalDate[]> seasons = new ArrayList<>();
    for (int y = anchor.getYear() - 2; y <= anchor.getYear() + 1; y++) {
      LocalDate start = LocalDate.of(y, startMonth, 1);
      seasons.add(new LocalDate[] {start, start.plusMonths(3).minusDays(1)});
    }
    LocalDate[] chosen = switch (m.group(1)) {
      case "last", "this past" -> seasons.stream().filter(s -> s[1].isBefore(anchor)).reduce((x, y) -> y).orElseThrow();
      case "next" -> seasons.stream().filter(s -> s[0].isAfter(anchor)).findFirst().orElseThrow();
      default -> {
        LocalDate[] containing = seasons.stream().filter(s -> !s[0].isAfter(anchor) && !s[1].isBefore(anchor)).findFirst().orElse(null);
        if (containing != null) yield containing;
        yield future
            ? seasons.stream().filter(s -> s[0].isAfter(anchor)).findFirst().orElseThrow()
            : seasons.stream().filter(s -> s[1].isBefore(anchor)).reduce((x, y) -> y).orElseThrow();
      }
    };
    return span(chosen[0], chosen[1], Granularity.SEASON, m);
  }

  private static Optional<TimeSpan> date(String year, String month, String dayOfMonth, Matcher m) {
    Month mo = month.chars().allMatch(Character::isDigit) ? Month.of(Integer.parseInt(month)) : CalendarWords.month(month);
    return day(LocalDate.of(Integer.parseInt(year), mo, Integer.parseInt(dayOfMonth)), m);
  }

  private static Optional<TimeSpan> dayWithoutYear(LocalDate anchor, String month, String dayOfMonth, boolean future, Matcher m) {
    LocalDate d = LocalDate.of(anchor.getYear(), CalendarWords.month(month), Integer.parseInt(dayOfMonth));
    if (future && d.isBefore(anchor)) d = d.plusYears(1);
    if (!future && d.isAfter(anchor)) d = d.minusYears(1);
    return day(d, m);
  }

  private static Optional<TimeSpan> namedMonth(LocalDate anchor, Matcher m, boolean future) {
    Month month = CalendarWords.month(m.group(2));
    YearMonth now = YearMonth.from(anchor);
    YearMonth same = YearMonth.of(anchor.getYear(), month);
    YearMonth chosen = switch (m.group(1)) {
      case "last" -> same.isBefore(now) ? same : same.minusYears(1);
      case "next" -> same.isAfter(now) ? same : same.plusYears(1);
      case "this" -> same;
      default -> {
        if (future && same.isBefore(now)) yield same.plusYears(1);
        if (!future && same.isAfter(now)) yield same.minusYears(1);
        yield same;
      }
    };
    return month(chosen, m);
  }

  private static Optional<TimeSpan> month(YearMonth ym, Matcher m) {
    return span(ym.atDay(1), ym.atEndOfMonth(), Granularity.MONTH, m);
  }

  private static Optional<TimeSpan> year(int y, Matcher m) {
    return span(LocalDate.of(y, 1, 1), LocalDate.of(y, 12, 31), Granularity.YEAR, m);
  }
}
