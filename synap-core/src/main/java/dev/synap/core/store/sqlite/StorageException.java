package dev.synap.core.store.sqlite;

import dev.synap.core.store.StoreException;

/** A failure of the embedded store; surfaces as a 5xx / UNAVAILABLE at the edges. */
public final class StorageException extends StoreException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }
}
