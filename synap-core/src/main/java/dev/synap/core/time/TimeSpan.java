package dev.synap.core.time;

import java.time.LocalDate;

/**
 * A resolved time expression: the inclusive calendar interval it denotes.
 *
 * @param start first day of the interval
 * @param end last day of the interval (inclusive)
 * @param granularity how precise the expression was
 * @param expression the words it was resolved from, as written
 * @param position character offset of the expression in the text
 */
public record TimeSpan(LocalDate start, LocalDate end, Granularity granularity, String expression, int position) {
  public TimeSpan {
    if (end.isBefore(start)) throw new IllegalArgumentException("end before start: " + start + " > " + end);
  }

  public static TimeSpan day(LocalDate d, String expression, int position) {
    return new TimeSpan(d, d, Granularity.DAY, expression, position);
  }

  /** True when the interval ends before {@code anchor}: the text refers to the past. */
  public boolean isBefore(LocalDate anchor) {
    return end.isBefore(anchor);
  }

  /** True when the interval starts after {@code anchor}: the text refers to the future. */
  public boolean isAfter(LocalDate anchor) {
    return start.isAfter(anchor);
  }
}
