package dev.synap.bench.locomo;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Nearest-rank percentiles of latency samples, in milliseconds. */
public record Percentiles(double p50, double p95, double p99, int samples) {

  public static Percentiles of(List<Double> millis) {
    if (millis.isEmpty()) return new Percentiles(0, 0, 0, 0);
    double[] v = millis.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(v);
    return new Percentiles(rank(v, 0.50), rank(v, 0.95), rank(v, 0.99), v.length);
  }

  private static double rank(double[] sorted, double p) {
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.clamp(i, 0, sorted.length - 1)];
  }

  public Map<String, Object> json() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("p50", Math.round(p50 * 100) / 100.0);
    m.put("p95", Math.round(p95 * 100) / 100.0);
    m.put("p99", Math.round(p99 * 100) / 100.0);
    m.put("samples", samples);
    return m;
  }
}
