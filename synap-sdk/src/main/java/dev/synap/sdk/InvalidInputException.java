package dev.synap.sdk;

/** The request was refused as malformed (400/422), or failed validation before it was sent. */
public class InvalidInputException extends SynapPermanentException {
  public InvalidInputException(String message) {
    super(message);
  }

  public InvalidInputException(String message, String correlationId) {
    super(message, correlationId);
  }
}
