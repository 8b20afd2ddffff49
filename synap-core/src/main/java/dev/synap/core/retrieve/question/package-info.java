/**
 * Question understanding for retrieval: a {@link dev.synap.core.retrieve.question.QuestionPlan}
 * made from the question's text by rules ({@link dev.synap.core.retrieve.question.QuestionPlanner}),
 * or in accurate mode by an optional LLM ({@link dev.synap.core.retrieve.question.LlmQuestionRewriter}),
 * and applied to one search by {@link dev.synap.core.retrieve.question.PlannedSearch}: sub-queries
 * merged fairly, relative time resolved against the memories' own dates, time lines in date order.
 */
package dev.synap.core.retrieve.question;
