package dev.synap.server.grpc;

import dev.synap.core.InvalidInputException;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.proto.v1.StreamSignal;
import dev.synap.server.auth.Caller;
import dev.synap.server.limit.Admission;
import dev.synap.server.limit.RateLimits;
import dev.synap.server.limit.TokenBucket;
import io.grpc.stub.StreamObserver;

/**
 * Admission in front of a {@link ListenSession}: each published event spends one request of the
 * key's budget (heartbeats are free, so a throttled client is never declared dead) and must pass
 * {@link StreamEventRules}. A refused event gets a signal and the stream stays open: the official
 * client reconnects on {@code error} and {@code closing}, but only logs {@code throttle} and
 * unknown signal types.
 */
final class ListenGate implements StreamObserver<StreamEvent> {
  /** Throttle signals per stream and second; a client that ignores them must not make us buffer a reply per event. */
  private static final int SIGNALS_PER_SECOND = 10;

  private final ListenSession session;
  private final Caller caller;
  private final RateLimits limits;
  private final TokenBucket throttleSignals = new TokenBucket(SIGNALS_PER_SECOND, SIGNALS_PER_SECOND);
  private long throttledUnsignalled;

  ListenGate(ListenSession session, Caller caller, RateLimits limits) {
    this.session = session;
    this.caller = caller;
    this.limits = limits;
  }

  @Override
  public void onNext(StreamEvent event) {
    if (event.getPayloadCase() != StreamEvent.PayloadCase.HEARTBEAT_PING) {
      Admission a = limits.admit(caller, "listen");
      if (!a.allowed()) {
        throttle(event, a);
        return;
      }
      try {
        StreamEventRules.check(event);
      } catch (InvalidInputException e) {
        send(signal("invalid_event", e.getMessage(), event));
        return;
      }
    }
    session.onNext(event);
  }

  private void throttle(StreamEvent event, Admission a) {
    throttledUnsignalled++;
    if (throttleSignals.tryTake() > 0) return;
    StreamSignal.Builder s = signal("throttle", "rate limit of the " + a.limit() + " exceeded; event dropped, retry after "
        + a.retryAfterSeconds() + " s", event)
        .putMetadata("retry_after_seconds", Integer.toString(a.retryAfterSeconds()))
        .putMetadata("dropped_events", Long.toString(throttledUnsignalled));
    throttledUnsignalled = 0;
    send(s);
  }

  private void send(StreamSignal.Builder s) {
    session.send(StreamResponse.newBuilder().setSignal(s).build());
  }

  /** The dropped event's {@code event_id} rides along so a client can tell which one to resend. */
  private static StreamSignal.Builder signal(String type, String reason, StreamEvent event) {
    StreamSignal.Builder s = StreamSignal.newBuilder().setSignalType(type).setReason(reason);
    if (event.hasConversationEvent()) {
      String id = event.getConversationEvent().getMetadataMap().get("event_id");
      if (id != null && id.length() <= 256) s.putMetadata("event_id", id);
    }
    return s;
  }

  @Override
  public void onError(Throwable t) {
    session.onError(t);
  }

  @Override
  public void onCompleted() {
    session.onCompleted();
  }
}
