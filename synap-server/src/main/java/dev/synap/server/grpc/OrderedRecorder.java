package dev.synap.server.grpc;

import dev.synap.core.ingest.IngestPipeline;
import dev.synap.core.ingest.QueueFullException;
import dev.synap.core.ingest.RecordRequest;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.proto.v1.StreamSignal;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a stream's events in the stream's order, behind its pushes, and keeps the delivery
 * promise: a pong confirms every event the client sent before its ping, except the events named
 * in a signal written before that pong ({@code throttle} with {@code event_ids}: not stored,
 * resend; {@code invalid_event}: refused, do not resend).
 *
 * <p>Records run off the stream's handler on a chain of tasks, so a bundle waits neither for its
 * event's fsync nor for the previous one's. A pong joins the chain: it leaves once every earlier
 * event is stored, right after the signal naming those that were not, while the events behind the
 * ping are handled meanwhile (a barrier ping right before a request must not make the request
 * wait for an fsync). A client that outruns the store is slowed through gRPC flow control once
 * {@link #MAX_UNRECORDED} events wait (the handler then waits for the chain).
 *
 * <p>An event the store refuses (full queue, failed write) is named in a {@code throttle} signal
 * so the client resends it; a failed write is not an {@code error} signal, which would make the
 * official client drop the stream for one event. Refusals are batched ({@link Refusals}); the
 * batch leaves before the next pong, within {@link #REFUSAL_FLUSH_MILLIS}, or when full.
 */
final class OrderedRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(OrderedRecorder.class);
  /** Records waiting behind pushes before the stream itself waits. */
  static final int MAX_UNRECORDED = 256;
  /** A refusal waits at most this long for others to share its signal. */
  static final long REFUSAL_FLUSH_MILLIS = 50;

  private final IngestPipeline ingest;
  private final Executor executor;
  private final Outbox outbox;
  /** Guarded by this object's lock, which is held while a drained batch is handed to the outbox (signal before pong). */
  private final Refusals refusals = new Refusals();
  private final AtomicInteger unrecorded = new AtomicInteger();
  private volatile CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);

  OrderedRecorder(IngestPipeline ingest, Executor executor, Outbox outbox) {
    this.ingest = ingest;
    this.executor = executor;
    this.outbox = outbox;
  }

  /** Stores {@code request} after every event before it. Called on the stream's event thread. */
  void record(RecordRequest request) {
    if (unrecorded.incrementAndGet() > MAX_UNRECORDED) chain.join();
    chain = chain.thenRunAsync(() -> {
      try {
        ingest.record(request);
      } catch (QueueFullException ex) {
        refuse(request.idempotencyKey(), ex.retryAfterSeconds(), "ingestion queue is full");
      } catch (RuntimeException ex) {
        LOG.warn("recording a listen event failed: {}", ex.toString());
        refuse(request.idempotencyKey(), 1, "event could not be stored");
      } finally {
        unrecorded.decrementAndGet();
      }
    }, executor);
  }

  /** Sends {@code pong} once every earlier event is stored or named as refused. Called on the stream's event thread. */
  void pong(StreamResponse pong) {
    chain = chain.thenRun(() -> {
      synchronized (this) {
        StreamSignal s = refusals.drain();
        if (s == null) outbox.control(pong);
        else outbox.control(StreamResponse.newBuilder().setSignal(s).build(), pong);
      }
    });
  }

  /**
   * Notes an event that was not stored and may be resent ({@code eventId} may be null: it is then
   * only counted).
   */
  void refuse(String eventId, int retryAfterSeconds, String reason) {
    boolean first;
    synchronized (this) {
      first = refusals.isEmpty();
      if (refusals.add(eventId, retryAfterSeconds, reason)) {
        flush();
        return;
      }
    }
    if (first) CompletableFuture.delayedExecutor(REFUSAL_FLUSH_MILLIS, TimeUnit.MILLISECONDS, executor).execute(this::flush);
  }

  private synchronized void flush() {
    StreamSignal s = refusals.drain();
    if (s != null) outbox.control(StreamResponse.newBuilder().setSignal(s).build());
  }
}
