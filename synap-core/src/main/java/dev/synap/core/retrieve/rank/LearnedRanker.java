package dev.synap.core.retrieve.rank;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trained linear scorer over {@link RankFeatures}: {@code relevance = sigmoid(scale * w.x + bias)}.
 * The weights order candidates (they were trained on pairs: which of two candidates of one question
 * holds the evidence); {@code scale} and {@code bias} only calibrate the score into 0..1, so that
 * MMR and the relative floor read it as they read the hand-set blend. A dot product per candidate.
 *
 * @param head how many of the fused head's candidates are re-scored (the rest keep their order, after them)
 */
public record LearnedRanker(List<String> features, double[] weights, double scale, double bias, int head) {
  private static final Logger LOG = LoggerFactory.getLogger(LearnedRanker.class);
  /** The model the build ships, beside this class. */
  public static final String RESOURCE = "ranker.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  public LearnedRanker {
    if (weights.length != features.size()) throw new IllegalArgumentException(weights.length + " weights for " + features.size() + " features");
  }

  public double score(double[] x) {
    double s = 0;
    for (int i = 0; i < weights.length; i++) s += weights[i] * x[i];
    return s;
  }

  /** The calibrated relevance in 0..1, monotone in {@link #score}. */
  public double relevance(double[] x) {
    return 1 / (1 + Math.exp(-(scale * score(x) + bias)));
  }

  private static final class Shipped {
    static final Optional<LearnedRanker> MODEL = load(LearnedRanker.class.getResourceAsStream(RESOURCE), RESOURCE);
  }

  /** The shipped model, read once; empty (and one WARN) when it is missing or does not fit this code's features. */
  public static Optional<LearnedRanker> shipped() {
    return Shipped.MODEL;
  }

  /** Reads a model; empty, with one WARN naming {@code source}, when absent, unreadable or trained on other features. */
  public static Optional<LearnedRanker> load(InputStream in, String source) {
    if (in == null) {
      LOG.warn("learned ranker {} not found; ranking with the hand-set fusion", source);
      return Optional.empty();
    }
    try (in) {
      return Optional.of(parse(JSON.readTree(in)));
    } catch (IOException | RuntimeException e) {
      String why = String.valueOf(e.getMessage()).lines().findFirst().orElse(""); // one line: parser messages go on to quote the source
      LOG.warn("learned ranker {} unusable ({}); ranking with the hand-set fusion", source, why);
      return Optional.empty();
    }
  }

  static LearnedRanker parse(JsonNode n) {
    List<String> names = new ArrayList<>();
    n.required("features").forEach(f -> names.add(f.asText()));
    if (!names.equals(RankFeatures.NAMES)) {
      throw new IllegalArgumentException("trained on features " + names + ", this code computes " + RankFeatures.NAMES);
    }
    JsonNode w = n.required("weights");
    double[] weights = new double[w.size()];
    for (int i = 0; i < weights.length; i++) {
      if (!w.get(i).isNumber() || !Double.isFinite(w.get(i).asDouble())) throw new IllegalArgumentException("weight " + i + " is not a number");
      weights[i] = w.get(i).asDouble();
    }
    int head = n.required("head").asInt();
    if (head < 2) throw new IllegalArgumentException("head " + head);
    return new LearnedRanker(names, weights, n.required("scale").asDouble(), n.required("bias").asDouble(), head);
  }

  /** The model as the resource stores it, with {@code about} (how it was trained) beside it. */
  public Map<String, Object> json(Map<String, Object> about) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("features", features);
    out.put("weights", weights);
    out.put("scale", scale);
    out.put("bias", bias);
    out.put("head", head);
    out.put("trained", about);
    return out;
  }
}
