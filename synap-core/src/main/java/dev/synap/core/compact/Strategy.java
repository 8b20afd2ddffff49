package dev.synap.core.compact;

import dev.synap.core.InvalidInputException;
import java.util.Locale;

/**
 * How hard to compact, as the share of the original tokens to keep ({@code CompactionLevel} on
 * the wire). {@link #ADAPTIVE} is resolved to one of the others per conversation by
 * {@link AdaptivePolicy}.
 */
public enum Strategy {
  CONSERVATIVE(0.70),
  BALANCED(0.40),
  AGGRESSIVE(0.15),
  ADAPTIVE(Double.NaN);

  private final double keepRatio;

  Strategy(double keepRatio) {
    this.keepRatio = keepRatio;
  }

  /** Share of the original tokens the compacted text aims for; NaN for adaptive. */
  public double keepRatio() {
    return keepRatio;
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Null or blank means adaptive, as the official client assumes when no strategy is sent. */
  public static Strategy parse(String value) {
    if (value == null || value.isBlank()) return ADAPTIVE;
    for (Strategy s : values()) if (s.wireName().equalsIgnoreCase(value.strip())) return s;
    throw new InvalidInputException("strategy must be conservative, balanced, aggressive or adaptive, got '" + value + "'");
  }
}
