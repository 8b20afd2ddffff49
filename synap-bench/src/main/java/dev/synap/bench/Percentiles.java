package dev.synap.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** Latency samples in milliseconds and their p50/p95/p99 (nearest rank). */
public final class Percentiles {
  private double[] values = new double[1024];
  private int size;

  /** The percentiles of samples collected elsewhere. */
  public static Percentiles of(java.util.List<Double> millis) {
    Percentiles p = new Percentiles();
    for (double m : millis) p.add(m);
    return p;
  }

  public synchronized void add(double millis) {
    if (size == values.length) values = Arrays.copyOf(values, size * 2);
    values[size++] = millis;
  }

  /** A copy of the samples, in the order they were added. */
  public synchronized double[] values() {
    return Arrays.copyOf(values, size);
  }

  public synchronized int count() {
    return size;
  }

  public synchronized double percentile(double p) {
    if (size == 0) return Double.NaN;
    double[] sorted = Arrays.copyOf(values, size);
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * size);
    return sorted[Math.max(0, Math.min(size - 1, rank - 1))];
  }

  public double p50() {
    return percentile(50);
  }

  public double p95() {
    return percentile(95);
  }

  public double p99() {
    return percentile(99);
  }

  public int samples() {
    return count();
  }

  /** Same as {@link #summary()}. */
  public Map<String, Object> json() {
    return summary();
  }

  /** {@code {"p50":..,"p95":..,"p99":..,"n":..}} rounded to microseconds. */
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("p50", round(percentile(50)));
    m.put("p95", round(percentile(95)));
    m.put("p99", round(percentile(99)));
    m.put("n", count());
    return m;
  }

  public static double round(double v) {
    return Math.round(v * 1000.0) / 1000.0;
  }
}
