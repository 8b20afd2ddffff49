package dev.synap.sdk;

/** A failure that a retry may fix. */
public class SynapTransientException extends SynapException {
  public SynapTransientException(String message) {
    super(message);
  }

  public SynapTransientException(String message, String correlationId) {
    super(message, correlationId);
  }
}
