package dev.synap.sdk;

/** The API key is missing, unknown or revoked (401, UNAUTHENTICATED). */
public class AuthenticationException extends SynapPermanentException {
  public AuthenticationException(String message) {
    super(message);
  }

  public AuthenticationException(String message, String correlationId) {
    super(message, correlationId);
  }
}
