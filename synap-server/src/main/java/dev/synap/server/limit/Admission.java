package dev.synap.server.limit;

/**
 * The answer to "may this request go ahead?".
 *
 * @param limit which budget refused it ({@code key}, {@code instance}, {@code peer}); null when allowed
 * @param retryAfterSeconds whole seconds until the refused budget has a token again (at least 1),
 *     as the official client parses {@code Retry-After} as an integer
 */
public record Admission(boolean allowed, String limit, int retryAfterSeconds) {
  public static final Admission ALLOWED = new Admission(true, null, 0);

  static Admission refused(String limit, long waitNanos) {
    long seconds = (waitNanos + 999_999_999L) / 1_000_000_000L;
    return new Admission(false, limit, (int) Math.max(1, Math.min(3600, seconds)));
  }
}
