package dev.synap.core.store.sqlite;

/** A failure of the embedded store; surfaces as a 5xx / UNAVAILABLE at the edges. */
public final class StorageException extends RuntimeException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
