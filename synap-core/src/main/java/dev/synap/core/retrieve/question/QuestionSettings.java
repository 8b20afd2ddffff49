package dev.synap.core.retrieve.question;

import java.time.Duration;

/**
 * Switches for question understanding (each can be turned off for the ablation table).
 *
 * @param plans the rules' plans: sub-queries, relative time, time lines
 * @param llmRewrite in accurate mode, ask the configured LLM to rewrite and decompose the question
 * @param llmTimeout how long a fetch waits for that rewrite before using the rules' plan
 */
public record QuestionSettings(boolean plans, boolean llmRewrite, Duration llmTimeout) {
  public static final QuestionSettings DEFAULT = new QuestionSettings(true, true, Duration.ofMillis(2_000));

  public QuestionSettings withPlans(boolean on) {
    return new QuestionSettings(on, llmRewrite, llmTimeout);
  }

  public QuestionSettings withLlmRewrite(boolean on) {
    return new QuestionSettings(plans, on, llmTimeout);
  }
}
