package dev.synap.bench.locomo;

import dev.synap.core.retrieve.Tokens;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Evidence recall as the LoCoMo README defines it, over DISTINCT dialog turns: the ranked items
 * are unrolled into turns in rank order (an item citing several turns gives them in its own
 * order), repeats are skipped, and the first k turns are compared with the evidence.
 */
public final class EvidenceRecall {
  private EvidenceRecall() {}

  /** The first {@code k} distinct turns behind the ranking. */
  public static List<String> firstTurns(List<RankedTurns> ranking, int k) {
    Set<String> seen = new LinkedHashSet<>();
    for (RankedTurns item : ranking) {
      for (String t : item.turns()) {
        if (seen.size() >= k) return List.copyOf(seen);
        seen.add(t);
      }
    }
    return new ArrayList<>(seen);
  }

  /** |E ∩ T_k| / |E|. */
  public static double recallAt(List<RankedTurns> ranking, Set<String> evidence, int k) {
    return share(firstTurns(ranking, k), evidence);
  }

  /** 1 / (position of the first evidence turn among the distinct turns), 0 if none was retrieved. */
  public static double reciprocalRank(List<RankedTurns> ranking, Set<String> evidence) {
    List<String> turns = firstTurns(ranking, Integer.MAX_VALUE);
    for (int i = 0; i < turns.size(); i++) if (evidence.contains(turns.get(i))) return 1.0 / (i + 1);
    return 0;
  }

  /** Recall over the turns behind the items that fit, in rank order, into a context of {@code budget} tokens. */
  public static double recallWithinTokens(List<RankedTurns> ranking, Set<String> evidence, int budget) {
    Set<String> turns = new LinkedHashSet<>();
    int used = 0;
    for (RankedTurns item : ranking) {
      int cost = Tokens.estimate(item.contextLine());
      if (used + cost > budget) break;
      used += cost;
      turns.addAll(item.turns());
    }
    return share(turns, evidence);
  }

  private static double share(java.util.Collection<String> turns, Set<String> evidence) {
    if (evidence.isEmpty()) return 0;
    int hit = 0;
    for (String e : evidence) if (turns.contains(e)) hit++;
    return (double) hit / evidence.size();
  }
}
