package dev.synap.server.grpc;

import dev.synap.core.InvalidInputException;
import dev.synap.core.MemoryEngine;
import dev.synap.core.anticipate.AnticipationPlanner;
import dev.synap.core.anticipate.BundlePlan;
import dev.synap.core.ingest.QueueFullException;
import dev.synap.core.ingest.RecordRequest;
import dev.synap.core.ingest.RecordValidator;
import dev.synap.core.model.Scope;
import dev.synap.core.retrieve.ContextQuery;
import dev.synap.core.retrieve.ContextResult;
import dev.synap.core.tenant.RelationshipMode;
import dev.synap.core.tenant.ScopeRules;
import dev.synap.proto.v1.ContextBundleProto;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.HeartbeatPong;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.proto.v1.StreamSignal;
import dev.synap.server.auth.Caller;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open Listen stream: what happens to each event the agent publishes.
 *
 * <p>grpc-java delivers a stream's events one at a time, on the server's virtual-thread executor,
 * so handling is sequential per stream and may block. Writes to the client go through
 * {@link #send}, which serialises them because other threads (shutdown, revocation) write too.
 */
final class ListenSession implements StreamObserver<StreamEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(ListenSession.class);
  private static final Set<String> RECORDED_TYPES = Set.of("user_message", "assistant_message", "tool_call", "agent_thinking");

  private final Caller caller;
  private final ServerCallStreamObserver<StreamResponse> out;
  private final MemoryEngine engine;
  private final StreamRegistry registry;
  private final ListenMetrics metrics;
  private final AtomicLong lastSeen = new AtomicLong(System.currentTimeMillis());
  private final SeenConversations seen = new SeenConversations();
  private volatile boolean closed;

  ListenSession(Caller caller, ServerCallStreamObserver<StreamResponse> out, MemoryEngine engine, StreamRegistry registry, ListenMetrics metrics) {
    this.caller = caller;
    this.out = out;
    this.engine = engine;
    this.registry = registry;
    this.metrics = metrics;
    out.setOnCancelHandler(this::forget);
    registry.add(this);
  }

  Caller caller() {
    return caller;
  }

  long lastSeenMillis() {
    return lastSeen.get();
  }

  /** The ids this stream last sent with that conversation; empty when it never mentioned it. */
  java.util.Optional<BundleAssembler.Target> seenConversation(String conversationId) {
    return seen.get(conversationId);
  }

  @Override
  public void onNext(StreamEvent event) {
    lastSeen.set(System.currentTimeMillis());
    try {
      switch (event.getPayloadCase()) {
        case HEARTBEAT_PING -> send(StreamResponse.newBuilder()
            .setHeartbeatPong(HeartbeatPong.newBuilder().setTimestampMs(event.getHeartbeatPing().getTimestampMs() != 0
                ? event.getHeartbeatPing().getTimestampMs() : System.currentTimeMillis()))
            .build());
        case CONVERSATION_EVENT -> onConversationEvent(event.getConversationEvent());
        case CONTEXT_USED -> metrics.contextUsed(event.getContextUsed());
        case CONTEXT_ASSEMBLED -> metrics.contextAssembled(event.getContextAssembled());
        case SESSION_CONTROL, PAYLOAD_NOT_SET -> {}
      }
    } catch (InvalidInputException e) {
      // A bad event must not kill the stream (the official client would reconnect in a loop):
      // answer with a signal type the client logs and ignores.
      signal("invalid_event", e.getMessage());
    } catch (QueueFullException e) {
      signal("throttle", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("listen event failed: {}", e.toString());
      signal("invalid_event", "event could not be processed");
    }
  }

  private void onConversationEvent(ConversationEvent e) {
    String type = e.getEventType().isBlank() ? "user_message" : e.getEventType().toLowerCase(Locale.ROOT);
    String user = blankToNull(e.getUserId());
    String customer = blankToNull(e.getCustomerId());
    String conversation = blankToNull(e.getConversationId());
    if (conversation != null) ScopeRules.requireUuid("conversation_id", conversation);
    if (user != null) ScopeRules.requireId("user_id", user);
    if (customer != null) ScopeRules.requireId("customer_id", customer);
    if (caller.instance().mode() == RelationshipMode.B2B && user != null && customer == null) {
      throw new InvalidInputException("customer_id is required with user_id on a B2B instance");
    }
    metrics.event(type);
    if (conversation != null) seen.add(new BundleAssembler.Target(user, customer, conversation));
    if (RECORDED_TYPES.contains(type) && conversation != null) record(type, e);

    engine.planner()
        .plan(new AnticipationPlanner.Event(type, e.getContent(), e.getToolName(), e.getToolArgsJson(), e.getSearchQueriesList(), e.getContextTypesList()))
        .ifPresent(plan -> push(plan, user, customer, conversation));
  }

  private void record(String type, ConversationEvent e) {
    String content = switch (type) {
      case "tool_call" -> (e.getToolName() + " " + e.getToolArgsJson()).strip();
      default -> e.getContent();
    };
    if (content.isBlank()) return;
    String role = e.getRole().isBlank() ? (type.equals("user_message") ? "user" : "assistant") : e.getRole();
    if (!role.equals("user") && !role.equals("assistant")) role = "assistant";
    Map<String, String> metadata = new HashMap<>(e.getMetadataMap());
    metadata.put("event_type", type);
    if (!e.getSessionId().isBlank()) metadata.putIfAbsent("session_id", e.getSessionId());
    String idempotency = metadata.get("event_id");
    RecordRequest request = RecordValidator.validate(caller.instance(), new RecordRequest(caller.instance().instanceId(),
        e.getConversationId(), e.getUserId(), e.getCustomerId(), e.getSessionId(), role,
        type.endsWith("_message") ? "message" : type, content, metadata,
        e.getTimestampMs() > 0 ? Instant.ofEpochMilli(e.getTimestampMs()) : null, idempotency));
    engine.ingest().record(request);
  }

  private void push(BundlePlan plan, String user, String customer, String conversation) {
    Scope scope = user != null ? Scope.USER : customer != null ? Scope.CUSTOMER : conversation != null ? Scope.CONVERSATION : Scope.CLIENT;
    ContextQuery query = new ContextQuery(caller.instance().instanceId(), scope, conversation, user, customer, plan.queries(),
        plan.types(), 10, "fast", ContextQuery.DEFAULT_TOKEN_BUDGET);
    long start = System.nanoTime();
    ContextResult result = engine.retriever().retrieve(query);
    ContextBundleProto bundle = BundleAssembler.assemble(plan, result, new BundleAssembler.Target(user, customer, conversation));
    send(StreamResponse.newBuilder().setContextBundle(bundle).build());
    metrics.pushed(plan.bundleType(), System.nanoTime() - start);
  }

  void signal(String type, String reason) {
    send(StreamResponse.newBuilder().setSignal(StreamSignal.newBuilder().setSignalType(type).setReason(reason == null ? "" : reason)).build());
  }

  synchronized void send(StreamResponse response) {
    if (closed || out.isCancelled()) return;
    try {
      out.onNext(response);
    } catch (RuntimeException e) {
      // The peer went away between our check and the write; the cancel handler cleans up.
      LOG.debug("write to closed stream: {}", e.toString());
    }
  }

  /** Graceful shutdown: tell the client to reconnect elsewhere, then end the stream. */
  synchronized void closeGracefully(String reason) {
    if (closed) return;
    signal("closing", reason);
    closed = true;
    try {
      out.onCompleted();
    } catch (RuntimeException ignored) {
      // already cancelled by the peer
    }
    forget();
  }

  synchronized void closeUnauthenticated(String reason) {
    if (closed) return;
    closed = true;
    try {
      out.onError(Status.UNAUTHENTICATED.withDescription(reason).asRuntimeException());
    } catch (RuntimeException ignored) {
      // already cancelled by the peer
    }
    forget();
  }

  @Override
  public void onError(Throwable t) {
    forget();
  }

  @Override
  public synchronized void onCompleted() {
    if (!closed) {
      closed = true;
      try {
        out.onCompleted();
      } catch (RuntimeException ignored) {
        // peer already gone
      }
    }
    forget();
  }

  private void forget() {
    registry.remove(this);
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
