package dev.synap.core.retrieve.rank;

/**
 * Where one ranked list placed a candidate.
 *
 * @param rank 0 = first; {@code -1} when the list did not return it
 * @param scaled its score scaled to 0..1 between the list's worst and best hit
 */
public record Signal(int rank, double scaled) {
  public static final Signal ABSENT = new Signal(-1, 0);

  public boolean present() {
    return rank >= 0;
  }

  /** 1 for the first place, 1/2 for the second, ... 0 when absent: the top of a list matters most. */
  double reciprocalRank() {
    return present() ? 1.0 / (1 + rank) : 0;
  }
}
