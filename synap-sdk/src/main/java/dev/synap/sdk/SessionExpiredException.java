package dev.synap.sdk;

/** The session has expired. */
public class SessionExpiredException extends SynapPermanentException {
  public SessionExpiredException(String message) {
    super(message);
  }

  public SessionExpiredException(String message, String correlationId) {
    super(message, correlationId);
  }
}
