package dev.synap.core.retrieve.question;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.retrieve.question.QuestionPlan.Shape;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/** The rules that read a question: its parts, its shape, and a period named relative to something. */
class QuestionPlannerTest {
  private static final LocalDate TODAY = LocalDate.of(2024, 3, 1);
  private final QuestionPlanner planner = new QuestionPlanner();

  @Test
  void twoPeopleBecomeOneSubQueryEach() {
    assertThat(planner.plan("What do Jon and Gina both like to cook?", TODAY).subQueries())
        .containsExactly("What do Jon like to cook?", "What do Gina like to cook?");
    assertThat(planner.plan("Who is Tim and John's favorite basketball player?", TODAY).subQueries())
        .containsExactly("Who is Tim's favorite basketball player?", "Who is John's favorite basketball player?");
  }

  @Test
  void aGroupDoingOneThingIsNotSplit() {
    assertThat(planner.plan("What did Mel and her kids make?", TODAY).subQueries()).isEmpty();
    assertThat(planner.plan("When did Caroline meet up with her friends, family, and mentors?", TODAY).subQueries()).isEmpty();
  }

  @Test
  void choicesClausesAndSpansAreSplit() {
    assertThat(planner.plan("Would Melanie prefer a national park or a theme park?", TODAY).subQueries())
        .containsExactly("Would Melanie prefer a national park?", "Would Melanie prefer a theme park?");
    assertThat(planner.plan("What schools did John play in and how many years was he with his team?", TODAY).subQueries())
        .containsExactly("What schools did John play in?", "how many years was he with his team?");
    QuestionPlan between = planner.plan("How many weeks passed between Maria adopting Coco and Shadow?", TODAY);
    assertThat(between.subQueries()).containsExactly("Maria adopting Coco", "Maria adopting Shadow");
    assertThat(between.shape()).isEqualTo(Shape.DURATION);
  }

  @Test
  void shapes() {
    assertThat(planner.plan("How many times has Melanie gone to the beach?", TODAY).shape()).isEqualTo(Shape.COUNT);
    assertThat(planner.plan("How often does Audrey meet other dog owners?", TODAY).shape()).isEqualTo(Shape.COUNT);
    assertThat(planner.plan("How long has Caroline had her friends?", TODAY).shape()).isEqualTo(Shape.DURATION);
    assertThat(planner.plan("When did Caroline go to the support group?", TODAY).shape()).isEqualTo(Shape.WHEN);
    assertThat(planner.plan("How many children does Melanie have?", TODAY).shape()).isEqualTo(Shape.ANSWER);
    assertThat(planner.plan("What is Caroline's identity?", TODAY).isPlain()).isTrue();
  }

  @Test
  void periodsRelativeToADate() {
    RelativeTime t = planner.plan("What did John do the week before August 3, 2023 involving his kids?", TODAY).time().orElseThrow();
    assertThat(t.anchorDate()).isEqualTo(LocalDate.of(2023, 8, 3));
    assertThat(t.fixedWindow().orElseThrow().contains(LocalDate.of(2023, 7, 27).toEpochDay())).isTrue();
    assertThat(t.fixedWindow().orElseThrow().contains(LocalDate.of(2023, 8, 3).toEpochDay())).isTrue();
    assertThat(t.fixedWindow().orElseThrow().contains(LocalDate.of(2023, 8, 4).toEpochDay())).isFalse();
    RelativeTime after = planner.plan("What did they plan to do on the Saturday after October 28, 2023?", TODAY).time().orElseThrow();
    assertThat(after.daysBefore()).isZero();
    assertThat(after.daysAfter()).isEqualTo(7);
    RelativeTime twoDays = planner.plan("Where was she two days after 4th October, 2023?", TODAY).time().orElseThrow();
    assertThat(twoDays.fixedWindow().orElseThrow()).isEqualTo(new dev.synap.core.retrieve.TemporalRange(
        LocalDate.of(2023, 10, 4).toEpochDay(), LocalDate.of(2023, 10, 7).toEpochDay()));
  }

  @Test
  void periodsRelativeToToday() {
    RelativeTime summer = planner.plan("What did John and Max enjoy together last summer?", TODAY).time().orElseThrow();
    assertThat(summer.fixedWindow().orElseThrow()).isEqualTo(new dev.synap.core.retrieve.TemporalRange(
        LocalDate.of(2023, 6, 1).toEpochDay(), LocalDate.of(2023, 8, 31).toEpochDay()));
    RelativeTime ago = planner.plan("Where did she travel two weeks ago?", TODAY).time().orElseThrow();
    assertThat(ago.fixedWindow().orElseThrow().contains(TODAY.minusWeeks(2).toEpochDay())).isTrue();
    assertThat(planner.plan("What did Joanna do in summer 2021?", TODAY).time()).isEmpty(); // the absolute parser's (or nobody's)
  }

  @Test
  void periodsRelativeToAnEventNameTheEventAndThePeople() {
    RelativeTime t = planner.plan("When did Melanie go on a hike after the roadtrip?", TODAY).time().orElseThrow();
    assertThat(t.anchorDate()).isNull();
    assertThat(t.anchorEvent()).isEqualTo("Melanie roadtrip");
    assertThat(t.daysAfter()).isPositive();
    RelativeTime birthday = planner.plan("What did she paint the week before her birthday?", TODAY).time().orElseThrow();
    assertThat(birthday.anchorEvent()).isEqualTo("birthday");
    assertThat(birthday.daysBefore()).isEqualTo(9);
  }
}
