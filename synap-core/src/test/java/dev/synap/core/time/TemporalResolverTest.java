package dev.synap.core.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TemporalResolverTest {
  /** Monday 8 May 2023, the date of LoCoMo conv-26 session 1. */
  private static final LocalDate MONDAY_8_MAY_2023 = LocalDate.of(2023, 5, 8);
  private final TemporalResolver resolver = new TemporalResolver();

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      I went to a support group yesterday                | 2023-05-07 | 2023-05-07 | day
      the day before yesterday we hiked                 | 2023-05-06 | 2023-05-06 | day
      we're meeting tomorrow                            | 2023-05-09 | 2023-05-09 | day
      I ran a charity race last Saturday                | 2023-05-06 | 2023-05-06 | day
      last Tuesday was rough                            | 2023-05-02 | 2023-05-02 | day
      Last Fri I took the kids out                      | 2023-05-05 | 2023-05-05 | day
      I'll see her next Friday                          | 2023-05-12 | 2023-05-12 | day
      I'll call on Friday                               | 2023-05-12 | 2023-05-12 | day
      I called on Friday                                | 2023-05-05 | 2023-05-05 | day
      we moved two weeks ago                            | 2023-04-24 | 2023-04-30 | week
      it happened 3 days ago                            | 2023-05-05 | 2023-05-05 | day
      a few months ago I started                        | 2023-02-01 | 2023-02-28 | month
      a couple of years ago                             | 2021-01-01 | 2021-12-31 | year
      last week was busy                                | 2023-05-01 | 2023-05-07 | week
      next month we fly                                 | 2023-06-01 | 2023-06-30 | month
      last year I painted a lake                        | 2022-01-01 | 2022-12-31 | year
      I graduated in 2022                               | 2022-01-01 | 2022-12-31 | year
      we camped last summer                             | 2022-06-01 | 2022-08-31 | season
      we'll camp this summer                            | 2023-06-01 | 2023-08-31 | season
      last winter was cold                              | 2022-12-01 | 2023-02-28 | season
      we're going camping this weekend                  | 2023-05-13 | 2023-05-14 | week
      last weekend we went camping                      | 2023-05-06 | 2023-05-07 | week
      my birthday is on May 7, 2023                     | 2023-05-07 | 2023-05-07 | day
      she arrived on 7 May 2023                         | 2023-05-07 | 2023-05-07 | day
      the 7th of May was fun                            | 2023-05-07 | 2023-05-07 | day
      the party was on 7 May                            | 2023-05-07 | 2023-05-07 | day
      the party was on May 20                           | 2022-05-20 | 2022-05-20 | day
      the party will be on May 20                       | 2023-05-20 | 2023-05-20 | day
      we met in March                                   | 2023-03-01 | 2023-03-31 | month
      we met in June                                    | 2022-06-01 | 2022-06-30 | month
      I will start in June                              | 2023-06-01 | 2023-06-30 | month
      started in January 2021                           | 2021-01-01 | 2021-01-31 | month
      on 2023-04-01 I began                             | 2023-04-01 | 2023-04-01 | day
      earlier this year I quit                          | 2023-01-01 | 2023-12-31 | year
      in two weeks I travel                             | 2023-05-22 | 2023-05-28 | week
      I'm so tired today                                | 2023-05-08 | 2023-05-08 | day
      """)
  void resolvesAgainstTheMessageDate(String text, String start, String end, String granularity) {
    TimeSpan span = resolver.resolve(text, MONDAY_8_MAY_2023).orElseThrow();
    assertThat(span.start()).hasToString(start);
    assertThat(span.end()).hasToString(end);
    assertThat(span.granularity().wireName()).isEqualTo(granularity);
  }

  @Test
  void textWithoutTimeExpressionsResolvesToNothing() {
    assertThat(resolver.resolve("I love hiking with my dog", MONDAY_8_MAY_2023)).isEmpty();
    assertThat(resolver.resolve("I may go, it's a march for rights", MONDAY_8_MAY_2023)).isEmpty();
    assertThat(resolver.resolve("", MONDAY_8_MAY_2023)).isEmpty();
  }

  @Test
  void impossibleDatesAreIgnored() {
    assertThat(resolver.resolve("on February 31, 2023", MONDAY_8_MAY_2023)).isEmpty();
  }

  @Test
  void longestExpressionWinsWhenTheyOverlap() {
    TimeSpan span = resolver.resolve("back on May 7, 2023 we met", MONDAY_8_MAY_2023).orElseThrow();
    assertThat(span.expression()).isEqualTo("may 7, 2023");
  }

  @Test
  void findsSeveralExpressionsInOrder() {
    var all = resolver.resolveAll("Yesterday I booked flights for next month", MONDAY_8_MAY_2023);
    assertThat(all).extracting(TimeSpan::granularity).containsExactly(Granularity.DAY, Granularity.MONTH);
  }

  @Test
  void lastSummerAfterTheSummerEndsIsThatSummer() {
    TimeSpan span = resolver.resolve("last summer we swam", LocalDate.of(2023, 9, 15)).orElseThrow();
    assertThat(span.start()).isEqualTo(LocalDate.of(2023, 6, 1));
  }

  @Test
  void lastWeekendSaidOnSundayIsThePreviousWeekend() {
    TimeSpan span = resolver.resolve("last weekend", LocalDate.of(2023, 5, 14)).orElseThrow();
    assertThat(span.start()).isEqualTo(LocalDate.of(2023, 5, 6));
  }
}
