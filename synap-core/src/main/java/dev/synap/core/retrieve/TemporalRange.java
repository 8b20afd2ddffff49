package dev.synap.core.retrieve;

import java.time.LocalDate;
import java.time.Month;
import java.time.YearMonth;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The period a question is about, when it names one: "in May 2023", "in 2022", "last year",
 * "last month", "last week", "yesterday". Relative expressions are resolved against
 * {@code today}. Questions without a period ("when did ...") get none: they ask for a date,
 * they do not restrict one.
 */
public record TemporalRange(long fromDay, long toDay) {
  private static final String MONTHS = "january|february|march|april|may|june|july|august|september|october|november|december";
  private static final Pattern MONTH_YEAR = Pattern.compile("\\b(" + MONTHS + "),?\\s+(\\d{4})\\b");
  private static final Pattern YEAR = Pattern.compile("\\b(?:in|during|of|since)\\s+((?:19|20)\\d{2})\\b");
  private static final Pattern RELATIVE = Pattern.compile("\\b(yesterday|last (week|month|year)|this (week|month|year))\\b");

  public boolean contains(long day) {
    return day >= fromDay && day <= toDay;
  }

  public static Optional<TemporalRange> parse(String text, LocalDate today) {
    String t = text.toLowerCase(Locale.ROOT);
    Matcher m = MONTH_YEAR.matcher(t);
    if (m.find()) {
      YearMonth ym = YearMonth.of(Integer.parseInt(m.group(2)), month(m.group(1)));
      return Optional.of(of(ym.atDay(1), ym.atEndOfMonth()));
    }
    m = YEAR.matcher(t);
    if (m.find()) {
      int y = Integer.parseInt(m.group(1));
      return Optional.of(of(LocalDate.of(y, 1, 1), LocalDate.of(y, 12, 31)));
    }
    m = RELATIVE.matcher(t);
    if (m.find()) {
      return Optional.of(switch (m.group(1)) {
        case "yesterday" -> of(today.minusDays(1), today.minusDays(1));
        case "last week" -> {
          LocalDate monday = today.minusDays(today.getDayOfWeek().getValue() - 1).minusWeeks(1);
          yield of(monday, monday.plusDays(6));
        }
        case "last month" -> of(YearMonth.from(today).minusMonths(1).atDay(1), YearMonth.from(today).minusMonths(1).atEndOfMonth());
        case "last year" -> of(LocalDate.of(today.getYear() - 1, 1, 1), LocalDate.of(today.getYear() - 1, 12, 31));
        case "this week" -> of(today.minusDays(today.getDayOfWeek().getValue() - 1), today);
        case "this month" -> of(today.withDayOfMonth(1), today);
        default -> of(today.withDayOfYear(1), today);
      });
    }
    return Optional.empty();
  }

  private static TemporalRange of(LocalDate from, LocalDate to) {
    return new TemporalRange(from.toEpochDay(), to.toEpochDay());
  }

  private static Month month(String name) {
    for (Month mo : Month.values()) if (mo.getDisplayName(TextStyle.FULL, Locale.ENGLISH).equalsIgnoreCase(name)) return mo;
    throw new IllegalArgumentException(name);
  }
}
