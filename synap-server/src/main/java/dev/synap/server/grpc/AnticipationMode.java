package dev.synap.server.grpc;

import java.util.Locale;

/**
 * Which predictor pushes bundles. {@code PLANNER} is the product; {@code NONE} and {@code LAST_K}
 * exist so benchmarks can measure it against no anticipation and a naive recency predictor in
 * the same run. Reactive bundles ({@code context_request}) are answered in every mode.
 */
public enum AnticipationMode {
  PLANNER,
  NONE,
  LAST_K;

  public static AnticipationMode parse(String s) {
    if (s == null || s.isBlank()) return PLANNER;
    return valueOf(s.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
