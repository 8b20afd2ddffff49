package dev.synap.bench;

/** A one-line progress bar on standard error (the table goes to standard output). */
public final class Progress {
  private Progress() {}

  /** Redraws the bar for item {@code i} of {@code n} about a hundred times per phase. */
  public static void show(int i, int n, String label) {
    if (i % Math.max(1, n / 100) == 0 || i == n - 1) {
      int pct = (int) (100L * (i + 1) / n);
      System.err.printf("\r%-22s [%-50s] %3d%% %d/%d", label, "#".repeat(pct / 2), pct, i + 1, n);
    }
  }

  /** Ends the bar's line. */
  public static void done() {
    System.err.println();
  }
}
