package dev.synap.sdk;

/** The server could not be reached in time (connect, read or stream setup). */
public class NetworkTimeoutException extends SynapTransientException {
  public NetworkTimeoutException(String message) {
    super(message);
  }

  public NetworkTimeoutException(String message, String correlationId) {
    super(message, correlationId);
  }
}
