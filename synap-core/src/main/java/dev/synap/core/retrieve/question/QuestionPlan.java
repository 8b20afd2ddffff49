package dev.synap.core.retrieve.question;

import java.util.List;
import java.util.Optional;

/**
 * What a question asks for, as retrieval needs to know it.
 *
 * @param subQueries parts searched on their own beside the whole question ("What do Jon and Gina both
 *     like?" gives one per person), so that the evidence of the second part is not drowned by the
 *     first's; empty when the question is one part
 * @param shape what kind of answer the question wants
 * @param time a period the question names relative to something else ("the week before her
 *     birthday", "two days after August 3, 2023"), when it does
 * @param origin {@code rules} or {@code llm}: who made the plan
 */
public record QuestionPlan(String question, List<String> subQueries, Shape shape, Optional<RelativeTime> time, String origin) {

  /** The kinds of answer a question can want. */
  public enum Shape {
    /** A fact or an event: the best memory first. */
    ANSWER,
    /** A date ("when did ..."): the best memory first, its date is the answer. */
    WHEN,
    /** A span between events ("how long", "how many weeks passed between"): a time line. */
    DURATION,
    /** Occurrences ("how many times", "how often"): a time line of every one. */
    COUNT,
    /** Several things ("What books has Melanie read?", "Where has she camped?"): as many different turns as fit. */
    LIST;

    /** Whether the answer is read off several memories in date order rather than off the best one. */
    public boolean timeline() {
      return this == DURATION || this == COUNT;
    }

    /** Whether the answer needs several different turns, so the head holds one memory per turn. */
    public boolean spread() {
      return this != ANSWER && this != WHEN;
    }
  }

  public QuestionPlan {
    subQueries = List.copyOf(subQueries);
    time = time == null ? Optional.empty() : time;
  }

  /** The plan that changes nothing: the question searched as it is. */
  public static QuestionPlan plain(String question) {
    return new QuestionPlan(question, List.of(), Shape.ANSWER, Optional.empty(), "rules");
  }

  /** True when this plan would search exactly as a plain one. */
  public boolean isPlain() {
    return subQueries.isEmpty() && shape == Shape.ANSWER && time.isEmpty();
  }
}
