package dev.synap.core.compact;

import dev.synap.core.retrieve.Tokens;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The offline default: picks whole sentences of the conversation, never rewrites them.
 *
 * <p>Selection is budgeted maximum coverage, solved greedily (lazy greedy; the gain is
 * submodular, so a stale score is an upper bound), over sentences with at least two content
 * words. A sentence's gain is the summed weight of the
 * terms it would add that the summary does not cover yet (rarity within the conversation; names,
 * numbers and dates count 1.5x), scaled by its salience: +50 % by the confidence of a memory
 * extracted from its turn, up to +30 % for recency, -40 % for questions; fillers gain nothing.
 * Gain per cost^0.75 decides (a pure per-token ratio would favour one-word sentences). Near-duplicates (content-word Jaccard >= 0.7 with a kept sentence) are
 * dropped outright. When every term is covered and budget remains, the most salient remaining
 * non-duplicate sentences fill it, so a conservative target is not undershot for no reason.
 */
final class ExtractiveSummarizer implements Summarizer {
  static final double DUPLICATE = 0.7;
  /** Sentences with fewer content words ("Noted.") say too little to spend a line on. */
  static final int MIN_TERMS = 2;
  /** Gain per cost^0.75 rather than per token: plain ratios favour tiny sentences with one rare word. */
  static final double COST_EXPONENT = 0.75;

  private record Candidate(Sentence sentence, double score, double cost) {}

  @Override
  public SummaryDraft summarize(Transcript t, int targetTokens) {
    List<Sentence> all = t.sentences().stream().filter(s -> !s.filler() && s.terms().size() >= MIN_TERMS).toList();
    Set<String> covered = new HashSet<>();
    List<Sentence> kept = new ArrayList<>();
    double used = 0;
    int last = Math.max(1, t.sentences().size() - 1);
    PriorityQueue<Candidate> queue = new PriorityQueue<>(Comparator.comparingDouble(Candidate::score).reversed());
    for (Sentence s : all) queue.add(new Candidate(s, gain(t, s, covered, last) / scaled(cost(s)), cost(s)));
    while (!queue.isEmpty()) {
      Candidate c = queue.poll();
      double fresh = gain(t, c.sentence(), covered, last) / scaled(c.cost());
      if (fresh <= 0) continue;
      if (!queue.isEmpty() && fresh < queue.peek().score()) {
        queue.add(new Candidate(c.sentence(), fresh, c.cost()));
        continue;
      }
      if (used + c.cost() > targetTokens || duplicate(c.sentence(), kept)) continue;
      kept.add(c.sentence());
      covered.addAll(c.sentence().terms());
      used += c.cost();
    }
    fill(all, kept, used, targetTokens, last);
    String text = trimToBudget(kept, targetTokens);
    return new SummaryDraft(text, List.copyOf(kept), "extractive");
  }

  /** Second pass: salient sentences that add no new term, while the budget lasts. */
  private static void fill(List<Sentence> all, List<Sentence> kept, double used, int target, int last) {
    Set<Sentence> chosen = new HashSet<>(kept);
    List<Sentence> rest = new ArrayList<>(all.stream().filter(s -> !chosen.contains(s)).toList());
    rest.sort(Comparator.comparingDouble((Sentence s) -> salience(s, last) * (1 + s.keyTerms().size())).reversed());
    for (Sentence s : rest) {
      double cost = cost(s);
      if (used + cost > target || duplicate(s, kept)) continue;
      kept.add(s);
      used += cost;
    }
  }

  /** Date lines and joined turns change the count a little: drop the weakest picks until it fits. */
  private static String trimToBudget(List<Sentence> kept, int target) {
    String text = SummaryLayout.render(kept);
    while (Tokens.estimate(text) > target && !kept.isEmpty()) {
      kept.removeLast();
      text = SummaryLayout.render(kept);
    }
    return text;
  }

  static double gain(Transcript t, Sentence s, Set<String> covered, int last) {
    if (s.filler()) return 0;
    double g = 0;
    for (String term : s.terms()) if (!covered.contains(term)) g += t.weight(term, s);
    return g * salience(s, last);
  }

  static double salience(Sentence s, int last) {
    double f = 1 + 0.5 * s.memoryWeight() + 0.3 * s.index() / last;
    return s.question() ? f * 0.6 : f;
  }

  private static double scaled(double cost) {
    return Math.pow(cost, COST_EXPONENT);
  }

  /** Tokens the sentence adds to the rendered summary ("- " + line + newline), as a fraction. */
  private static double cost(Sentence s) {
    return (s.line().length() + 3) / 4.0;
  }

  private static boolean duplicate(Sentence s, List<Sentence> kept) {
    for (Sentence k : kept) if (TextFeatures.jaccard(s.terms(), k.terms()) >= DUPLICATE) return true;
    return false;
  }
}
