package dev.synap.sdk;

import dev.synap.proto.v1.ContextBundleProto;
import dev.synap.proto.v1.ContextItemList;
import dev.synap.proto.v1.ContextItemProto;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.HeartbeatPing;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.proto.v1.SynapServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
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
 * backoff (caps 1, 2, 4, ... 30 s) for up to the configured attempts; events that could not be
 * written are queued (100 events, 5 minutes) and replayed in order after a reconnect.
 *
 * <p>Unlike the official client, a {@code sendMessage} during a reconnect is queued rather than
 * refused (the documentation's intent), every event carries an {@code event_id} so the server can
 * drop replays it already applied, and queued events keep their original timestamp.
 */
final class StreamConnection {
  private static final Logger LOG = LoggerFactory.getLogger(StreamConnection.class);
  static final int QUEUE_LIMIT = 100;
  static final long QUEUE_AGE_MS = 5 * 60_000;

  enum State { CONNECTING, CONNECTED, RECONNECTING, DISCONNECTED, CLOSED }

  private record Queued(ConversationEvent event, long queuedAt) {}

  private record Sent(long seq, ConversationEvent event) {}

  static final int CONFIRM_EVERY = 25;
  static final int UNCONFIRMED_LIMIT = 1_000;
  private final Deque<Sent> unconfirmed = new ArrayDeque<>();
  private final java.util.TreeMap<Long, Long> barriers = new java.util.TreeMap<>();
  private long lastSeq;
  private long lastBarrierId;
  private final AtomicLong confirmed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong untracked = new AtomicLong();

  private final SynapConfig config;
  private final Metadata headers;
  private final AnticipationCache cache;
  private final CompactionUpdates compactionUpdates;
  private final ListenCallbacks callbacks;
  private final TelemetrySender telemetry;
  private final Object writeLock = new Object();
  private final Deque<Queued> queue = new ArrayDeque<>();
  private final AtomicLong lastPong = new AtomicLong();
  private volatile State state = State.CONNECTING;
  private volatile ManagedChannel channel;
  private volatile StreamObserver<StreamEvent> requests;
  private volatile CompletableFuture<Void> established;
  private volatile long generation;
  private Thread heartbeat;

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
  }

  State state() {
    return state;
  }

  /** Opens the stream; returns once the server answered the first ping. */
  void open() {
    connectOnce();
    state = State.CONNECTED;
    heartbeat = Thread.ofVirtual().name("synap-heartbeat").start(this::heartbeatLoop);
  }

  private void connectOnce() {
    ManagedChannel ch = channel();
    long gen;
    CompletableFuture<Void> ready = new CompletableFuture<>();
    synchronized (unconfirmed) {
      barriers.clear(); // barriers sent on a dead stream will never be answered
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

  /** Writes an event, or queues it while the stream is being restored. */
  void send(ConversationEvent event) {
    State s = state;
    if (s == State.CLOSED || s == State.DISCONNECTED) throw new ListeningNotActiveException();
    awaitWindow();
    if (state != State.CONNECTED || !writeTracked(event)) enqueue(event);
  }

  /**
   * Flow control: a sender that outruns the server waits (up to 30 s) while
   * {@link #UNCONFIRMED_LIMIT} events are in flight, instead of buffering without bound.
   */
  private void awaitWindow() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    int waited = 0;
    while (unconfirmedEvents() >= UNCONFIRMED_LIMIT && state == State.CONNECTED && System.nanoTime() < deadline) {
      if (waited++ % 20 == 0) barrier();
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /**
   * Writes an event and keeps it until the server confirms it. A written event is not a received
   * one: if the server dies, what was in flight is lost. The server handles a stream's frames in
   * order and echoes each ping's timestamp in its pong, so a pong for a ping sent after an event
   * proves the event was handled. Every {@link #CONFIRM_EVERY} events a barrier ping is sent;
   * what is still unconfirmed when the stream drops is replayed after the reconnect (the server
   * drops replays it already applied, by {@code event_id}).
   */
  private boolean writeTracked(ConversationEvent event) {
    synchronized (unconfirmed) {
      if (!write(StreamEvent.newBuilder().setConversationEvent(event).build())) return false;
      unconfirmed.addLast(new Sent(++lastSeq, event));
      // Senders wait at UNCONFIRMED_LIMIT (awaitWindow); a replay may briefly exceed it, so tracking
      // only gives up at twice that.
      if (unconfirmed.size() > 2 * UNCONFIRMED_LIMIT) {
        unconfirmed.pollFirst();
        untracked.incrementAndGet();
      }
      if (lastSeq % CONFIRM_EVERY == 0) barrier();
      return true;
    }
  }

  /**
   * Sends a ping whose pong confirms every event written before it. Barrier pings carry a
   * negative id instead of a clock reading, so the pong of an ordinary heartbeat (or of the
   * connect ping of a new stream) can never be mistaken for a confirmation.
   */
  private void barrier() {
    synchronized (unconfirmed) {
      long id = ++lastBarrierId;
      barriers.put(id, lastSeq);
      if (barriers.size() > 1_000) barriers.pollFirstEntry();
      write(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(-id)).build());
    }
  }

  private void confirm(long pongTimestamp) {
    if (pongTimestamp >= 0) return;
    synchronized (unconfirmed) {
      var covered = barriers.headMap(-pongTimestamp, true);
      if (covered.isEmpty()) return;
      long upTo = covered.values().stream().mapToLong(Long::longValue).max().orElse(0);
      covered.clear();
      while (!unconfirmed.isEmpty() && unconfirmed.peekFirst().seq() <= upTo) {
        unconfirmed.pollFirst();
        confirmed.incrementAndGet();
      }
    }
  }

  /** Waits until every event sent so far is confirmed by the server (or the timeout passes). */
  boolean flush(java.time.Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (state == State.CONNECTED) barrier();
      Thread.sleep(50);
      if (unconfirmedEvents() == 0 && queuedEvents() == 0) return true;
    }
    return false;
  }

  int unconfirmedEvents() {
    synchronized (unconfirmed) {
      return unconfirmed.size();
    }
  }

  long confirmedEvents() {
    return confirmed.get();
  }

  /** Events given up on: pushed out of the full send queue, or too old to replay. */
  long droppedEvents() {
    return dropped.get() + untracked.get();
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

  private void enqueue(ConversationEvent event) {
    synchronized (queue) {
      prune();
      if (queue.size() >= QUEUE_LIMIT) {
        queue.pollFirst();
        dropped.incrementAndGet();
        LOG.warn("send queue full: dropped the oldest queued event");
      }
      queue.addLast(new Queued(event, System.currentTimeMillis()));
    }
  }

  int queuedEvents() {
    synchronized (queue) {
      return queue.size();
    }
  }

  private void prune() {
    long cutoff = System.currentTimeMillis() - QUEUE_AGE_MS;
    while (!queue.isEmpty() && queue.peekFirst().queuedAt() < cutoff) {
      queue.pollFirst();
      dropped.incrementAndGet();
    }
  }

  /** After a reconnect: first what was written but never confirmed, then what was queued. */
  private void replay() {
    List<Queued> pending = new ArrayList<>();
    synchronized (unconfirmed) {
      long now = System.currentTimeMillis();
      for (Sent sent : unconfirmed) pending.add(new Queued(sent.event(), now));
      unconfirmed.clear();
      barriers.clear();
    }
    synchronized (queue) {
      prune();
      pending.addAll(queue);
      queue.clear();
    }
    for (int i = 0; i < pending.size(); i++) {
      if (!writeTracked(pending.get(i).event())) {
        synchronized (queue) {
          List<Queued> rest = pending.subList(i, pending.size());
          for (int k = rest.size() - 1; k >= 0; k--) queue.addFirst(rest.get(k));
        }
        return;
      }
    }
    barrier();
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
          state = State.CONNECTED;
        }
        replay();
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

  void close() {
    state = State.CLOSED;
    if (heartbeat != null) heartbeat.interrupt();
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
            case "throttle" -> LOG.warn("server asked to slow down: {}", r.getSignal().getReason());
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
