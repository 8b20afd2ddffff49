package dev.synap.bench.locomo;

import dev.synap.bench.Percentiles;
import dev.synap.bench.locomo.Scorecard.Metrics;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The benchmark's numbers as a fixed-width text table. */
final class BenchTable {
  private BenchTable() {}

  static String render(Map<String, Scorecard> ours, Scorecard bm25, Scorecard dense, Map<String, List<Double>> latency) {
    Scorecard head = ours.get(LocomoBench.HEADLINE);
    Scorecard fast = ours.get("fast");
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%-24s %5s | %-31s | %6s | %6s %6s | %6s %6s | %5s %5s%n", "", "", "ours (" + LocomoBench.HEADLINE + ")", "fast",
        "bm25", "dense", "ratio", "ratio", "bm25", "dense"));
    sb.append(String.format("%-24s %5s | %5s %5s %5s %6s %5s | %6s | %6s %6s | %6s %6s | %5s %5s%n", "category", "n", "R@1", "R@5", "R@10",
        "R@2kt", "MRR", "R@10", "R@10", "R@10", "/bm25", "/dense", "R@2kt", "R@2kt"));
    for (int c : head.byCategory().keySet()) {
      line(sb, c + " " + Scorecard.categoryName(c), card -> card.byCategory().get(c), head, fast, bm25, dense);
    }
    line(sb, "overall", Scorecard::overall, head, fast, bm25, dense);
    line(sb, "overall w/o adversarial", Scorecard::overallNoAdversarial, head, fast, bm25, dense);
    sb.append('\n');
    latency.forEach((mode, samples) -> {
      Percentiles p = Percentiles.of(samples);
      sb.append(String.format("fetch latency %-8s p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  (%d fetches)%n", mode, p.p50(), p.p95(), p.p99(), p.samples()));
    });
    return sb.toString();
  }

  private static void line(StringBuilder sb, String label, Function<Scorecard, Metrics> pick, Scorecard head, Scorecard fast, Scorecard bm25,
      Scorecard dense) {
    Metrics o = pick.apply(head);
    Metrics f = pick.apply(fast);
    Metrics b = pick.apply(bm25);
    Metrics d = pick.apply(dense);
    sb.append(String.format("%-24s %5d | %5.3f %5.3f %5.3f %6.3f %5.3f | %6.3f | %6.3f %6.3f | %6.2f %6.2f | %5.3f %5.3f%n", label, o.questions(),
        o.recallAt1(), o.recallAt5(), o.recallAt10(), o.recallAtTokens(), o.mrr(), f.recallAt10(), b.recallAt10(), d.recallAt10(),
        ratio(o.recallAt10(), b.recallAt10()), ratio(o.recallAt10(), d.recallAt10()), b.recallAtTokens(), d.recallAtTokens()));
  }

  private static double ratio(double ours, double baseline) {
    return baseline == 0 ? Double.NaN : ours / baseline;
  }
}
