package dev.synap.server.grpc;

import dev.synap.proto.v1.ContextBundleProto;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.proto.v1.StreamSignal;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a Listen stream writes, and its back-pressure: what a client does not read waits
 * here, not in grpc's buffers.
 *
 * <p>While the client keeps up (grpc's {@code isReady}) a frame is written at once. Otherwise a
 * bundle (it has a coalescing key) becomes the one pending bundle for that key, newer replacing
 * older, and the client gets one {@code throttle} signal; a control frame (pong, signal) waits in
 * order behind the other control frames, because it cannot be coalesced. Past
 * {@link #MAX_BACKLOG_BYTES} the oldest pending bundles are dropped (the ledger is told, so their
 * items do not count as held), and if control frames alone exceed it the stream is closed with
 * {@code RESOURCE_EXHAUSTED}: a client that never reads must not make the server buffer without
 * bound. When the client reads again, control frames go first, in order, then pending bundles.
 *
 * <p>Writes come from the stream's event thread and from others (memory-write updates, the
 * recorder, shutdown, revocation); every method holds this object's lock.
 */
final class Outbox {
  private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
  /** Bytes of pongs, signals and coalesced bundles a stream may leave unread before it is closed. */
  static final int MAX_BACKLOG_BYTES = 256 * 1024;
  static final int MAX_PENDING = 64;

  private final ServerCallStreamObserver<StreamResponse> out;
  private final ListenMetrics metrics;
  private final Consumer<ContextBundleProto> undelivered;
  private final Runnable ended;
  private final LinkedHashMap<String, StreamResponse> pending = new LinkedHashMap<>();
  private long pendingBytes;
  private final ArrayDeque<StreamResponse> controls = new ArrayDeque<>();
  private long controlBytes;
  private boolean throttled;
  private boolean closed;

  /**
   * @param undelivered told of each bundle dropped before it reached the client
   * @param ended told when the stream ends (more than once is possible)
   */
  Outbox(ServerCallStreamObserver<StreamResponse> out, ListenMetrics metrics, Consumer<ContextBundleProto> undelivered, Runnable ended) {
    this.out = out;
    this.metrics = metrics;
    this.undelivered = undelivered;
    this.ended = ended;
    out.setOnReadyHandler(this::drain);
  }

  /** Control frames (pongs, signals), written in this order with nothing between them; never coalesced. */
  synchronized void control(StreamResponse... frames) {
    for (StreamResponse r : frames) {
      if (closed || out.isCancelled()) return;
      if (out.isReady() && controls.isEmpty()) {
        write(r);
        continue;
      }
      controls.addLast(r);
      controlBytes += r.getSerializedSize();
    }
    bound();
  }

  /** A bundle; while the client is not reading, it replaces the pending bundle under the same key. */
  synchronized void bundle(String coalesceKey, StreamResponse response) {
    if (closed || out.isCancelled()) return;
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
    bound();
  }

  private void bound() {
    while (controlBytes + pendingBytes > MAX_BACKLOG_BYTES && !pending.isEmpty()) {
      removePending(pending.keySet().iterator().next());
      metrics.backlogDropped();
    }
    if (controlBytes > MAX_BACKLOG_BYTES) closeUnread();
  }

  private void removePending(String key) {
    StreamResponse dropped = pending.remove(key);
    if (dropped == null) return;
    pendingBytes -= dropped.getSerializedSize();
    if (dropped.hasContextBundle()) undelivered.accept(dropped.getContextBundle());
  }

  private synchronized void drain() {
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
    LOG.info("closing a Listen stream whose client does not read: {} bytes of pongs and signals waiting", controlBytes);
    metrics.closedUnread();
    controls.clear();
    controlBytes = 0;
    pending.clear();
    pendingBytes = 0;
    fail(Status.RESOURCE_EXHAUSTED.withDescription("the client does not read its stream: more than " + MAX_BACKLOG_BYTES / 1024
        + " KiB of pongs and signals are waiting"));
  }

  private void write(StreamResponse response) {
    try {
      out.onNext(response);
    } catch (RuntimeException e) {
      // The peer went away between our check and the write; the cancel handler cleans up.
      LOG.debug("write to closed stream: {}", e.toString());
    }
  }

  /** Graceful end: a {@code closing} signal (reconnect elsewhere), then completion. */
  synchronized void closeWith(String reason) {
    if (closed) return;
    write(StreamResponse.newBuilder().setSignal(StreamSignal.newBuilder().setSignalType("closing").setReason(reason)).build());
    complete();
  }

  /** Ends the stream normally (the client completed its side, or after {@code closing}). */
  synchronized void complete() {
    if (!closed) {
      closed = true;
      try {
        out.onCompleted();
      } catch (RuntimeException ignored) {
        // peer already gone
      }
    }
    ended.run();
  }

  /** Ends the stream with a status the client acts on. */
  synchronized void fail(Status status) {
    if (closed) return;
    closed = true;
    try {
      out.onError(status.asRuntimeException());
    } catch (RuntimeException ignored) {
      // already cancelled by the peer
    }
    ended.run();
  }
}
