package dev.synap.sdk;

/** {@code listen()} was called while a stream is already open. */
public class ListeningAlreadyActiveException extends SynapPermanentException {
  public ListeningAlreadyActiveException() {
    super("Listening already active");
  }
}
