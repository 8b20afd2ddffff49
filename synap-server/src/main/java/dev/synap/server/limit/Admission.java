package dev.synap.server.limit;

/**
 * The answer to "may this request go ahead?".
 *
 * @param limit which budget refused it ({@code key}, {@code instance}, {@code peer}); null when allowed
 * @param retryAfterSeconds whole seconds until the refused budget has a token again (at least 1),
 *     as the official client parses {@code Retry-After} as an integer
 * @param capacity the refused budget's size (its burst), reported as {@code X-RateLimit-Limit}; 0 when allowed
 */
public record Admission(boolean allowed, String limit, int retryAfterSeconds, int capacity) {
  public static final Admission ALLOWED = new Admission(true, null, 0, 0);

  static Admission refused(String limit, long waitNanos) {
    return refused(limit, waitNanos, 0);
  }

  static Admission refused(String limit, long waitNanos, double capacity) {
    long seconds = (waitNanos + 999_999_999L) / 1_000_000_000L;
    return new Admission(false, limit, (int) Math.max(1, Math.min(3600, seconds)), (int) Math.min(Integer.MAX_VALUE, capacity));
  }
}
