package dev.synap.sdk;

import dev.synap.proto.v1.ContextBundleProto;
import dev.synap.proto.v1.ContextItemList;
import dev.synap.proto.v1.ContextItemProto;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.HeartbeatPing;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.proto.v1.StreamSignal;
import dev.synap.proto.v1.SynapServiceGrpc;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SDK side of one Listen stream, with the official client's lifecycle: heartbeat every
 * interval, a stream with no pong for interval + timeout is dead; reconnect with full-jitter
 * backoff (caps 1, 2, 4, ... 30 s) for up to the configured attempts.
 *
 * <p>Unlike the official client, every event is kept until the server confirms it, so nothing the
 * caller handed over is lost without the caller being told:
 *
 * <ul>
 *   <li><b>Confirmation.</b> The server handles a stream's frames in order and sends a pong only
 *       once every event before the ping is stored or named as refused in a signal written before
 *       that pong. So a pong for a barrier ping (negative timestamp {@code -id}, never confused with
 *       a heartbeat) confirms every event written before the barrier that no signal named. A
 *       barrier follows written events within {@link #PACE_MILLIS} (at most 20 per second, under
 *       the server's per-stream ping budget).
 *   <li><b>Refusals.</b> {@code throttle} naming {@code event_ids} (rate limit, full ingest queue,
 *       failed write): those events go back to the waiting list in their original order and the
 *       stream pauses for {@code retry_after_seconds}; the in-flight window halves (at most once
 *       per pause) and grows back by what each pong confirms, so a flood settles near the rate the
 *       server accepts instead of being refused over and over. An event refused
 *       {@link #MAX_REFUSALS} times is given up. {@code invalid_event} naming an {@code event_id}:
 *       refused on purpose, not resent. Both are counted and reported through
 *       {@link ListenCallbacks#onEventRejected()}.
 *   <li><b>Back-pressure.</b> At most {@link #UNCONFIRMED_LIMIT} events are held (written and not
 *       confirmed, or waiting: stream down, paused, window full). A sender beyond that waits; if
 *       the connected server confirms nothing for heartbeat interval + timeout (at least 30 s),
 *       the send fails with {@link RateLimitException} and the event is not taken (while the
 *       stream is being restored it waits for the reconnect loop). Nothing is dropped.
 *   <li><b>Reconnect.</b> What was written but not confirmed goes back to the waiting list and is
 *       resent on the new stream (the server drops replays it already stored, by {@code event_id});
 *       events keep their original timestamp. Events waiting more than five minutes are given up.
 * </ul>
 */
final class StreamConnection {
  private static final Logger LOG = LoggerFactory.getLogger(StreamConnection.class);
  static final long QUEUE_AGE_MS = 5 * 60_000;
  static final int UNCONFIRMED_LIMIT = 1_000;
  static final int MIN_WINDOW = 16;
  static final int MAX_REFUSALS = 10;
  static final long PACE_MILLIS = 50;
  static final long MIN_STALL_SECONDS = 30;
  private static final ObjectMapper JSON = new ObjectMapper();

  enum State { CONNECTING, CONNECTED, RECONNECTING, DISCONNECTED, CLOSED }

  /** An event the SDK holds: {@code order} is its place in the caller's sequence, kept across resends. */
  private record Held(long order, ConversationEvent event, String eventId, int refusals, long heldSince) {
    Held refused() {
      return new Held(order, event, eventId, refusals + 1, heldSince);
    }
  }

  // Delivery ledger, guarded by `ledger`; waiters (senders, flush, the pacer) are woken on every change.
  private final Object ledger = new Object();
  private final TreeMap<Long, Held> inFlight = new TreeMap<>(); // by write sequence
  private final Map<String, Long> inFlightSeq = new HashMap<>();
  private final TreeMap<Long, Held> waiting = new TreeMap<>(); // by order
  private final TreeMap<Long, Long> barriers = new TreeMap<>(); // barrier id -> last sequence it covers
  private long lastSeq;
  private long lastOrder;
  private long lastBarrierId;
  private long barrierSeq;
  // nanoTime has an arbitrary origin (it may be negative): start every clock at "now".
  private long lastBarrierNanos = System.nanoTime() - TimeUnit.SECONDS.toNanos(1);
  private int window = UNCONFIRMED_LIMIT;
  private long pausedUntilNanos = System.nanoTime();
  private long lastProgressNanos = System.nanoTime();
  /** When the stream last became connected: time spent reconnecting is not the server's stall. */
  private volatile long connectedSinceNanos = System.nanoTime();
  private final AtomicLong confirmed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong resent = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();

  private final SynapConfig config;
  private final Metadata headers;
  private final AnticipationCache cache;
  private final CompactionUpdates compactionUpdates;
  private final ListenCallbacks callbacks;
  private final TelemetrySender telemetry;
  private final Object writeLock = new Object();
  private final AtomicLong lastPong = new AtomicLong();
  private volatile State state = State.CONNECTING;
  private volatile ManagedChannel channel;
  private volatile StreamObserver<StreamEvent> requests;
  private volatile CompletableFuture<Void> established;
  private volatile long generation;
  private Thread heartbeat;
  private Thread pacer;

  StreamConnection(SynapConfig config, Identity identity, AnticipationCache cache, CompactionUpdates compactionUpdates, ListenCallbacks callbacks,
      TelemetrySender telemetry) {
    this.config = config;
    this.cache = cache;
    this.compactionUpdates = compactionUpdates;
    this.callbacks = callbacks;
    this.telemetry = telemetry;
    this.headers = new Metadata();
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + config.apiKey());
    headers.put(Metadata.Key.of("x-client-id", Metadata.ASCII_STRING_MARSHALLER), identity == null ? "" : identity.clientId());
    headers.put(Metadata.Key.of("x-instance-id", Metadata.ASCII_STRING_MARSHALLER), identity == null ? "" : identity.instanceId());
    // How many bundles our cache keeps, so the server resends an item once we have likely evicted it.
    headers.put(Metadata.Key.of("x-synap-cache-bundles", Metadata.ASCII_STRING_MARSHALLER), Integer.toString(Math.clamp(config.cacheCapacity(), 1, 1_000_000)));
  }

  State state() {
    return state;
  }

  /** Opens the stream; returns once the server answered the first ping. */
  void open() {
    connectOnce();
    connectedSinceNanos = System.nanoTime();
    state = State.CONNECTED;
    heartbeat = Thread.ofVirtual().name("synap-heartbeat").start(this::heartbeatLoop);
    pacer = Thread.ofVirtual().name("synap-pacer").start(this::paceLoop);
  }

  private void connectOnce() {
    ManagedChannel ch = channel();
    long gen;
    CompletableFuture<Void> ready = new CompletableFuture<>();
    synchronized (ledger) {
      // Nothing written on the old stream will be confirmed: resend it, in its original order.
      barriers.clear();
      for (Held h : inFlight.values()) waiting.put(h.order(), h);
      inFlight.clear();
      inFlightSeq.clear();
      barrierSeq = lastSeq;
    }
    synchronized (writeLock) {
      gen = ++generation;
      established = ready;
      channel = ch;
      requests = SynapServiceGrpc.newStub(ch)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
          .listen(new Responses(gen));
      requests.onNext(ping());
    }
    try {
      ready.get(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
      lastPong.set(System.nanoTime());
    } catch (TimeoutException e) {
      ch.shutdownNow();
      throw new NetworkTimeoutException("no answer from " + config.grpcHost() + ":" + config.grpcPort() + " within " + config.connectTimeout());
    } catch (InterruptedException e) {
      ch.shutdownNow();
      Thread.currentThread().interrupt();
      throw new NetworkTimeoutException("interrupted while connecting");
    } catch (ExecutionException e) {
      ch.shutdownNow();
      Status status = Status.fromThrowable(e.getCause());
      if (status.getCode() == Status.Code.UNAUTHENTICATED) throw new AuthenticationException("stream refused: " + status.getDescription());
      if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED) throw new RateLimitException("stream refused: " + status.getDescription(), null, null);
      if (status.getCode() == Status.Code.UNAVAILABLE || status.getCode() == Status.Code.DEADLINE_EXCEEDED) {
        throw new NetworkTimeoutException("cannot reach " + config.grpcHost() + ":" + config.grpcPort() + ": " + status);
      }
      throw new ServiceUnavailableException("stream could not be opened: " + status);
    }
  }

  private ManagedChannel channel() {
    NettyChannelBuilder b = NettyChannelBuilder.forAddress(config.grpcHost(), config.grpcPort())
        .keepAliveTime(30, TimeUnit.SECONDS)
        .keepAliveTimeout(10, TimeUnit.SECONDS)
        .keepAliveWithoutCalls(true);
    if (!config.grpcUseTls()) b.usePlaintext();
    return b.build();
  }

  /**
   * Takes an event: written at once when nothing waits before it, else held for the pacer. Waits
   * while {@link #UNCONFIRMED_LIMIT} events are held.
   *
   * @throws RateLimitException when the server confirmed nothing while the sender waited for
   *     heartbeat interval + timeout; the event was not taken
   */
  void send(ConversationEvent event) {
    State s = state;
    if (s == State.CLOSED || s == State.DISCONNECTED) throw new ListeningNotActiveException();
    String id = event.getMetadataMap().getOrDefault("event_id", "");
    synchronized (ledger) {
      awaitRoom();
      Held h = new Held(++lastOrder, event, id, 0, System.currentTimeMillis());
      if (!(state == State.CONNECTED && waiting.isEmpty() && !paused() && inFlight.size() < window && writeHeld(h))) waiting.put(h.order(), h);
      ledger.notifyAll();
    }
  }

  /** Called holding the ledger: waits for room, or throws once the server has made no progress for the stall time. */
  private void awaitRoom() {
    long stallNanos = stallNanos();
    while (held() >= UNCONFIRMED_LIMIT) {
      State s = state;
      if (s == State.CLOSED || s == State.DISCONNECTED) throw new ListeningNotActiveException();
      long since = connectedSinceNanos - lastProgressNanos > 0 ? connectedSinceNanos : lastProgressNanos;
      long idle = System.nanoTime() - since;
      // While reconnecting the sender just waits: the reconnect loop's attempts bound that wait.
      if (s == State.CONNECTED && idle >= stallNanos) {
        long pause = pausedUntilNanos - System.nanoTime();
        throw new RateLimitException(held() + " events are waiting for the server's confirmation and none was confirmed for "
            + TimeUnit.NANOSECONDS.toSeconds(idle) + " s; this event was not sent", pause > 0 ? (int) Math.max(1, TimeUnit.NANOSECONDS.toSeconds(pause)) : null,
            null);
      }
      try {
        ledger.wait(Math.max(1, Math.min(PACE_MILLIS, TimeUnit.NANOSECONDS.toMillis(Math.max(0, stallNanos - idle)))));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NetworkTimeoutException("interrupted while waiting for the server to confirm earlier events");
      }
    }
  }

  /**
   * How long a connected server may confirm nothing before a waiting sender is told: the time after
   * which a silent stream counts as dead, but at least {@link #MIN_STALL_SECONDS}, because a
   * fresh server (after a crash) stores a replayed window of 1,000 events before its first pong.
   */
  private long stallNanos() {
    return Math.max(config.heartbeatInterval().plus(config.heartbeatTimeout()).toNanos(), TimeUnit.SECONDS.toNanos(MIN_STALL_SECONDS));
  }

  private int held() {
    return inFlight.size() + waiting.size();
  }

  private boolean paused() {
    return System.nanoTime() - pausedUntilNanos < 0;
  }

  /** Called holding the ledger: writes an event and tracks it until a pong confirms it or a signal names it. */
  private boolean writeHeld(Held h) {
    if (!write(StreamEvent.newBuilder().setConversationEvent(h.event()).build())) return false;
    long seq = ++lastSeq;
    inFlight.put(seq, h);
    if (!h.eventId().isEmpty()) inFlightSeq.put(h.eventId(), seq);
    return true;
  }

  /**
   * Every {@link #PACE_MILLIS}, or sooner when woken: gives up on events waiting too long, writes
   * waiting events while the stream is up, not paused and the window has room, and sends a
   * barrier when events were written since the last one.
   */
  private void paceLoop() {
    while (state != State.CLOSED) {
      List<RejectedEvent> givenUp = new ArrayList<>();
      synchronized (ledger) {
        try {
          ledger.wait(PACE_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
        long cutoff = System.currentTimeMillis() - QUEUE_AGE_MS;
        for (var it = waiting.values().iterator(); it.hasNext(); ) {
          Held h = it.next();
          if (h.heldSince() >= cutoff) continue;
          it.remove();
          dropped.incrementAndGet();
          givenUp.add(RejectedEvent.of(h.eventId(), RejectedEvent.Cause.EXPIRED, "not delivered within " + QUEUE_AGE_MS / 60_000 + " minutes"));
        }
        if (!givenUp.isEmpty()) progress();
        if (state == State.CONNECTED && !paused()) {
          while (!waiting.isEmpty() && inFlight.size() < window) {
            Held h = waiting.firstEntry().getValue();
            if (!writeHeld(h)) break;
            waiting.pollFirstEntry();
            if (h.refusals() > 0) resent.incrementAndGet();
          }
        }
        if (state == State.CONNECTED && lastSeq > barrierSeq && System.nanoTime() - lastBarrierNanos >= TimeUnit.MILLISECONDS.toNanos(PACE_MILLIS)) {
          barrier();
        }
      }
      report(givenUp);
    }
  }

  /** Called holding the ledger: a ping whose pong confirms every event written before it that no signal named. */
  private void barrier() {
    long id = ++lastBarrierId;
    barriers.put(id, lastSeq);
    if (barriers.size() > 1_000) barriers.pollFirstEntry();
    barrierSeq = lastSeq;
    lastBarrierNanos = System.nanoTime();
    write(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(-id)).build());
  }

  /** Called holding the ledger: something left the ledger, senders may go on. */
  private void progress() {
    lastProgressNanos = System.nanoTime();
    ledger.notifyAll();
  }

  private void confirm(long pongTimestamp) {
    if (pongTimestamp >= 0) return;
    synchronized (ledger) {
      var covered = barriers.headMap(-pongTimestamp, true);
      if (covered.isEmpty()) return;
      long upTo = covered.values().stream().mapToLong(Long::longValue).max().orElse(0);
      covered.clear();
      int n = 0;
      while (!inFlight.isEmpty() && inFlight.firstKey() <= upTo) {
        var e = inFlight.pollFirstEntry();
        inFlightSeq.remove(e.getValue().eventId(), e.getKey());
        n++;
      }
      if (n > 0) {
        confirmed.addAndGet(n);
        window = Math.min(UNCONFIRMED_LIMIT, window + n);
        progress();
      }
    }
  }

  /** A {@code throttle} signal: the events it names were not stored; hold them for a resend after the pause. */
  private void onThrottle(StreamSignal signal) {
    List<String> ids = namedEvents(signal);
    if (ids.isEmpty()) {
      LOG.warn("server asked to slow down: {}", signal.getReason());
      return;
    }
    int retryAfter = 1;
    try {
      retryAfter = Math.max(1, Integer.parseInt(signal.getMetadataMap().getOrDefault("retry_after_seconds", "1")));
    } catch (NumberFormatException ignored) {
      // keep one second
    }
    List<RejectedEvent> givenUp = new ArrayList<>();
    synchronized (ledger) {
      for (String id : ids) {
        Held h = takeInFlight(id);
        if (h == null) continue;
        Held again = h.refused();
        if (again.refusals() >= MAX_REFUSALS) {
          dropped.incrementAndGet();
          givenUp.add(RejectedEvent.of(id, RejectedEvent.Cause.RETRIES_EXHAUSTED, signal.getReason()));
        } else {
          waiting.put(again.order(), again);
        }
      }
      long now = System.nanoTime();
      if (now - pausedUntilNanos >= 0) window = Math.max(MIN_WINDOW, window / 2);
      long until = now + TimeUnit.SECONDS.toNanos(retryAfter);
      if (until - pausedUntilNanos > 0) pausedUntilNanos = until;
      // A refusal is not progress (the events are still held), unless some were given up.
      if (givenUp.isEmpty()) ledger.notifyAll();
      else progress();
    }
    LOG.debug("server refused {} events for now: {}", ids.size(), signal.getReason());
    report(givenUp);
  }

  /** An {@code invalid_event} signal: the named event is refused for good; report it, never resend it. */
  private void onInvalid(StreamSignal signal) {
    String id = signal.getMetadataMap().get("event_id");
    Held h = null;
    if (id != null) {
      synchronized (ledger) {
        h = takeInFlight(id);
        if (h != null) {
          rejected.incrementAndGet();
          progress();
        }
      }
    }
    if (h == null) {
      LOG.warn("server refused an event: {}", signal.getReason());
      return;
    }
    report(List.of(RejectedEvent.of(id, RejectedEvent.Cause.INVALID, signal.getReason())));
  }

  /** Called holding the ledger. */
  private Held takeInFlight(String eventId) {
    Long seq = inFlightSeq.remove(eventId);
    return seq == null ? null : inFlight.remove(seq);
  }

  private static List<String> namedEvents(StreamSignal signal) {
    String ids = signal.getMetadataMap().get("event_ids");
    if (ids != null) {
      try {
        List<String> out = new ArrayList<>();
        for (JsonNode n : JSON.readTree(ids)) out.add(n.asText());
        return out;
      } catch (JsonProcessingException e) {
        LOG.debug("unreadable event_ids in a signal: {}", e.getMessage());
      }
    }
    String one = signal.getMetadataMap().get("event_id");
    return one == null ? List.of() : List.of(one);
  }

  private void report(List<RejectedEvent> events) {
    for (RejectedEvent e : events) {
      try {
        callbacks.onEventRejected().accept(e);
      } catch (RuntimeException ex) {
        LOG.warn("onEventRejected callback failed: {}", ex.toString());
      }
    }
  }

  /** Waits until every event taken so far is confirmed or reported (or the timeout passes). */
  boolean flush(java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (ledger) {
      while (held() > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) return false;
        ledger.wait(Math.max(1, Math.min(PACE_MILLIS, TimeUnit.NANOSECONDS.toMillis(left))));
      }
      return true;
    }
  }

  int unconfirmedEvents() {
    synchronized (ledger) {
      return inFlight.size();
    }
  }

  long confirmedEvents() {
    return confirmed.get();
  }

  /** Events given up on (refused too often, or waiting too long), each reported through onEventRejected. */
  long droppedEvents() {
    return dropped.get();
  }

  /** Resends of events the server refused for now. */
  long resentEvents() {
    return resent.get();
  }

  /** Events the server refused as invalid, each reported through onEventRejected. */
  long rejectedEvents() {
    return rejected.get();
  }

  /** Best effort, never queued (feedback events: context_used, context_assembled). */
  void sendFeedback(StreamEvent event) {
    if (state == State.CONNECTED) write(event);
  }

  private boolean write(StreamEvent event) {
    synchronized (writeLock) {
      try {
        requests.onNext(event);
        return true;
      } catch (RuntimeException e) {
        LOG.debug("stream write failed: {}", e.toString());
        return false;
      }
    }
  }

  /** Events held but not written: the stream is down, paused after a throttle, or the window is full. */
  int queuedEvents() {
    synchronized (ledger) {
      return waiting.size();
    }
  }

  private void heartbeatLoop() {
    long intervalNanos = config.heartbeatInterval().toNanos();
    long staleNanos = intervalNanos + config.heartbeatTimeout().toNanos();
    while (state != State.CLOSED) {
      try {
        Thread.sleep(config.heartbeatInterval());
      } catch (InterruptedException e) {
        return;
      }
      if (state != State.CONNECTED) continue;
      write(ping());
      if (System.nanoTime() - lastPong.get() > staleNanos) triggerReconnect(generation, "heartbeat_timeout");
    }
  }

  private static StreamEvent ping() {
    return StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(System.currentTimeMillis())).build();
  }

  private void triggerReconnect(long gen, String reason) {
    synchronized (this) {
      if (gen != generation || state != State.CONNECTED) return;
      state = State.RECONNECTING;
    }
    LOG.info("stream lost ({}); reconnecting", reason);
    ManagedChannel old = channel;
    if (old != null) old.shutdownNow();
    Thread.ofVirtual().name("synap-reconnect").start(() -> reconnectLoop(reason));
  }

  private void reconnectLoop(String reason) {
    for (int attempt = 1; attempt <= config.maxReconnectAttempts(); attempt++) {
      long capMillis = (long) (Math.min(1.0 * (1L << Math.min(attempt - 1, 20)), 30.0) * 1000);
      try {
        Thread.sleep(ThreadLocalRandom.current().nextLong(capMillis + 1));
      } catch (InterruptedException e) {
        return;
      }
      if (state == State.CLOSED) return;
      try {
        connectOnce();
        synchronized (this) {
          if (state == State.CLOSED) return;
          connectedSinceNanos = System.nanoTime();
          state = State.CONNECTED;
        }
        synchronized (ledger) {
          ledger.notifyAll(); // the pacer resends what the old stream did not confirm
        }
        telemetry.record(SdkEvent.of("listen_reconnect"));
        callbacks.onReconnect().accept(attempt);
        return;
      } catch (SynapException e) {
        LOG.debug("reconnect attempt {} failed: {}", attempt, e.getMessage());
      }
    }
    state = State.DISCONNECTED;
    telemetry.record(SdkEvent.of("listen_disconnect").failed("max_retries_exceeded"));
    callbacks.onDisconnect().accept("max_retries_exceeded after " + reason);
  }

  /**
   * Ends the stream. Events still held are reported through onEventRejected
   * ({@code UNCONFIRMED_AT_CLOSE}: they may or may not be stored); call {@link #flush} first to
   * wait for them.
   */
  void close() {
    state = State.CLOSED;
    if (heartbeat != null) heartbeat.interrupt();
    if (pacer != null) pacer.interrupt();
    List<RejectedEvent> unconfirmed = new ArrayList<>();
    synchronized (ledger) {
      for (Held h : inFlight.values()) {
        unconfirmed.add(RejectedEvent.of(h.eventId(), RejectedEvent.Cause.UNCONFIRMED_AT_CLOSE, "written, not confirmed before listening stopped"));
      }
      for (Held h : waiting.values()) {
        unconfirmed.add(RejectedEvent.of(h.eventId(), RejectedEvent.Cause.UNCONFIRMED_AT_CLOSE, "not written before listening stopped"));
      }
      dropped.addAndGet(unconfirmed.size());
      inFlight.clear();
      inFlightSeq.clear();
      waiting.clear();
      ledger.notifyAll();
    }
    report(unconfirmed);
    ManagedChannel ch = channel;
    if (ch != null) {
      synchronized (writeLock) {
        try {
          requests.onCompleted();
        } catch (RuntimeException ignored) {
          // already broken
        }
      }
      ch.shutdown();
      try {
        if (!ch.awaitTermination(2, TimeUnit.SECONDS)) ch.shutdownNow();
      } catch (InterruptedException e) {
        ch.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Responses of one stream generation; stale generations are ignored after a reconnect. */
  private final class Responses implements StreamObserver<StreamResponse> {
    private final long gen;

    Responses(long gen) {
      this.gen = gen;
    }

    @Override
    public void onNext(StreamResponse r) {
      switch (r.getPayloadCase()) {
        case HEARTBEAT_PONG -> {
          lastPong.set(System.nanoTime());
          confirm(r.getHeartbeatPong().getTimestampMs());
          if (gen == generation) established.complete(null);
        }
        case CONTEXT_BUNDLE -> {
          if (gen == generation) established.complete(null);
          ContextBundle bundle = convert(r.getContextBundle());
          cache.put(bundle);
          compactionUpdates.accept(bundle);
          try {
            callbacks.onContext().accept(bundle);
          } catch (RuntimeException e) {
            LOG.warn("onContext callback failed: {}", e.toString());
          }
        }
        case SIGNAL -> {
          String type = r.getSignal().getSignalType();
          switch (type) {
            case "closing" -> triggerReconnect(gen, "server_closing");
            case "error" -> triggerReconnect(gen, "server_error:" + r.getSignal().getReason());
            case "throttle" -> {
              if (gen == generation) onThrottle(r.getSignal());
            }
            case "invalid_event" -> {
              if (gen == generation) onInvalid(r.getSignal());
            }
            default -> LOG.debug("server signal {}: {}", type, r.getSignal().getReason());
          }
        }
        case PAYLOAD_NOT_SET -> {}
      }
    }

    @Override
    public void onError(Throwable t) {
      if (!established.isDone()) {
        established.completeExceptionally(t);
        return;
      }
      Status s = t instanceof StatusRuntimeException sre ? sre.getStatus() : Status.fromThrowable(t);
      if (s.getCode() == Status.Code.UNAUTHENTICATED && state == State.CONNECTED) {
        // The key was revoked while the stream was open: reconnecting cannot help.
        state = State.DISCONNECTED;
        callbacks.onDisconnect().accept("unauthenticated: " + s.getDescription());
        return;
      }
      triggerReconnect(gen, "grpc_error:" + s.getCode());
    }

    @Override
    public void onCompleted() {
      if (!established.isDone()) established.completeExceptionally(Status.UNAVAILABLE.withDescription("stream closed").asRuntimeException());
      triggerReconnect(gen, "server_close");
    }
  }

  static ContextBundle convert(ContextBundleProto p) {
    List<ContextItem> items = new ArrayList<>();
    for (Map.Entry<String, ContextItemList> e : p.getItemsByTypeMap().entrySet()) {
      for (ContextItemProto i : e.getValue().getItemsList()) {
        items.add(new ContextItem(i.getItemId(), e.getKey(), i.getContent(), i.getConfidence(), i.getRelevanceScore(),
            emptyToNull(i.getEventDate()), emptyToNull(i.getValidUntil()), emptyToNull(i.getTemporalCategory()), emptyToNull(i.getCreatedAt()),
            emptyToNull(i.getSource())));
      }
    }
    items.sort((a, b) -> Double.compare(b.relevance(), a.relevance()));
    String summary = p.hasConversationContext() ? emptyToNull(p.getConversationContext().getSummary()) : null;
    return new ContextBundle(p.getBundleId(), p.getBundleType().isEmpty() ? "anticipation" : p.getBundleType(),
        emptyToNull(p.getAnticipationUserId()), emptyToNull(p.getAnticipationCustomerId()), emptyToNull(p.getAnticipationConversationId()),
        List.copyOf(items), List.copyOf(p.getSearchQueriesList()), p.getTotalTokens(), p.getTtlHintSeconds(), p.getBundleConfidence(),
        p.getOriginPatternId(), summary, p.hasConversationContext() ? PushedContext.decode(p.getConversationContext()) : null,
        p.getDegradationLevel().isEmpty() ? "none" : p.getDegradationLevel());
  }

  private static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }
}
