package dev.synap.server.limit;

import java.util.function.LongSupplier;

/**
 * A token bucket: holds up to {@code burst} tokens and refills at {@code ratePerSecond}. One take
 * costs one token. Synchronised rather than lock-free: a take is a few arithmetic operations, and
 * a bucket belongs to one key, peer or instance, so contention stays low.
 */
public final class TokenBucket {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final double fullRatePerSecond;
  private final double fullBurst;
  private double ratePerNano;
  private double burst;
  private int share = 1;
  private final LongSupplier clock;
  private double tokens;
  private long lastRefill;

  public TokenBucket(double ratePerSecond, double burst) {
    this(ratePerSecond, burst, System::nanoTime);
  }

  TokenBucket(double ratePerSecond, double burst, LongSupplier clock) {
    if (ratePerSecond <= 0 || burst < 1) throw new IllegalArgumentException("rate must be positive and burst at least 1");
    this.fullRatePerSecond = ratePerSecond;
    this.fullBurst = burst;
    this.ratePerNano = ratePerSecond / NANOS_PER_SECOND;
    this.burst = burst;
    this.clock = clock;
    this.tokens = burst;
    this.lastRefill = clock.getAsLong();
  }

  /**
   * This node's part of a budget several nodes enforce together: rate and burst divided by
   * {@code nodes} (a burst never below one token). Tokens above the new burst are dropped.
   */
  public synchronized void share(int nodes) {
    int n = Math.max(1, nodes);
    if (n == share) return;
    refill();
    share = n;
    ratePerNano = fullRatePerSecond / n / NANOS_PER_SECOND;
    burst = Math.max(1, fullBurst / n);
    tokens = Math.min(tokens, burst);
  }

  /** Takes a token; returns 0 when granted, else the nanoseconds until one will be available. */
  public synchronized long tryTake() {
    refill();
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return nanosUntilToken();
  }

  /** Returns a token taken for a request that another budget then refused (never beyond the burst). */
  public synchronized void giveBack() {
    refill();
    tokens = Math.min(burst, tokens + 1);
  }

  /** Nanoseconds until a token is available (0 if one is), without taking it. */
  public synchronized long waitNanos() {
    refill();
    return tokens >= 1 ? 0 : nanosUntilToken();
  }

  /** True when the bucket has refilled completely, i.e. its owner has been idle; used for eviction. */
  synchronized boolean isFull() {
    refill();
    return tokens >= burst;
  }

  private long nanosUntilToken() {
    return Math.max(1, (long) Math.ceil((1 - tokens) / ratePerNano));
  }

  private void refill() {
    long now = clock.getAsLong();
    long elapsed = now - lastRefill;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * ratePerNano);
      lastRefill = now;
    }
  }
}
