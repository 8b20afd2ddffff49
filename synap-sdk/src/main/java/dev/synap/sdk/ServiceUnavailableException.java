package dev.synap.sdk;

/** The server answered 5xx, or the stream could not be set up. */
public class ServiceUnavailableException extends SynapTransientException {
  public ServiceUnavailableException(String message) {
    super(message);
  }

  public ServiceUnavailableException(String message, String correlationId) {
    super(message, correlationId);
  }
}
