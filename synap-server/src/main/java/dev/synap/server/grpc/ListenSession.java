package dev.synap.server.grpc;

import dev.synap.core.InvalidInputException;
import dev.synap.core.MemoryEngine;
import dev.synap.core.analytics.Metric;
import dev.synap.core.anticipate.AnticipationPlanner;
import dev.synap.core.anticipate.Predictor;
import dev.synap.core.anticipate.RetrievalLoad;
import dev.synap.core.compact.CompactionRequest;
import dev.synap.core.model.Memory;
import dev.synap.proto.v1.HeartbeatPong;
import dev.synap.proto.v1.SessionControl;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.proto.v1.StreamSignal;
import dev.synap.server.auth.Caller;
import dev.synap.core.tenant.ScopeRules;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open Listen stream: what happens to each event the agent publishes, and the stream's life.
 *
 * <p>grpc-java delivers a stream's events one at a time, on the server's virtual-thread executor,
 * so event handling is sequential per stream and may block. A conversation event is checked once
 * into a {@link ListenEvent}, planned, pushed ({@link BundlePush}: the {@link Predictor}, what the
 * client holds in {@link PushLedger}, feedback in {@link FeedbackCredit}), then stored in order
 * behind the push ({@link OrderedRecorder}, which also answers pings with pongs that prove
 * storage). Every frame leaves through the {@link Outbox}, which owns back-pressure. All state is
 * bounded.
 */
