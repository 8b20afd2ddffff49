package dev.synap.sdk;

/** The account has too few credits for the call (402). */
public class InsufficientCreditsException extends SynapPermanentException {
  public InsufficientCreditsException(String message, String correlationId) {
    super(message, correlationId);
  }
}
