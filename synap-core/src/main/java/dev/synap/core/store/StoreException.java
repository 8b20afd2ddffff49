package dev.synap.core.store;

/**
 * A failure of the system of record, whichever implementation: the edges answer it as a server
 * error without a stack trace. {@link StoreUnavailableException} is the retryable kind.
 */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
