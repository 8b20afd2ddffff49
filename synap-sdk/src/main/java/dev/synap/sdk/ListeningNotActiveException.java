package dev.synap.sdk;

/** An event was sent with no open stream. */
public class ListeningNotActiveException extends SynapPermanentException {
  public ListeningNotActiveException() {
    super("Listening is not active: call instance().listen(...) first");
  }
}
