package dev.synap.core.ingest;

/**
 * How fast writes are being acknowledged right now, so that background work competing for the
 * same cores (embedding passages for the dense index) can step back during a burst. Durable
 * acknowledgements come first; the index catches up when the burst ends, and reads meanwhile find
 * the newest memories through the store (see {@code MemoryIndex.notYetIndexed}).
 */
public final class WritePressure {
  private static final long WINDOW_NANOS = 250_000_000L;
  private final double busyPerSecond;
  private long windowStart = System.nanoTime();
  private long inWindow;
  private double previousRate;

  /** @param busyPerSecond the acknowledgement rate above which the write path counts as busy */
  public WritePressure(double busyPerSecond) {
    this.busyPerSecond = busyPerSecond;
  }

  public synchronized void recorded(int messages) {
    roll(System.nanoTime());
    inWindow += messages;
  }

  /** Records per second over the last full window (or the current one, once it outgrows that). */
  public synchronized double ratePerSecond() {
    long now = System.nanoTime();
    roll(now);
    double current = inWindow * 1e9 / Math.max(1, now - windowStart);
    return now - windowStart >= WINDOW_NANOS / 2 ? Math.max(previousRate, current) : previousRate;
  }

  public boolean busy() {
    return ratePerSecond() > busyPerSecond;
  }

  private void roll(long now) {
    long elapsed = now - windowStart;
    if (elapsed < WINDOW_NANOS) return;
    // A window with no calls for a long time counts as quiet, not as its stale count.
    previousRate = elapsed > 2 * WINDOW_NANOS ? 0 : inWindow * 1e9 / elapsed;
    windowStart = now;
    inWindow = 0;
  }
}
