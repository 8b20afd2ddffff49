package dev.synap.sdk;

/** A failure that a retry will not fix. */
public class SynapPermanentException extends SynapException {
  public SynapPermanentException(String message) {
    super(message);
  }

  public SynapPermanentException(String message, String correlationId) {
    super(message, correlationId);
  }
}
