package dev.synap.core.store;

/**
 * The store cannot be reached right now (database down, restarting, connection pool exhausted):
 * nothing was written, and the same request may succeed later. The edges answer it with 503 and
 * {@code Retry-After} (REST) or {@code UNAVAILABLE} (gRPC); background work backs off and resumes.
 * It carries no driver type, so callers never depend on an implementation.
 */
public final class StoreUnavailableException extends StoreException {
  /** What the edges suggest a client waits before retrying. */
  public static final int RETRY_AFTER_SECONDS = 2;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
