package dev.synap.core.ingest;

/**
 * How fast writes are being acknowledged right now, so that background work competing for the
 * same cores (embedding passages for the dense index) can step back during a burst. Durable
 * acknowledgements come first; the index catches up when the burst ends, and reads meanwhile find
 * the newest memories through the store (see {@code MemoryIndex.notYetIndexed}).
 */
public final class WritePressure {
  private static final long WINDOW_NANOS = 250_000_000L;
  /**
   * Writes waiting for their commit at once that make a burst whatever the rate: on a slow or
   * crowded machine 32 clients may get fewer acknowledgements per second than the rate threshold,
   * which is exactly when background work beside them hurts most (measured: 175 acks/s with 32
   * clients at load average 27, extraction and embedding running at full speed beside them).
   */
  static final int BUSY_IN_FLIGHT = 8;
  private final double busyPerSecond;
  private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
  /** When writes in flight last reached {@link #BUSY_IN_FLIGHT}; a burst counts for a window after. */
  private volatile long crowdedAtNanos = System.nanoTime() - 2 * WINDOW_NANOS;
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

  /** Called before a write's durable append; {@link #appended} after it, whatever the outcome. */
  public void appending() {
    if (inFlight.incrementAndGet() >= BUSY_IN_FLIGHT) crowdedAtNanos = System.nanoTime();
  }

  public void appended() {
    inFlight.decrementAndGet();
  }

  public boolean busy() {
    return System.nanoTime() - crowdedAtNanos < WINDOW_NANOS || ratePerSecond() > busyPerSecond;
  }

  /** How often {@link #awaitQuiet} looks again: a burst's end is noticed within this. */
  static final long POLL_MILLIS = 10;

  /**
   * Background work's yield point: returns at once when the write path is quiet, else when it
   * became quiet or {@code maxNanos} passed, whichever comes first (bounded, so background work
   * keeps a share under a sustained burst). Returns the nanoseconds waited.
   */
  public long awaitQuiet(long maxNanos) throws InterruptedException {
    if (maxNanos <= 0 || !busy()) return 0;
    long start = System.nanoTime();
    long waited;
    while ((waited = System.nanoTime() - start) < maxNanos && busy()) {
      Thread.sleep(Math.max(1, Math.min(POLL_MILLIS, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(maxNanos - waited))));
    }
    return System.nanoTime() - start;
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
