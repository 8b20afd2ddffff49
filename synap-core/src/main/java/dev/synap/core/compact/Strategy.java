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

  /**
   * Null or blank means adaptive, as the official client assumes when no strategy is sent. The
   * legacy {@code CompactionLevel} values name how much to compact: {@code low} keeps the most
   * (conservative), {@code medium} is balanced, {@code high} compacts hardest (aggressive).
   */
  public static Strategy parse(String value) {
    if (value == null || value.isBlank()) return ADAPTIVE;
    String v = value.strip().toLowerCase(Locale.ROOT);
    switch (v) {
      case "low" -> {
        return CONSERVATIVE;
      }
      case "medium" -> {
        return BALANCED;
      }
      case "high" -> {
        return AGGRESSIVE;
      }
      default -> {}
    }
    for (Strategy s : values()) if (s.wireName().equals(v)) return s;
    throw new InvalidInputException("strategy must be conservative, balanced, aggressive, adaptive, low, medium or high, got '" + value + "'");
  }
}
