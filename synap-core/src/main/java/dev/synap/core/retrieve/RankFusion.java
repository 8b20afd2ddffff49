package dev.synap.core.retrieve;

import dev.synap.core.retrieve.lucene.Hit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuses ranked lists from several signals into one, with scores in 0..1.
 *
 * <ul>
 *   <li>{@link Method#RRF}, reciprocal rank fusion (Cormack et al., 2009): each list gives a
 *       document {@code weight / (k + rank)}. It needs no score calibration, but it ignores how far
 *       apart the scores are: a dense list ranks every document, however unrelated, so in a small
 *       collection a weak lexical match plus mediocre dense ranks can beat a strong dense-only match.
 *   <li>{@link Method#MIN_MAX}: each list's scores are scaled to 0..1 between its worst and best hit
 *       and the fused score is their weighted mean, so score gaps survive fusion.
 * </ul>
 */
public final class RankFusion {
  public static final int K = 60;

  public enum Method {
    RRF,
    MIN_MAX
  }

  /** A ranked list from one signal and how much it counts. */
  public record Ranking(String source, List<Hit> hits, double weight) {}

  /**
   * @param source the ranking that placed the doc highest
   * @param similarity the best dense score seen for the doc (0 if no dense list found it)
   */
  public record Fused(int doc, double score, String source, double similarity) {}

  private RankFusion() {}

  public static List<Fused> fuse(List<Ranking> rankings, Method method) {
    double best = 0;
    for (Ranking r : rankings) best += method == Method.RRF ? r.weight() / (K + 1) : r.weight();
    Map<Integer, double[]> acc = new HashMap<>(); // doc -> {score, best contribution, similarity}
    Map<Integer, String> sources = new HashMap<>();
    for (Ranking r : rankings) {
      boolean dense = "vector".equals(r.source());
      double max = r.hits().stream().mapToDouble(Hit::score).max().orElse(0);
      double min = r.hits().stream().mapToDouble(Hit::score).min().orElse(0);
      for (int rank = 0; rank < r.hits().size(); rank++) {
        Hit h = r.hits().get(rank);
        double c = switch (method) {
          case RRF -> r.weight() / (K + rank + 1);
          case MIN_MAX -> r.weight() * (max == min ? 1 : (h.score() - min) / (max - min));
        };
        double[] a = acc.computeIfAbsent(h.doc(), d -> new double[3]);
        a[0] += c;
        if (c > a[1] || !sources.containsKey(h.doc())) {
          a[1] = c;
          sources.put(h.doc(), r.source());
        }
        if (dense) a[2] = Math.max(a[2], h.score());
      }
    }
    List<Fused> out = new ArrayList<>(acc.size());
    double norm = best;
    acc.forEach((doc, a) -> out.add(new Fused(doc, norm == 0 ? 0 : Math.min(1, a[0] / norm), sources.get(doc), a[2])));
    out.sort(Comparator.comparingDouble(Fused::score).reversed().thenComparingInt(Fused::doc));
    return out;
  }
}
