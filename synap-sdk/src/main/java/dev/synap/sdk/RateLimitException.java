package dev.synap.sdk;

/**
 * The server is rate limiting or shedding load (429); retry after {@link #retryAfterSeconds()}.
 * {@link #limit()} and {@link #remaining()} come from the {@code X-RateLimit-Limit} /
 * {@code X-RateLimit-Remaining} headers when the server sent them.
 */
public class RateLimitException extends SynapTransientException {
  private final Integer retryAfterSeconds;
  private final Integer limit;
  private final Integer remaining;

  public RateLimitException(String message, Integer retryAfterSeconds, String correlationId) {
    this(message, retryAfterSeconds, null, null, correlationId);
  }

  public RateLimitException(String message, Integer retryAfterSeconds, Integer limit, Integer remaining, String correlationId) {
    super(message, correlationId);
    this.retryAfterSeconds = retryAfterSeconds;
    this.limit = limit;
    this.remaining = remaining;
  }

  /** Seconds from the {@code Retry-After} header, or null when the server gave none. */
  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }

  /** The size of the budget that refused the call ({@code X-RateLimit-Limit}), or null when not given. */
  public Integer limit() {
    return limit;
  }

  /** Calls left in that budget ({@code X-RateLimit-Remaining}, 0 when refused), or null when not given. */
  public Integer remaining() {
    return remaining;
  }
}
