package dev.synap.core.retrieve.question;

import java.time.LocalDate;
import java.util.Optional;

/**
 * Where a search gets its {@link QuestionPlan}: the rules always; in accurate mode, an LLM's
 * rewrite first when one is configured, and the rules' plan, unchanged, whenever it has none
 * (absent, timed out, bad JSON, error). Fast mode never calls a model.
 */
public final class QuestionPlans {
  /** Plans switched off: every question is searched as it is written. */
  public static final QuestionPlans OFF = new QuestionPlans(false, null);

  private final boolean enabled;
  private final QuestionRewriter rewriter;
  private final QuestionPlanner rules = new QuestionPlanner();

  /**
   * @param enabled false: every plan is plain (the ablation of the rules)
   * @param rewriter the LLM path, or null
   */
  public QuestionPlans(boolean enabled, QuestionRewriter rewriter) {
    this.enabled = enabled;
    this.rewriter = rewriter;
  }

  public QuestionPlan plan(String question, boolean accurate, LocalDate today) {
    QuestionPlan offline = enabled ? rules.plan(question, today) : QuestionPlan.plain(question);
    if (!accurate || rewriter == null) return offline;
    return rewriter.rewrite(question, offline).orElse(offline);
  }

  /** The rewriter used in accurate mode, if any. */
  public Optional<QuestionRewriter> rewriter() {
    return Optional.ofNullable(rewriter);
  }
}
