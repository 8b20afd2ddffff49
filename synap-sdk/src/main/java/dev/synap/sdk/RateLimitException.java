package dev.synap.sdk;

/** The server is rate limiting or shedding load (429); retry after {@link #retryAfterSeconds()}. */
public class RateLimitException extends SynapTransientException {
  private final Integer retryAfterSeconds;

  public RateLimitException(String message, Integer retryAfterSeconds, String correlationId) {
    super(message, correlationId);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Seconds from the {@code Retry-After} header, or null when the server gave none. */
  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
