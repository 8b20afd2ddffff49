package dev.synap.core.retrieve.rank;

import java.util.List;

/**
 * Trains a {@link LearnedRanker}: RankNet's pairwise logistic loss (Burges et al., 2005) on a
 * linear model, by full-batch gradient descent from the hand-set fusion (all weight on
 * {@code fused}), so that training can only move away from it where the pairs say so. Each
 * question weighs the same, whatever its number of pairs; L2 keeps weights small where features are
 * rare. Then Platt scaling fits {@code scale} and {@code bias} so that the score reads as a
 * probability of holding evidence. Deterministic: same groups, same model.
 */
public final class PairwiseTrainer {
  /**
   * One question's head: each candidate's features and whether it holds evidence.
   */
  public record Group(List<double[]> features, List<Boolean> relevant) {}

  private final int epochs;
  private final double learningRate;
  private final double l2;

  public PairwiseTrainer(int epochs, double learningRate, double l2) {
    this.epochs = epochs;
    this.learningRate = learningRate;
    this.l2 = l2;
  }

  public LearnedRanker train(List<Group> groups, int head) {
    int dims = RankFeatures.NAMES.size();
    double[] w = new double[dims];
    w[RankFeatures.NAMES.indexOf("fused")] = 1;
    int used = 0;
    for (Group g : groups) if (g.relevant().contains(true) && g.relevant().contains(false)) used++;
    if (used == 0) throw new IllegalArgumentException("no question has both a relevant and an irrelevant candidate");
    for (int epoch = 0; epoch < epochs; epoch++) {
      double[] grad = new double[dims];
      for (Group g : groups) addGradient(g, w, grad, used);
      for (int i = 1; i < dims; i++) w[i] -= learningRate * (grad[i] + l2 * w[i]); // bias (0) cancels in pairs
    }
    double[] platt = calibrate(groups, w);
    return new LearnedRanker(RankFeatures.NAMES, w, platt[0], platt[1], head);
  }

  private static void addGradient(Group g, double[] w, double[] grad, int groups) {
    List<double[]> x = g.features();
    int pairs = 0;
    for (int p = 0; p < x.size(); p++) {
      if (!g.relevant().get(p)) continue;
      for (int n = 0; n < x.size(); n++) if (!g.relevant().get(n)) pairs++;
    }
    if (pairs == 0) return;
    double[] s = new double[x.size()];
    for (int i = 0; i < s.length; i++) s[i] = dot(w, x.get(i));
    for (int p = 0; p < x.size(); p++) {
      if (!g.relevant().get(p)) continue;
      for (int n = 0; n < x.size(); n++) {
        if (g.relevant().get(n)) continue;
        // d/dw log(1 + exp(-(s_p - s_n))) = -sigmoid(-(s_p - s_n)) * (x_p - x_n)
        double c = 1 / (1 + Math.exp(s[p] - s[n])) / pairs / groups;
        double[] xp = x.get(p);
        double[] xn = x.get(n);
        for (int i = 0; i < w.length; i++) grad[i] -= c * (xp[i] - xn[i]);
      }
    }
  }

  /**
   * Fits {@code sigmoid(a * s + b)} to the labels by Newton's method on the log loss, with Platt's
   * softened targets ({@code (N+ + 1) / (N+ + 2)} and {@code 1 / (N- + 2)}): on separable data
   * hard targets drive {@code a} to infinity.
   */
  private static double[] calibrate(List<Group> groups, double[] w) {
    int positives = 0, negatives = 0;
    for (Group g : groups) for (boolean r : g.relevant()) if (r) positives++; else negatives++;
    double high = (positives + 1.0) / (positives + 2.0);
    double low = 1.0 / (negatives + 2.0);
    List<double[]> points = new java.util.ArrayList<>(); // {score, target}
    for (Group g : groups) for (int i = 0; i < g.features().size(); i++) points.add(new double[] {dot(w, g.features().get(i)), g.relevant().get(i) ? high : low});
    double a = 1;
    double b = 0;
    for (int iter = 0; iter < 100; iter++) {
      double ga = 0, gb = 0, haa = 1e-6, hab = 0, hbb = 1e-6;
      for (double[] pt : points) {
        double p = sigmoid(a * pt[0] + b);
        ga += (p - pt[1]) * pt[0];
        gb += p - pt[1];
        double h = p * (1 - p);
        haa += h * pt[0] * pt[0];
        hab += h * pt[0];
        hbb += h;
      }
      double det = haa * hbb - hab * hab;
      if (det <= 0) break;
      double da = (hbb * ga - hab * gb) / det;
      double db = (haa * gb - hab * ga) / det;
      // Backtracking: a full Newton step can overshoot into the flat tails of the sigmoid.
      double before = logLoss(points, a, b);
      double step = 1;
      while (step > 1e-4 && logLoss(points, a - step * da, b - step * db) > before) step /= 2;
      if (step <= 1e-4) break;
      a -= step * da;
      b -= step * db;
    }
    return new double[] {Math.max(1e-3, a), b}; // a positive scale keeps the order the weights give
  }

  private static double logLoss(List<double[]> points, double a, double b) {
    double loss = 0;
    for (double[] pt : points) {
      double z = a * pt[0] + b;
      // log(1 + e^z) - y z, written to stay finite for large |z|
      loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - pt[1] * z;
    }
    return loss;
  }

  private static double sigmoid(double z) {
    return 1 / (1 + Math.exp(-z));
  }

  static double dot(double[] w, double[] x) {
    double s = 0;
    for (int i = 0; i < w.length; i++) s += w[i] * x[i];
    return s;
  }
}
