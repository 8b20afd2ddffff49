package dev.synap.sdk;

/**
 * Base of every SDK error, mirroring the official hierarchy: catch {@link SynapTransientException}
 * for errors a retry may fix and {@link SynapPermanentException} for ones it will not.
 */
public class SynapException extends RuntimeException {
  private final String correlationId;

  public SynapException(String message) {
    this(message, null);
  }

  public SynapException(String message, String correlationId) {
    super(message);
    this.correlationId = correlationId;
  }

  public SynapException(String message, String correlationId, Throwable cause) {
    super(message, cause);
    this.correlationId = correlationId;
  }

  /** The {@code X-Correlation-ID} of the failed call, when there was one. */
  public String correlationId() {
    return correlationId;
  }
}
