package dev.synap.core.retrieve;

import dev.synap.core.retrieve.lucene.Hit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal rank fusion (Cormack et al., 2009): each ranked list gives a document
 * {@code weight / (k + rank)}. It needs no score calibration between BM25 (unbounded) and cosine
 * (bounded), which is why it is the default way to fuse them. Fused scores are divided by the
 * best possible score, so they lie in 0..1.
 */
public final class RankFusion {
  public static final int K = 60;

  /** A ranked list from one signal and how much it counts. */
  public record Ranking(String source, List<Hit> hits, double weight) {}

  /**
   * @param source the ranking that placed the doc highest
   * @param similarity the best dense score seen for the doc (0 if no dense list found it)
   */
  public record Fused(int doc, double score, String source, double similarity) {}

  private RankFusion() {}

  public static List<Fused> fuse(List<Ranking> rankings) {
    double best = 0;
    for (Ranking r : rankings) best += r.weight() / (K + 1);
    Map<Integer, double[]> acc = new HashMap<>(); // doc -> {score, best contribution, similarity}
    Map<Integer, String> sources = new HashMap<>();
    for (Ranking r : rankings) {
      boolean dense = "vector".equals(r.source());
      for (int rank = 0; rank < r.hits().size(); rank++) {
        Hit h = r.hits().get(rank);
        double c = r.weight() / (K + rank + 1);
        double[] a = acc.computeIfAbsent(h.doc(), d -> new double[3]);
        a[0] += c;
        if (c > a[1]) {
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
