package dev.synap.sdk;

import java.util.Objects;

/**
 * An event given to {@code sendMessage} that the server did not store, reported through
 * {@link ListenCallbacks#onEventRejected()}. Events the server throttles are resent by the SDK
 * and only reported here once it gives up on them.
 */
public final class RejectedEvent {
  /** Why the event was not stored. */
  public enum Cause {
    /** The server refused it as invalid ({@code invalid_event}); sending it again unchanged would fail again. */
    INVALID,
    /** The server refused it (rate limit, full ingest queue, failed write) on every one of the SDK's attempts. */
    RETRIES_EXHAUSTED,
    /** It waited more than five minutes for the stream to come back. */
    EXPIRED,
    /** Listening stopped before the server confirmed it: it may or may not be stored. */
    UNCONFIRMED_AT_CLOSE
  }

  private final String eventId;
  private final Cause cause;
  private final String reason;

  private RejectedEvent(String eventId, Cause cause, String reason) {
    this.eventId = eventId;
    this.cause = Objects.requireNonNull(cause);
    this.reason = reason == null ? "" : reason;
  }

  static RejectedEvent of(String eventId, Cause cause, String reason) {
    return new RejectedEvent(eventId, cause, reason);
  }

  /** The event's {@code event_id} (set with {@code SendMessage.Builder.metadata("event_id", ...)}, else generated). */
  public String eventId() {
    return eventId;
  }

  public Cause cause() {
    return cause;
  }

  /** The server's reason, or the SDK's. */
  public String reason() {
    return reason;
  }

  @Override
  public String toString() {
    return "RejectedEvent[" + eventId + ", " + cause + ", " + reason + "]";
  }
}
