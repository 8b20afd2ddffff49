package dev.synap.core.retrieve;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class TemporalRangeTest {
  private static final LocalDate TODAY = LocalDate.of(2024, 3, 13); // a Wednesday

  @Test
  void namedMonthAndYear() {
    TemporalRange r = TemporalRange.parse("What happened in May 2023?", TODAY).orElseThrow();
    assertThat(r.contains(LocalDate.of(2023, 5, 1).toEpochDay())).isTrue();
    assertThat(r.contains(LocalDate.of(2023, 5, 31).toEpochDay())).isTrue();
    assertThat(r.contains(LocalDate.of(2023, 6, 1).toEpochDay())).isFalse();
  }

  @Test
  void relativeToToday() {
    TemporalRange lastYear = TemporalRange.parse("trips last year", TODAY).orElseThrow();
    assertThat(lastYear.contains(LocalDate.of(2023, 7, 1).toEpochDay())).isTrue();
    assertThat(lastYear.contains(LocalDate.of(2024, 1, 1).toEpochDay())).isFalse();
    TemporalRange lastWeek = TemporalRange.parse("what did I eat last week", TODAY).orElseThrow();
    assertThat(lastWeek).isEqualTo(new TemporalRange(LocalDate.of(2024, 3, 4).toEpochDay(), LocalDate.of(2024, 3, 10).toEpochDay()));
  }

  @Test
  void questionsAskingForADateNameNoPeriod() {
    assertThat(TemporalRange.parse("When did Caroline go to the support group?", TODAY)).isEmpty();
  }
}
