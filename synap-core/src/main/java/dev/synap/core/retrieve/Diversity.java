package dev.synap.core.retrieve;

import dev.synap.core.embed.Vectors;
import java.util.ArrayList;
import java.util.List;

/**
 * Maximal marginal relevance (Carbonell and Goldstein, 1998): greedily picks the candidate that is
 * relevant and least similar to what was already picked, so ten near-identical memories do not
 * crowd out the second half of a multi-part answer.
 */
final class Diversity {
  private Diversity() {}

  /**
   * @param relevance per candidate, already ranked best first, in 0..1
   * @param vectors unit vectors per candidate (null entries are never penalised)
   * @param lambda 1 = pure relevance, 0 = pure novelty
   * @return candidate indexes in MMR order
   */
  static List<Integer> order(List<Double> relevance, List<float[]> vectors, double lambda) {
    int n = relevance.size();
    List<Integer> picked = new ArrayList<>(n);
    boolean[] used = new boolean[n];
    double[] maxSim = new double[n];
    for (int round = 0; round < n; round++) {
      int best = -1;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (int i = 0; i < n; i++) {
        if (used[i]) continue;
        double s = lambda * relevance.get(i) - (1 - lambda) * maxSim[i];
        if (s > bestScore) {
          bestScore = s;
          best = i;
        }
      }
      used[best] = true;
      picked.add(best);
      float[] v = vectors.get(best);
      if (v == null) continue;
      for (int i = 0; i < n; i++) {
        if (!used[i] && vectors.get(i) != null) maxSim[i] = Math.max(maxSim[i], Vectors.dot(v, vectors.get(i)));
      }
    }
    return picked;
  }
}
