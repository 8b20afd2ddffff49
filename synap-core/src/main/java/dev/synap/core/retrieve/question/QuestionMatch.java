package dev.synap.core.retrieve.question;

/**
 * What the question's plan says about one candidate, for rankers that learn from features.
 *
 * @param subQuery index of the sub-query whose ranking gave the candidate its score, or -1 when
 *     the whole question did (or the question has no parts)
 * @param periodNamed whether the question names a period (absolute or relative)
 * @param temporalMatch 1 inside the period, decaying with the days outside it (half a week: 0.5);
 *     1 when the question names no period
 * @param shape the question's shape
 */
public record QuestionMatch(int subQuery, boolean periodNamed, double temporalMatch, QuestionPlan.Shape shape) {}
