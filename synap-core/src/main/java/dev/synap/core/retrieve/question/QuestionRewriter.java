package dev.synap.core.retrieve.question;

import java.util.Optional;

/** Rewrites a question into a better plan (an LLM, in accurate mode); empty means "use the offline plan". */
public interface QuestionRewriter {
  /**
   * @param offline the rules' plan for the same question (its period is kept when the rewrite names none)
   * @return the rewritten plan, or empty when there is none to trust
   */
  Optional<QuestionPlan> rewrite(String question, QuestionPlan offline);
}
