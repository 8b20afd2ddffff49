package dev.synap.sdk;

/** The request conflicts with stored state (409). */
public class ConflictException extends SynapPermanentException {
  public ConflictException(String message) {
    super(message);
  }

  public ConflictException(String message, String correlationId) {
    super(message, correlationId);
  }
}
