package dev.synap.core.retrieve.question;

import dev.synap.core.retrieve.TemporalRange;
import java.time.LocalDate;
import java.util.Optional;

/**
 * A period named relative to an anchor: a date written in the question ("the week before August 3,
 * 2023") or an event the memories hold ("the week before her birthday", "after the road trip").
 * Exactly one of {@code anchorDate} and {@code anchorEvent} is set.
 *
 * <p>The window always includes the anchor day itself, and is wider than the words by a couple of
 * days: a memory is dated by the event it describes when the turn says when ("last Friday"),
 * otherwise by the day it was said, which for "the week before X" is usually X.
 *
 * @param anchorEvent words to find the anchor event with (with the question's names), or null
 * @param daysBefore how many days before the anchor the window starts (0 for "after")
 * @param daysAfter how many days after the anchor it ends (0 for "before")
 * @param expression the words of the question it was read from
 */
public record RelativeTime(LocalDate anchorDate, String anchorEvent, int daysBefore, int daysAfter, String expression) {

  public RelativeTime {
    if ((anchorDate == null) == (anchorEvent == null)) throw new IllegalArgumentException("one anchor: a date or an event");
  }

  /** The window around an anchor day (epoch day). */
  public TemporalRange window(long anchorDay) {
    return new TemporalRange(anchorDay - daysBefore, anchorDay + daysAfter);
  }

  /** The window, when the anchor is a date. */
  public Optional<TemporalRange> fixedWindow() {
    return anchorDate == null ? Optional.empty() : Optional.of(window(anchorDate.toEpochDay()));
  }
}
