package dev.synap.sdk;

/** The requested context does not exist (404). */
public class ContextNotFoundException extends SynapPermanentException {
  public ContextNotFoundException(String message) {
    super(message);
  }

  public ContextNotFoundException(String message, String correlationId) {
    super(message, correlationId);
  }
}
