package dev.synap.server.grpc;

import dev.synap.core.InvalidInputException;
import dev.synap.core.MemoryEngine;
import dev.synap.core.anticipate.AnticipationPlanner;
import dev.synap.core.anticipate.BundlePlan;
import dev.synap.core.analytics.Metric;
import dev.synap.core.control.MemoryConfig;
import dev.synap.core.anticipate.ClientHoldings;
import dev.synap.core.ingest.QueueFullException;
import dev.synap.core.ingest.RecordRequest;
import dev.synap.core.ingest.RecordValidator;
import dev.synap.core.model.Memory;
import dev.synap.core.model.Scope;
import dev.synap.core.retrieve.ContextItem;
import dev.synap.core.retrieve.ContextQuery;
import dev.synap.core.retrieve.ContextResult;
import dev.synap.core.retrieve.LexicalRetriever;
import dev.synap.core.retrieve.TokenBudget;
import dev.synap.core.retrieve.Tokens;
import dev.synap.core.tenant.RelationshipMode;
import dev.synap.core.tenant.ScopeRules;
import dev.synap.proto.v1.ContextBundleProto;
import dev.synap.proto.v1.ContextUsedEvent;
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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open Listen stream: what happens to each event the agent publishes.
 *
 * <p>grpc-java delivers a stream's events one at a time, on the server's virtual-thread executor,
 * so event handling is sequential per stream and may block. Writes also come from other threads
 * (memory-write updates, shutdown, revocation), so every write goes through {@link #deliver},
 * which holds the stream's lock.
 *
 * <p>State per stream, all bounded: the items the client likely still holds (so unchanged items
 * are not pushed again until the client has probably evicted them, see {@link ClientHoldings}), the bundles pushed recently (to credit {@code context_used} feedback to the
 * pattern that produced them), the owners (users / customers) it holds bundles for (so new
 * memories of those owners are pushed as updates), and, while the client is not reading, at most
 * one pending bundle per owner and kind (a first pass, a complete bundle): newer bundles replace older ones (coalescing) and the client gets
 * one {@code throttle} signal, instead of the server buffering without bound.
 *
 * <p>Delivery promise: a pong confirms every event the client sent before its ping, except the
 * events named in a signal written before that pong ({@code throttle} with {@code event_ids}:
 * not stored, resend; {@code invalid_event} with {@code event_id}: refused, do not resend). The
 * pong joins the recording chain ({@link #deliverPong}) and drains the pending {@link Refusals}
 * first; every frame goes out in order through {@link #deliver}.
 *
 * <p>Outbound backlog: what a client does not read waits here, not in grpc's buffers. Bundles
 * are coalesced (and dropped first when the backlog passes {@link #MAX_BACKLOG_BYTES}); pongs and
 * signals cannot be coalesced, so a client that lets more than that many bytes of them wait is
 * closed with {@code RESOURCE_EXHAUSTED}.
 */
final class ListenSession implements StreamObserver<StreamEvent> {
  private static final Logger LOG = LoggerFactory.getLogger(ListenSession.class);
  private static final Set<String> RECORDED_TYPES = Set.of("user_message", "assistant_message", "tool_call", "agent_thinking");
  static final int HELD_ITEMS = 5_000;
  static final int TRACKED_BUNDLES = 1_000;
  static final int MAX_PENDING = 64;
  static final int LAST_K = 10;
  static final int RECENT = 3;
  /** The sources_queried value of a push shed under load: not one of the full sources, so the bundle reads as partial. */
  static final String SHED_SOURCE = "recent_under_load";
  /** Hybrid retrievals running at once across all streams, and how many the cores can take. */
  private static final AtomicInteger IN_FLIGHT = new AtomicInteger();
  private static final int BUSY = Math.max(2, Runtime.getRuntime().availableProcessors());

  /** A bundle this stream pushed: its pattern and its items' tokens, for feedback accounting. */
  private record Pushed(String pattern, Map<String, Integer> itemTokens, boolean[] used) {}

  private final Caller caller;
  private final ServerCallStreamObserver<StreamResponse> out;
  private final MemoryEngine engine;
  private final StreamRegistry registry;
  private final ListenMetrics metrics;
  private final AnticipationMode mode;
  private final AtomicLong lastSeen = new AtomicLong(System.currentTimeMillis());
  private final ClientHoldings held = new ClientHoldings(HELD_ITEMS, ClientHoldings.DEFAULT_HORIZON);
  private final Map<String, Pushed> pushed = lru(TRACKED_BUNDLES);
  private final Set<String> owners = ConcurrentHashMap.newKeySet();
  private final LinkedHashMap<String, StreamResponse> pending = new LinkedHashMap<>();
  private long pendingBytes;
  /** Pongs and signals the client has not read yet, in order. */
  private final ArrayDeque<StreamResponse> controls = new ArrayDeque<>();
  private long controlBytes;
  /** Bytes of pongs, signals and coalesced bundles a stream may leave unread before it is closed. */
  static final int MAX_BACKLOG_BYTES = 256 * 1024;
  /** A refusal waits at most this long for others to share its signal. */
  static final long REFUSAL_FLUSH_MILLIS = 50;
  private final Refusals refusals = new Refusals();
  private boolean throttled;
  private final SeenConversations seen = new SeenConversations();
  private volatile boolean closed;
  /** Records run behind pushes, in the stream's order; at most this many wait before the stream itself waits. */
  static final int MAX_UNRECORDED = 256;
  private final Executor recorder;
  private final AtomicInteger unrecorded = new AtomicInteger();
  private volatile CompletableFuture<Void> recording = CompletableFuture.completedFuture(null);

  ListenSession(Caller caller, ServerCallStreamObserver<StreamResponse> out, MemoryEngine engine, StreamRegistry registry,
      ListenMetrics metrics, AnticipationMode mode, Executor recorder) {
    this.recorder = recorder;
    this.caller = caller;
    this.out = out;
    this.engine = engine;
    this.registry = registry;
    this.metrics = metrics;
    this.mode = mode;
    out.setOnCancelHandler(this::forget);
    out.setOnReadyHandler(this::drainPending);
  }

  Caller caller() {
    return caller;
  }

  Set<String> owners() {
    return owners;
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
        case HEARTBEAT_PING -> deliverPong(StreamResponse.newBuilder()
            .setHeartbeatPong(HeartbeatPong.newBuilder().setTimestampMs(event.getHeartbeatPing().getTimestampMs() != 0
                ? event.getHeartbeatPing().getTimestampMs() : System.currentTimeMillis()))
            .build());
        case CONVERSATION_EVENT -> onConversationEvent(event.getConversationEvent());
        case CONTEXT_USED -> onContextUsed(event.getContextUsed());
        case CONTEXT_ASSEMBLED -> metrics.contextAssembled(event.getContextAssembled());
        case SESSION_CONTROL, PAYLOAD_NOT_SET -> {}
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

  private void onConversationEvent(ConversationEvent e) {
    String type = e.getEventType().isBlank() ? "user_message" : e.getEventType().toLowerCase(Locale.ROOT);
    String user = blankToNull(e.getUserId());
    String customer = blankToNull(e.getCustomerId());
    engine.usage().record(caller.instance().instanceId(), Metric.STREAM_EVENTS, user, customer, 1, null);
    String conversation = blankToNull(e.getConversationId());
    if (conversation != null) ScopeRules.requireUuid("conversation_id", conversation);
    if (user != null) ScopeRules.requireId("user_id", user);
    if (customer != null) ScopeRules.requireId("customer_id", customer);
    if (caller.instance().mode() == RelationshipMode.B2B && user != null && customer == null) {
      throw new InvalidInputException("customer_id is required with user_id on a B2B instance");
    }
    if (e.getContent().length() > RecordValidator.MAX_CONTENT_CHARS) {
      throw new InvalidInputException("content is longer than " + RecordValidator.MAX_CONTENT_CHARS + " characters");
    }
    metrics.event(type);
    if (conversation != null) seen.add(new BundleAssembler.Target(user, customer, conversation));
    // Validate before pushing anything, push, then record: the bundle waits neither for this
    // record's fsync nor for the previous event's.
    RecordRequest request = RECORDED_TYPES.contains(type) && conversation != null ? recordRequest(type, e) : null;
    try {
      // A bundle echoes what it searched for: the event's text is redacted like anything stored.
      String instanceId = caller.instance().instanceId();
      var ingest = engine.ingest();
      engine.planner()
          .plan(instanceId, new AnticipationPlanner.Event(type, ingest.redact(instanceId, e.getContent()), e.getToolName(),
              ingest.redact(instanceId, e.getToolArgsJson()), e.getSearchQueriesList().stream().map(q -> ingest.redact(instanceId, q)).toList(),
              e.getContextTypesList()))
          .ifPresent(plan -> push(plan, new BundleAssembler.Target(user, customer, conversation)));
    } catch (RuntimeException ex) {
      // A failed prediction costs a bundle, never the event: it is still recorded below.
      LOG.warn("push for a listen event failed: {}", ex.toString());
    }
    if (request != null) recordInOrder(request);
  }

  /**
   * Stores the event after the ones before it, off the stream's handler. A pong is sent only once
   * every earlier event is stored or named as refused ({@link #deliverPong}), so a pong still
   * proves storage (the SDK's delivery barrier relies on it); a client that outruns the store is
   * slowed through gRPC flow control once {@link #MAX_UNRECORDED} events wait (the handler then
   * waits for the chain). An event the store refuses (full queue, failed write) is named in a
   * {@code throttle} signal so the client resends it; a failed write is not an {@code error}
   * signal, which would make the official client drop the stream for one event.
   */
  private void recordInOrder(RecordRequest request) {
    if (unrecorded.incrementAndGet() > MAX_UNRECORDED) recording.join();
    recording = recording.thenRunAsync(() -> {
      try {
        engine.ingest().record(request);
      } catch (QueueFullException ex) {
        refuse(request.idempotencyKey(), ex.retryAfterSeconds(), "ingestion queue is full");
      } catch (RuntimeException ex) {
        LOG.warn("recording a listen event failed: {}", ex.toString());
        refuse(request.idempotencyKey(), 1, "event could not be stored");
      } finally {
        unrecorded.decrementAndGet();
      }
    }, recorder);
  }

  /**
   * The pong joins the recording chain: it leaves once every earlier event is stored, in order
   * with other pongs, right after the signal naming the events that were not; the events behind
   * the ping are handled meanwhile (a barrier ping right before a request must not make the
   * request wait for an fsync).
   */
  private void deliverPong(StreamResponse pong) {
    recording = recording.thenRun(() -> {
      synchronized (this) {
        flushRefusals();
        deliver(null, pong);
      }
    });
  }

  /**
   * Notes an event that was not stored and may be resent ({@code eventId} may be null: it is then
   * only counted). The signal naming it leaves before the next pong, or within
   * {@link #REFUSAL_FLUSH_MILLIS}, or at once when the batch is full.
   */
  void refuse(String eventId, int retryAfterSeconds, String reason) {
    boolean first;
    synchronized (this) {
      first = refusals.isEmpty();
      if (refusals.add(eventId, retryAfterSeconds, reason)) {
        flushRefusals();
        return;
      }
    }
    if (first) CompletableFuture.delayedExecutor(REFUSAL_FLUSH_MILLIS, TimeUnit.MILLISECONDS, recorder).execute(this::flushRefusals);
  }

  private synchronized void flushRefusals() {
    StreamSignal s = refusals.drain();
    if (s != null) deliver(null, StreamResponse.newBuilder().setSignal(s).build());
  }

  /** An event refused on purpose: named, so the client reports it instead of resending it. */
  void invalid(StreamEvent event, String reason) {
    StreamSignal.Builder s = StreamSignal.newBuilder().setSignalType("invalid_event").setReason(reason == null ? "" : reason);
    String id = ListenGate.eventId(event);
    if (id != null) s.putMetadata("event_id", id);
    send(StreamResponse.newBuilder().setSignal(s).build());
  }

  /** The event as a record request, validated; null when it carries nothing to record. */
  private RecordRequest recordRequest(String type, ConversationEvent e) {
    String content = switch (type) {
      case "tool_call" -> (e.getToolName() + " " + e.getToolArgsJson()).strip();
      default -> e.getContent();
    };
    if (content.isBlank()) return null;
    String role = e.getRole().isBlank() ? (type.equals("user_message") ? "user" : "assistant") : e.getRole();
    if (!role.equals("user") && !role.equals("assistant")) role = "assistant";
    Map<String, String> metadata = new HashMap<>(e.getMetadataMap());
    metadata.put("event_type", type);
    RecordValidator.checkMetadata(metadata);
    String idempotency = metadata.get("event_id");
    return RecordValidator.validate(caller.instance(), new RecordRequest(caller.instance().instanceId(),
        e.getConversationId(), e.getUserId(), e.getCustomerId(), e.getSessionId(), role,
        type.endsWith("_message") ? "message" : type, content, metadata,
        e.getTimestampMs() > 0 ? Instant.ofEpochMilli(e.getTimestampMs()) : null, idempotency));
  }

  /** A push plan held to the instance's item budget (a reactive request keeps what it asked for). */
  private BundlePlan capped(BundlePlan plan) {
    int max = engine.memoryConfigs().active(caller.instance().instanceId()).anticipation().maxItems();
    if (plan.bundleType().equals("reactive") || plan.maxItems() <= max) return plan;
    return new BundlePlan(plan.bundleType(), plan.queries(), plan.keywords(), plan.types(), plan.originPatternId(), plan.confidence(),
        plan.ttlSeconds(), max);
  }

  /**
   * Runs the plan (or the baseline predictor), drops what the client already holds, and delivers.
   *
   * <p>The planner pushes in two steps: the lexical first pass with the owner's newest memories as
   * soon as it is ready (no model run: a few milliseconds after the event), then what the dense
   * searches add, once the query is embedded. Both are the same plan's bundles; the second carries
   * only items the first did not (the held-item rule), and none at all when the dense searches
   * found nothing new. A reactive request gets one bundle with the full result: the caller asked for
   * an answer, not for a stream of them.
   */
  private void push(BundlePlan planned, BundleAssembler.Target target) {
    BundlePlan plan = capped(planned);
    boolean reactive = plan.bundleType().equals("reactive");
    if (!reactive && mode == AnticipationMode.NONE) return;
    // The instance's anticipation knobs: off pushes nothing ahead (a reactive request is still
    // answered), and a push carries at most its item and token budgets.
    MemoryConfig.Anticipation knobs = engine.memoryConfigs().active(caller.instance().instanceId()).anticipation();
    if (!reactive && !knobs.enabled()) return;
    int tokenBudget = reactive ? ContextQuery.DEFAULT_TOKEN_BUDGET : knobs.maxTokens();
    long start = System.nanoTime();
    Scope scope = target.userId() != null ? Scope.USER : target.customerId() != null ? Scope.CUSTOMER
        : target.conversationId() != null ? Scope.CONVERSATION : Scope.CLIENT;
    ContextQuery query = new ContextQuery(caller.instance().instanceId(), scope, target.conversationId(), target.userId(), target.customerId(),
        plan.queries(), plan.types(), plan.maxItems(), "fast", tokenBudget);
    if (reactive) {
      deliverResult(plan, retrieve(query, null), target, start);
    } else if (mode == AnticipationMode.LAST_K) {
      // The naive baseline searched for nothing, and its bundle must not claim queries it never ran.
      deliverResult(new BundlePlan(plan.bundleType(), List.of(), List.of(), plan.types(), plan.originPatternId(), plan.confidence(),
          plan.ttlSeconds(), plan.maxItems()), lastK(query, LAST_K), target, start);
    } else if (IN_FLIGHT.get() >= BUSY || engine.ingest().pressure().busy()) {
      // Shed load, not events: when pushes pile up (more at once than the cores can embed) or a
      // write burst is on, an anticipation push carries the owner's newest memories (one indexed
      // read, no search) and says so (degradation_level = partial). Every event is still recorded.
      ContextResult recent = lastK(query, plan.maxItems());
      deliverResult(plan, new ContextResult(recent.items(), recent.tokensUsed(), recent.tokenBudget(), recent.budgetExceeded(), recent.mode(),
          List.of(SHED_SOURCE), 0), target, start);
      metrics.shed();
    } else {
      // The next turn usually continues the current thread: besides what the event is about, the
      // planner also carries the owner's few newest memories, in its first bundle.
      boolean[] first = new boolean[1];
      ContextResult full = retrieve(query, early -> {
        first[0] = true;
        deliverResult(plan, withRecent(early, lastK(query, RECENT)), target, start);
      });
      deliverResult(plan, first[0] ? full : withRecent(full, lastK(query, RECENT)), target, start);
    }
  }

  private ContextResult retrieve(ContextQuery query, Consumer<ContextResult> early) {
    IN_FLIGHT.incrementAndGet();
    try {
      return engine.retriever().retrieve(query, early);
    } finally {
      IN_FLIGHT.decrementAndGet();
    }
  }

  /** One bundle of a plan: for anticipation, only what the client does not hold, and nothing when that is nothing. */
  private void deliverResult(BundlePlan plan, ContextResult result, BundleAssembler.Target target, long start) {
    boolean reactive = plan.bundleType().equals("reactive");
    if (!reactive) result = withoutHeld(result);
    if (!reactive && result.items().isEmpty()) {
      metrics.suppressed();
      return;
    }
    ContextBundleProto bundle = BundleAssembler.assemble(plan, result, target);
    track(bundle, plan.originPatternId(), result, target, !reactive);
    // A first pass and the dense additions after it are coalesced separately: under back-pressure a
    // newer first pass replaces an older one, and neither replaces the other.
    boolean firstPass = BundleAssembler.firstPass(result);
    deliver(ownerKeyOf(target) + "|" + plan.bundleType() + (firstPass ? "|first" : ""), StreamResponse.newBuilder().setContextBundle(bundle).build());
    metrics.pushed(plan.bundleType(), firstPass ? "first" : "complete", System.nanoTime() - start);
  }

  /** The owner's {@code k} newest memories, whatever the event said (alone, the naive baseline). */
  private ContextResult lastK(ContextQuery q, int k) {
    List<ContextItem> items = new ArrayList<>();
    for (Memory m : engine.store().memories().list(LexicalRetriever.filterFor(q), k, 0)) {
      items.add(new ContextItem(m, 0.5, 0.0, "recent", Tokens.estimate(m.content())));
    }
    TokenBudget.Fitted f = TokenBudget.fit(items, q.tokenBudget(), k);
    return new ContextResult(f.items(), f.tokensUsed(), q.tokenBudget(), f.exceeded(), "fast", List.of("recent"), 0);
  }

  private static ContextResult withRecent(ContextResult retrieved, ContextResult recent) {
    List<ContextItem> items = new ArrayList<>(retrieved.items());
    Set<String> ids = new HashSet<>();
    for (ContextItem i : items) ids.add(i.memory().memoryId());
    int tokens = retrieved.tokensUsed();
    for (ContextItem i : recent.items()) {
      if (ids.add(i.memory().memoryId()) && tokens + i.tokens() <= retrieved.tokenBudget()) {
        items.add(i);
        tokens += i.tokens();
      }
    }
    List<String> sources = new ArrayList<>(retrieved.sourcesQueried());
    sources.add("recent");
    return new ContextResult(items, tokens, retrieved.tokenBudget(), retrieved.budgetExceeded(), retrieved.mode(), sources, retrieved.retrievalMicros());
  }

  private ContextResult withoutHeld(ContextResult r) {
    List<ContextItem> fresh = new ArrayList<>();
    int tokens = 0;
    synchronized (held) {
      for (ContextItem i : r.items()) {
        if (held.holds(i.memory().memoryId(), i.memory().updatedAt().toEpochMilli())) continue;
        fresh.add(i);
        tokens += i.tokens();
      }
    }
    return new ContextResult(fresh, tokens, r.tokenBudget(), r.budgetExceeded(), r.mode(), r.sourcesQueried(), r.retrievalMicros());
  }

  private void track(ContextBundleProto bundle, String pattern, ContextResult result, BundleAssembler.Target target, boolean cached) {
    Map<String, Integer> itemTokens = new HashMap<>();
    synchronized (held) {
      if (cached) held.nextBundle();
      for (ContextItem i : result.items()) {
        itemTokens.put(i.memory().memoryId(), i.tokens());
        if (cached) held.pushed(i.memory().memoryId(), i.memory().updatedAt().toEpochMilli());
      }
      pushed.put(bundle.getBundleId(), new Pushed(pattern, itemTokens, new boolean[1]));
    }
    if (cached && (target.userId() != null || target.customerId() != null)) {
      String owner = ownerKeyOf(target);
      if (owners.add(owner)) registry.holds(this, owner);
    }
    engine.planner().feedback().pushed(caller.instance().instanceId(), pattern, itemTokens.size(), result.tokensUsed());
  }

  private String ownerKeyOf(BundleAssembler.Target t) {
    return StreamRegistry.ownerKey(caller.instance().instanceId(), t.userId(), t.customerId());
  }

  /**
   * New or reinforced memories of an owner this stream holds bundles for: push the ones the client
   * does not hold yet, so its cache does not go stale (another agent or a document wrote them).
   */
  void onMemoriesWritten(String userId, String customerId, List<Memory> memories) {
    List<ContextItem> items = new ArrayList<>();
    for (Memory m : memories) items.add(new ContextItem(m, 0.5, 0.0, "update", Tokens.estimate(m.content())));
    ContextResult fresh = withoutHeld(new ContextResult(items, 0, ContextQuery.DEFAULT_TOKEN_BUDGET, false, "fast", List.of("update"), 0));
    // Updates are part of the planner; the baselines measure their predictor alone.
    if (fresh.items().isEmpty() || mode != AnticipationMode.PLANNER) return;
    BundlePlan plan = new BundlePlan("anticipation", List.of(), List.of(), Set.of(), "memory_write.update", 0.5f, 1800, fresh.items().size());
    BundleAssembler.Target target = new BundleAssembler.Target(userId, customerId, null);
    ContextBundleProto bundle = BundleAssembler.assemble(plan, fresh, target);
    track(bundle, plan.originPatternId(), fresh, target, true);
    deliver(ownerKeyOf(target) + "|update", StreamResponse.newBuilder().setContextBundle(bundle).build());
  }

  /** Credits the patterns whose bundles a client served from its cache. */
  private void onContextUsed(ContextUsedEvent e) {
    metrics.contextUsed(e);
    Set<String> served = Set.copyOf(e.getServedItemIdsList());
    List<String> bundleIds = new ArrayList<>(e.getSourceBundleIdsList());
    if (!e.getBundleId().isBlank()) bundleIds.add(e.getBundleId());
    synchronized (held) {
      for (String id : bundleIds) {
        Pushed p = pushed.get(id);
        if (p == null) continue;
        int items = 0;
        int tokens = 0;
        for (var it : p.itemTokens().entrySet()) {
          if (served.contains(it.getKey())) {
            items++;
            tokens += it.getValue();
          }
        }
        boolean first = !p.used()[0];
        p.used()[0] = true;
        engine.planner().feedback().used(caller.instance().instanceId(), p.pattern(), items, tokens, first);
      }
    }
  }

  /** A bundle built elsewhere (a compaction update); coalesced per key like every bundle. */
  void sendBundle(String coalesceKey, StreamResponse bundle) {
    deliver(coalesceKey, bundle);
  }

  /** A control frame (signal) written at once; control frames are never coalesced. */
  void send(StreamResponse control) {
    deliver(null, control);
  }

  /**
   * Writes a response while the client keeps up (grpc's {@code isReady}). Otherwise a bundle (it
   * has a coalescing key) becomes the one pending bundle for that key, and a control frame (pong,
   * signal) waits in order behind the other control frames. Past {@link #MAX_BACKLOG_BYTES} the
   * oldest pending bundles are dropped, and if control frames alone exceed it the stream is closed:
   * a client that never reads must not make the server buffer without bound.
   */
  private synchronized void deliver(String coalesceKey, StreamResponse response) {
    if (closed || out.isCancelled()) return;
    if (coalesceKey == null) {
      if (out.isReady() && controls.isEmpty()) {
        write(response);
        return;
      }
      controls.addLast(response);
      controlBytes += response.getSerializedSize();
    } else {
      if (out.isReady() && controls.isEmpty() && pending.isEmpty()) {
        write(response);
        return;
      }
      removePending(coalesceKey);
      pending.put(coalesceKey, response);
      pendingBytes += response.getSerializedSize();
      if (pending.size() > MAX_PENDING) removePending(pending.keySet().iterator().next());
      metrics.coalesced();
      if (!throttled) {
        throttled = true;
        StreamResponse notice = StreamResponse.newBuilder().setSignal(StreamSignal.newBuilder().setSignalType("throttle")
            .setReason("client is not reading; bundles are coalesced until it catches up")).build();
        controls.addLast(notice);
        controlBytes += notice.getSerializedSize();
      }
    }
    while (controlBytes + pendingBytes > MAX_BACKLOG_BYTES && !pending.isEmpty()) {
      removePending(pending.keySet().iterator().next());
      metrics.backlogDropped();
    }
    if (controlBytes > MAX_BACKLOG_BYTES) closeUnread();
  }

  /** Forgets the pending bundle under {@code key}: it never reached the client, so its items are not held. */
  private void removePending(String key) {
    StreamResponse dropped = pending.remove(key);
    if (dropped == null) return;
    pendingBytes -= dropped.getSerializedSize();
    if (!dropped.hasContextBundle()) return;
    synchronized (held) {
      for (String id : BundleAssembler.itemIds(dropped.getContextBundle())) held.forget(id);
    }
  }

  /** The client reads again: control frames first (in order), then the pending bundles. */
  private synchronized void drainPending() {
    while (!controls.isEmpty() && out.isReady() && !closed) {
      StreamResponse r = controls.pollFirst();
      controlBytes -= r.getSerializedSize();
      write(r);
    }
    while (controls.isEmpty() && !pending.isEmpty() && out.isReady() && !closed) {
      var first = pending.keySet().iterator().next();
      StreamResponse r = pending.remove(first);
      pendingBytes -= r.getSerializedSize();
      write(r);
    }
    if (pending.isEmpty() && controls.isEmpty()) throttled = false;
  }

  /** The client lets pongs and signals pile up unread: end the stream with a status that says why. */
  private void closeUnread() {
    closed = true;
    LOG.info("closing a Listen stream whose client does not read: {} bytes of pongs and signals waiting", controlBytes);
    metrics.closedUnread();
    controls.clear();
    controlBytes = 0;
    pending.clear();
    pendingBytes = 0;
    try {
      out.onError(Status.RESOURCE_EXHAUSTED.withDescription("the client does not read its stream: more than " + MAX_BACKLOG_BYTES / 1024
          + " KiB of pongs and signals are waiting").asRuntimeException());
    } catch (RuntimeException ignored) {
      // already cancelled by the peer
    }
    forget();
  }


  private void write(StreamResponse response) {
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
    write(StreamResponse.newBuilder().setSignal(StreamSignal.newBuilder().setSignalType("closing").setReason(reason)).build());
    closed = true;
    try {
      out.onCompleted();
    } catch (RuntimeException ignored) {
      // already cancelled by the peer
    }
    forget();
  }

  synchronized void closeIdle(String reason) {
    if (closed) return;
    closed = true;
    try {
      out.onError(Status.UNAVAILABLE.withDescription("stream idle: " + reason).asRuntimeException());
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

  private static <K, V> Map<K, V> lru(int max) {
    return new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }
}
