package dev.synap.sdk;

/**
 * Base of every SDK error, mirroring the official hierarchy: catch {@link SynapTransientException}
 * for errors a retry may fix and {@link SynapPermanentException} for ones it will not.
 */
public class SynapException extends RuntimeException {
  private final String correlationId;
  // Set once, by the transport, from the error envelope; an exception raised locally has none.
  private String code;
  private java.util.Map<String, Object> details = java.util.Map.of();

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

  /**
   * The server's machine-readable error code ({@code invalid_input}, {@code rate_limited},
   * {@code transcript_conflict}, ...), or null for an error raised before any response.
   */
  public String code() {
    return code;
  }

  /** The server's {@code details} object (which field, which limit...); empty when it sent none. */
  public java.util.Map<String, Object> details() {
    return details;
  }

  /** Called by the transport with what the error envelope said. */
  SynapException describe(String code, java.util.Map<String, Object> details) {
    this.code = code;
    this.details = details == null ? java.util.Map.of() : java.util.Map.copyOf(details);
    return this;
  }
}