final class ListenSession implements StreamObserver<StreamEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(ListenSession.class);

  private final Caller caller;
  private final MemoryEngine engine;
  private final StreamRegistry registry;
  private final ListenMetrics metrics;
  private final AtomicLong lastSeen = new AtomicLong(System.currentTimeMillis());
  private final SeenConversations seen = new SeenConversations();
  private final PushLedger ledger;
  private final FeedbackCredit credit;
  private final Outbox outbox;
  private final OrderedRecorder recorder;
  private final BundlePush push;

  /** @param clientBundles how many bundles the client caches (stated on the stream, or the default) */
  ListenSession(Caller caller, ServerCallStreamObserver<StreamResponse> out, MemoryEngine engine, StreamRegistry registry, ListenMetrics metrics,
      Predictor predictor, RetrievalLoad load, Executor recorderExecutor, int clientBundles) {
    this.caller = caller;
    this.engine = engine;
    this.registry = registry;
    this.metrics = metrics;
    this.ledger = new PushLedger(clientBundles);
    this.credit = new FeedbackCredit(engine.planner().feedback(), caller.instance().instanceId());
    this.outbox = new Outbox(out, metrics, ledger::undelivered, this::forget);
    this.recorder = new OrderedRecorder(engine.ingest(), recorderExecutor, outbox);
    this.push = new BundlePush(caller.instance().instanceId(), engine.retriever(), load, predictor, ledger, credit, outbox, metrics,
        owner -> registry.holds(this, owner), () -> engine.memoryConfigs().active(caller.instance().instanceId()).anticipation());
    out.setOnCancelHandler(this::forget);
  }

  Caller caller() {
    return caller;
  }

  Set<String> owners() {
    return ledger.owners();
  }

  long lastSeenMillis() {
    return lastSeen.get();
  }

  /** The ids this stream last sent with that conversation; empty when it never mentioned it. */
  Optional<BundleAssembler.Target> seenConversation(String conversationId) {
    return seen.get(conversationId);
  }

  @Override
  public void onNext(StreamEvent event) {
    lastSeen.set(System.currentTimeMillis());
    try {
      switch (event.getPayloadCase()) {
        case HEARTBEAT_PING -> recorder.pong(StreamResponse.newBuilder()
            .setHeartbeatPong(HeartbeatPong.newBuilder().setTimestampMs(event.getHeartbeatPing().getTimestampMs() != 0
                ? event.getHeartbeatPing().getTimestampMs() : System.currentTimeMillis()))
            .build());
        case CONVERSATION_EVENT -> onConversationEvent(ListenEvent.of(caller, event.getConversationEvent()));
        case CONTEXT_USED -> {
          metrics.contextUsed(event.getContextUsed());
          credit.used(event.getContextUsed());
        }
        case CONTEXT_ASSEMBLED -> metrics.contextAssembled(event.getContextAssembled());
        case SESSION_CONTROL -> onSessionControl(event.getSessionControl());
        case PAYLOAD_NOT_SET -> {}
      }
    } catch (InvalidInputException e) {
      // A bad event must not kill the stream (the official client would reconnect in a loop):
      // answer with a signal type the client logs and ignores, naming the event.
      invalid(event, e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("listen event failed: {}", e.toString());
      invalid(event, "event could not be processed");
    } finally {
      // A stream whose events are slow to handle is busy, not silent: the idle reaper must not take it.
      lastSeen.set(System.currentTimeMillis());
    }
  }

  /** Push, then record: the bundle waits neither for this record's fsync nor for the previous event's. */
  private void onConversationEvent(ListenEvent e) {
    metrics.event(e.type());
    String instanceId = caller.instance().instanceId();
    engine.usage().record(instanceId, Metric.STREAM_EVENTS, e.target().userId(), e.target().customerId(), 1, null);
    if (e.target().conversationId() != null) seen.add(e.target());
    try {
      // The instance's anticipation knobs (on / off, item and token budgets) apply in BundlePush.
      engine.planner().plan(instanceId, redacted(instanceId, e.planned())).ifPresent(plan -> push.push(plan, e.target()));
    } catch (RuntimeException ex) {
      // A failed prediction costs a bundle, never the event: it is still recorded below.
      LOG.warn("push for a listen event failed: {}", ex.toString());
    }
    if (e.record() != null) recorder.record(e.record());
    if (e.type().equals("session_start")) push.userSummary(e.target());
    if (e.type().equals("session_end")) endSession(e.target());
  }

  /** A bundle echoes what it searched for: the event's text is redacted like anything stored. */
  private AnticipationPlanner.Event redacted(String instanceId, AnticipationPlanner.Event p) {
    var ingest = engine.ingest();
    return new AnticipationPlanner.Event(p.eventType(), ingest.redact(instanceId, p.content()), p.toolName(), ingest.redact(instanceId, p.toolArgsJson()),
        p.searchQueries().stream().map(q -> ingest.redact(instanceId, q)).toList(), p.contextTypes());
  }

  /** The contract's session marker ({@code action} start / end), which the official client never sends: acted on as the events. */
  private void onSessionControl(SessionControl c) {
    String user = c.getUserId().isBlank() ? null : c.getUserId();
    String customer = c.getCustomerId().isBlank() ? null : c.getCustomerId();
    String conversation = c.getConversationId().isBlank() ? null : c.getConversationId();
    if (conversation != null) ScopeRules.requireUuid("conversation_id", conversation);
    if (user != null) ScopeRules.requireId("user_id", user);
    if (customer != null) ScopeRules.requireId("customer_id", customer);
    ListenEvent.target(caller, user, customer);
    BundleAssembler.Target target = new BundleAssembler.Target(user, customer, conversation);
    switch (c.getAction().strip().toLowerCase(java.util.Locale.ROOT)) {
      case "start" -> push.userSummary(target);
      case "end" -> endSession(target);
      default -> throw new InvalidInputException("session_control action must be 'start' or 'end'");
    }
  }

  /**
   * A session ends: once every event sent before it is stored, the conversation is compacted if it
   * has turns no compaction covers (a compaction with nothing new returns the last one).
   */
  private void endSession(BundleAssembler.Target target) {
    if (target.conversationId() == null) return;
    String instanceId = caller.instance().instanceId();
    recorder.afterStored(() -> {
      try {
        engine.compactions().compact(CompactionRequest.summary(instanceId, target.conversationId()));
      } catch (RuntimeException e) {
        // Nothing to compact (no turn stored), or one already running: the session still ended.
        LOG.debug("no compaction at session end of {}: {}", target.conversationId(), e.toString());
      }
    });
  }


  /** An event that was not stored and may be resent; see {@link OrderedRecorder#refuse}. */
  void refuse(String eventId, int retryAfterSeconds, String reason) {
    recorder.refuse(eventId, retryAfterSeconds, reason);
  }

  /** An event refused on purpose: named, so the client reports it instead of resending it. */
  void invalid(StreamEvent event, String reason) {
    StreamSignal.Builder s = StreamSignal.newBuilder().setSignalType("invalid_event").setReason(reason == null ? "" : reason);
    String id = ListenGate.eventId(event);
    if (id != null) s.putMetadata("event_id", id);
    send(StreamResponse.newBuilder().setSignal(s).build());
  }

  /** New or edited memories of an owner this stream holds bundles of. */
  void onMemoriesWritten(String userId, String customerId, List<Memory> memories) {
    push.update(userId, customerId, memories);
  }

  /** A bundle built elsewhere (a compaction update); coalesced per key like every bundle. */
  void sendBundle(String coalesceKey, StreamResponse bundle) {
    outbox.bundle(coalesceKey, bundle);
  }

  /** A control frame (signal), never coalesced. */
  void send(StreamResponse control) {
    outbox.control(control);
  }

  /** Graceful shutdown: tell the client to reconnect elsewhere, then end the stream. */
  void closeGracefully(String reason) {
    outbox.closeWith(reason);
  }

  void closeIdle(String reason) {
    outbox.fail(Status.UNAVAILABLE.withDescription("stream idle: " + reason));
  }

  void closeUnauthenticated(String reason) {
    outbox.fail(Status.UNAUTHENTICATED.withDescription(reason));
  }

  @Override
  public void onError(Throwable t) {
    forget();
  }

  @Override
  public void onCompleted() {
    outbox.complete();
  }

  private void forget() {
    registry.remove(this);
  }
}
