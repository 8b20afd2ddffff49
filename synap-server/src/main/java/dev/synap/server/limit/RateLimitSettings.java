package dev.synap.server.limit;

/**
 * Request budgets. A rate of 0 switches that limit off.
 *
 * @param keyPerSecond requests (REST calls, new gRPC calls, Listen events) per API key
 * @param instancePerSecond the same, summed over every key of an instance
 * @param refusalsPerSecond refused authentications per peer address before further attempts from
 *     that address are turned away without a key check
 */
public record RateLimitSettings(
    double keyPerSecond, int keyBurst, double instancePerSecond, int instanceBurst, double refusalsPerSecond, int refusalBurst) {

  /** Generous enough for the load benchmark; protects against runaway clients, not heavy users. */
  public static final RateLimitSettings DEFAULTS = new RateLimitSettings(5_000, 10_000, 20_000, 40_000, 5, 50);

  public static final RateLimitSettings OFF = new RateLimitSettings(0, 0, 0, 0, 0, 0);

  public RateLimitSettings {
    if (keyPerSecond < 0 || instancePerSecond < 0 || refusalsPerSecond < 0) throw new IllegalArgumentException("rates must not be negative");
    if (keyPerSecond > 0 && keyBurst < 1 || instancePerSecond > 0 && instanceBurst < 1 || refusalsPerSecond > 0 && refusalBurst < 1) {
      throw new IllegalArgumentException("a limit that is on needs a burst of at least 1");
    }
  }
}
