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
 * key's budget and must pass {@link StreamEventRules}. A refused event is named in a signal and
 * the stream stays open: the official client reconnects on {@code error} and {@code closing}, but
 * only logs {@code throttle} and unknown signal types. A rate-limited event goes to the session's
 * batch of {@link Refusals}, so the pong after it never confirms it.
 *
 * <p>Heartbeat pings do not spend the key's budget (a throttled client must never look dead), but
 * each answer is a write, so a stream has its own ping budget: {@value #PINGS_PER_SECOND} per
 * second, bursts of {@value #PING_BURST}. The official client pings every 30 s and the Java SDK's
 * delivery barriers stay under 20 per second; pings beyond the budget are not answered (a later
 * pong confirms the same events), with at most one {@code throttle} signal per second saying so.
 */
final class ListenGate implements StreamObserver<StreamEvent> {
  static final int PINGS_PER_SECOND = 50;
  static final int PING_BURST = 100;

  private final ListenSession session;
  private final Caller caller;
  private final RateLimits limits;
  private final ListenMetrics metrics;
  private final TokenBucket pings = new TokenBucket(PINGS_PER_SECOND, PING_BURST);
  private final TokenBucket pingNotices = new TokenBucket(1, 1);

  ListenGate(ListenSession session, Caller caller, RateLimits limits, ListenMetrics metrics) {
    this.session = session;
    this.caller = caller;
    this.limits = limits;
    this.metrics = metrics;
  }

  @Override
  public void onNext(StreamEvent event) {
    if (event.getPayloadCase() == StreamEvent.PayloadCase.HEARTBEAT_PING) {
      if (pings.tryTake() > 0) {
        metrics.pingRefused();
        if (pingNotices.tryTake() == 0) {
          session.send(StreamResponse.newBuilder().setSignal(StreamSignal.newBuilder().setSignalType("throttle")
              .setReason("more than " + PINGS_PER_SECOND + " pings per second; the extra ones are not answered")
              .putMetadata("retry_after_seconds", "1")).build());
        }
        return;
      }
    } else {
      Admission a = limits.admit(caller, "listen");
      if (!a.allowed()) {
        session.refuse(eventId(event), a.retryAfterSeconds(), "rate limit of the " + a.limit() + " exceeded");
        return;
      }
      try {
        StreamEventRules.check(event);
      } catch (InvalidInputException e) {
        session.invalid(event, e.getMessage());
        return;
      }
    }
    session.onNext(event);
  }

  /** The client's {@code event_id} of a conversation event, which signals use to name it; null when it has none. */
  static String eventId(StreamEvent event) {
    if (!event.hasConversationEvent()) return null;
    String id = event.getConversationEvent().getMetadataMap().get("event_id");
    return id == null || id.isEmpty() || id.length() > 256 ? null : id;
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
