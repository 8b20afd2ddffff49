package dev.synap.core.time;

import java.time.DayOfWeek;
import java.time.Month;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/** The closed word classes of English date talk: month, weekday, season and small number words. */
final class CalendarWords {
  static final String MONTH = "(january|february|march|april|may|june|july|august|september|october|november|december"
      + "|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)";
  static final String WEEKDAY = "(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tues|tue|wed|thurs|thu|fri|sat|sun)";
  static final String SEASON = "(spring|summer|fall|autumn|winter)";
  static final String NUMBER = "(\\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a couple of|couple of|a few|few)";
  static final String UNIT = "(day|week|month|year)s?";
  static final String ORDINAL = "(\\d{1,2})(?:st|nd|rd|th)?";

  private static final Map<String, Integer> NUMBERS = Map.ofEntries(
      Map.entry("a", 1), Map.entry("an", 1), Map.entry("one", 1), Map.entry("two", 2), Map.entry("three", 3),
      Map.entry("four", 4), Map.entry("five", 5), Map.entry("six", 6), Map.entry("seven", 7), Map.entry("eight", 8),
      Map.entry("nine", 9), Map.entry("ten", 10), Map.entry("eleven", 11), Map.entry("twelve", 12),
      Map.entry("a couple of", 2), Map.entry("couple of", 2), Map.entry("a few", 3), Map.entry("few", 3));

  private CalendarWords() {}

  static Month month(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    for (Month m : Month.values()) {
      if (m.name().toLowerCase(Locale.ROOT).startsWith(w.length() >= 3 ? w.substring(0, 3) : w)) return m;
    }
    throw new IllegalArgumentException("not a month: " + word);
  }

  static DayOfWeek weekday(String word) {
    String prefix = word.toUpperCase(Locale.ROOT).substring(0, 3);
    for (DayOfWeek d : DayOfWeek.values()) if (d.name().startsWith(prefix)) return d;
    throw new IllegalArgumentException("not a weekday: " + word);
  }

  /** First month of a season (northern hemisphere); winter starts in December. */
  static int seasonStartMonth(String word) {
    return switch (word.toLowerCase(Locale.ROOT)) {
      case "spring" -> 3;
      case "summer" -> 6;
      case "fall", "autumn" -> 9;
      case "winter" -> 12;
      default -> throw new IllegalArgumentException("not a season: " + word);
    };
  }

  static OptionalInt number(String word) {
    String w = word.toLowerCase(Locale.ROOT);
    if (w.chars().allMatch(Character::isDigit)) return OptionalInt.of(Integer.parseInt(w));
    Integer n = NUMBERS.get(w);
    return n == null ? OptionalInt.empty() : OptionalInt.of(n);
  }
}
