package dev.synap.core.analytics;

import java.util.Arrays;

/**
 * Latencies in logarithmic bins (each 10 % wider than the last, from 0.1 ms to about 20 min), so
 * minute histograms merge exactly into hour and day ones and a percentile is read back within
 * 10 %. Kept as a plain {@code long[]}: the store writes it as a compact string.
 */
public final class LatencyHistogram {
  static final int BINS = 170;
  private static final double BASE_MS = 0.1;
  private static final double GROWTH = 1.1;
  private final long[] counts;

  public LatencyHistogram() {
    this(new long[BINS]);
  }

  private LatencyHistogram(long[] counts) {
    this.counts = counts;
  }

  static int bin(double ms) {
    if (ms <= BASE_MS) return 0;
    int b = (int) Math.ceil(Math.log(ms / BASE_MS) / Math.log(GROWTH));
    return Math.min(BINS - 1, Math.max(0, b));
  }

  /** The upper edge of a bin, reported as the percentile (never understates a latency). */
  static double upper(int bin) {
    return BASE_MS * Math.pow(GROWTH, bin);
  }

  public void add(double ms) {
    counts[bin(ms)]++;
  }

  public void merge(LatencyHistogram other) {
    for (int i = 0; i < BINS; i++) counts[i] += other.counts[i];
  }

  public long total() {
    return Arrays.stream(counts).sum();
  }

  /** The q-quantile in ms (0 < q <= 1), or null with no sample. */
  public Double quantile(double q) {
    long total = total();
    if (total == 0) return null;
    long rank = (long) Math.ceil(q * total);
    long seen = 0;
    for (int i = 0; i < BINS; i++) {
      seen += counts[i];
      if (seen >= rank) return Math.round(upper(i) * 100) / 100.0;
    }
    return upper(BINS - 1);
  }

  /** {@code bin:count} pairs of the non-empty bins, comma-separated. */
  public String encode() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < BINS; i++) {
      if (counts[i] == 0) continue;
      if (!sb.isEmpty()) sb.append(',');
      sb.append(i).append(':').append(counts[i]);
    }
    return sb.toString();
  }

  public static LatencyHistogram decode(String s) {
    long[] counts = new long[BINS];
    if (s != null && !s.isBlank()) {
      for (String pair : s.split(",")) {
        int colon = pair.indexOf(':');
        counts[Integer.parseInt(pair.substring(0, colon))] += Long.parseLong(pair.substring(colon + 1));
      }
    }
    return new LatencyHistogram(counts);
  }
}
