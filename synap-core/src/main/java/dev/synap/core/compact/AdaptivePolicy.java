package dev.synap.core.compact;

import java.util.List;

/**
 * Chooses a strategy for {@link Strategy#ADAPTIVE} from the conversation's length, density and
 * repetition:
 *
 * <ol>
 *   <li>up to {@value #SHORT} tokens: conservative (little to gain, every line matters);
 *   <li>repetition (share of sentences that are fillers or near-duplicates of an earlier one)
 *       of at least {@value #REPETITIVE}: aggressive;
 *   <li>more than {@value #LONG} tokens with density (share of sentences naming someone or
 *       stating a number or date, or whose turn produced a memory) under {@value #DENSE}:
 *       aggressive;
 *   <li>density of at least {@value #DENSE} and at most {@value #MEDIUM} tokens: conservative;
 *   <li>otherwise balanced.
 * </ol>
 */
final class AdaptivePolicy {
  static final int SHORT = 400;
  static final int MEDIUM = 4_000;
  static final int LONG = 12_000;
  static final double REPETITIVE = 0.3;
  static final double DENSE = 0.6;
  private static final int DUPLICATE_WINDOW = 200;

  private AdaptivePolicy() {}

  static Strategy choose(Transcript t) {
    int tokens = t.originalTokens();
    if (tokens <= SHORT) return Strategy.CONSERVATIVE;
    double repetition = repetition(t.sentences());
    double density = density(t.sentences());
    if (repetition >= REPETITIVE) return Strategy.AGGRESSIVE;
    if (tokens > LONG && density < DENSE) return Strategy.AGGRESSIVE;
    if (density >= DENSE && tokens <= MEDIUM) return Strategy.CONSERVATIVE;
    return Strategy.BALANCED;
  }

  static double density(List<Sentence> sentences) {
    if (sentences.isEmpty()) return 0;
    long dense = sentences.stream().filter(s -> !s.keyTerms().isEmpty() || s.memoryWeight() > 0).count();
    return (double) dense / sentences.size();
  }

  /** Compared with the previous {@value #DUPLICATE_WINDOW} sentences only, to stay linear. */
  static double repetition(List<Sentence> sentences) {
    if (sentences.isEmpty()) return 0;
    int repeated = 0;
    for (int i = 0; i < sentences.size(); i++) {
      Sentence s = sentences.get(i);
      boolean dup = s.filler() || s.terms().isEmpty();
      for (int j = Math.max(0, i - DUPLICATE_WINDOW); j < i && !dup; j++) {
        dup = TextFeatures.jaccard(s.terms(), sentences.get(j).terms()) >= ExtractiveSummarizer.DUPLICATE;
      }
      if (dup) repeated++;
    }
    return (double) repeated / sentences.size();
  }
}
