package dev.synap.bench.locomo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Running means of the evidence metrics, overall, without category 5, and per category. */
public final class Scorecard {
  public static final int TOKEN_BUDGET = 2000;
  static final int ADVERSARIAL = 5;

  /** Mean metrics over {@code questions} questions. */
  public record Metrics(double recallAt1, double recallAt5, double recallAt10, double recallAtTokens, double mrr, int questions) {
    public Map<String, Object> json() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("recall@1", round(recallAt1));
      m.put("recall@5", round(recallAt5));
      m.put("recall@10", round(recallAt10));
      m.put("recall@" + TOKEN_BUDGET + "tok", round(recallAtTokens));
      m.put("mrr", round(mrr));
      m.put("questions", questions);
      return m;
    }

    private static double round(double v) {
      return Math.round(v * 10_000) / 10_000.0;
    }
  }

  private static final class Sums {
    double r1, r5, r10, rTok, mrr;
    int n;

    Metrics mean() {
      return n == 0 ? new Metrics(0, 0, 0, 0, 0, 0) : new Metrics(r1 / n, r5 / n, r10 / n, rTok / n, mrr / n, n);
    }
  }

  private final Sums overall = new Sums();
  private final Sums noAdversarial = new Sums();
  private final Map<Integer, Sums> byCategory = new TreeMap<>();

  public void add(int category, List<RankedTurns> ranking, Set<String> evidence) {
    double r1 = EvidenceRecall.recallAt(ranking, evidence, 1);
    double r5 = EvidenceRecall.recallAt(ranking, evidence, 5);
    double r10 = EvidenceRecall.recallAt(ranking, evidence, 10);
    double rTok = EvidenceRecall.recallWithinTokens(ranking, evidence, TOKEN_BUDGET);
    double rr = EvidenceRecall.reciprocalRank(ranking, evidence);
    for (Sums s : category == ADVERSARIAL ? List.of(overall, byCategory(category)) : List.of(overall, noAdversarial, byCategory(category))) {
      s.r1 += r1;
      s.r5 += r5;
      s.r10 += r10;
      s.rTok += rTok;
      s.mrr += rr;
      s.n++;
    }
  }

  private Sums byCategory(int category) {
    return byCategory.computeIfAbsent(category, c -> new Sums());
  }

  public Metrics overall() {
    return overall.mean();
  }

  public Metrics overallNoAdversarial() {
    return noAdversarial.mean();
  }

  public Map<Integer, Metrics> byCategory() {
    Map<Integer, Metrics> out = new TreeMap<>();
    byCategory.forEach((c, s) -> out.put(c, s.mean()));
    return out;
  }

  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("overall", overall().json());
    m.put("overall_no_adversarial", overallNoAdversarial().json());
    Map<String, Object> cats = new LinkedHashMap<>();
    byCategory().forEach((c, metrics) -> {
      Map<String, Object> j = metrics.json();
      j.put("name", categoryName(c));
      cats.put(String.valueOf(c), j);
    });
    m.put("by_category", cats);
    return m;
  }

  /** The README's mapping of category numbers (they do not follow the paper's order). */
  public static String categoryName(int category) {
    return switch (category) {
      case 1 -> "multi-hop";
      case 2 -> "temporal";
      case 3 -> "open-domain";
      case 4 -> "single-hop";
      case 5 -> "adversarial";
      default -> "category-" + category;
    };
  }
}
