package dev.synap.bench.load;

import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.HeartbeatPing;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.proto.v1.SynapServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Many Listen streams held open with raw async stubs. Streams are HTTP/2 streams multiplexed over
 * a few shared connections, so 10,000 of them cost a handful of sockets (no {@code ulimit -n}
 * change) and a few kilobytes each, not an SDK instance each.
 */
final class StreamFleet implements AutoCloseable {
  private final List<ManagedChannel> channels = new ArrayList<>();
  private final List<Member> members = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Metadata headers = new Metadata();
  final AtomicLong errors = new AtomicLong();
  final AtomicLong throttled = new AtomicLong();
  final AtomicLong invalid = new AtomicLong();
  final AtomicLong bundles = new AtomicLong();
  final AtomicLong sent = new AtomicLong();
  private volatile boolean closing;

  StreamFleet(String host, int port, String apiKey, int connections) {
    headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
    for (int i = 0; i < connections; i++) {
      channels.add(NettyChannelBuilder.forAddress(host, port).usePlaintext().keepAliveTime(30, TimeUnit.SECONDS)
          .keepAliveWithoutCalls(true).build());
    }
  }

  /** One stream: its own conversation and user, and the time of its last pong. */
  private final class Member implements StreamObserver<StreamResponse> {
    final String conversationId = UUID.randomUUID().toString();
    final String userId;
    final StreamObserver<StreamEvent> requests;
    final AtomicLong lastPong = new AtomicLong();
    volatile boolean failed;

    Member(int index, ManagedChannel channel) {
      this.userId = "load-user-" + (index % 1000);
      this.requests = SynapServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers)).listen(this);
    }

    synchronized void send(StreamEvent e) {
      if (!failed) requests.onNext(e);
    }

    @Override
    public void onNext(StreamResponse r) {
      switch (r.getPayloadCase()) {
        case HEARTBEAT_PONG -> lastPong.set(r.getHeartbeatPong().getTimestampMs());
        case CONTEXT_BUNDLE -> bundles.incrementAndGet();
        case SIGNAL -> {
          switch (r.getSignal().getSignalType()) {
            case "throttle" -> throttled.incrementAndGet();
            case "invalid_event" -> invalid.incrementAndGet();
            default -> errors.incrementAndGet();
          }
        }
        case PAYLOAD_NOT_SET -> {}
      }
    }

    @Override
    public void onError(Throwable t) {
      failed = true;
      if (!closing) errors.incrementAndGet();
    }

    @Override
    public void onCompleted() {
      failed = true;
    }
  }

  /** Opens {@code n} streams at about {@code perSecond}, spread over the connections. */
  void open(int n, int perSecond) throws InterruptedException {
    // Like the official client: every stream pings every 30 s, so the server keeps idle streams.
    Thread.ofVirtual().name("fleet-heartbeat").start(this::heartbeats);
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      members.add(new Member(i, channels.get(i % channels.size())));
      long due = start + (long) ((i + 1) * 1e9 / perSecond);
      long wait = due - System.nanoTime();
      if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
    }
  }

  private void heartbeats() {
    while (!closing) {
      try {
        Thread.sleep(30_000);
      } catch (InterruptedException e) {
        return;
      }
      List<Member> all;
      synchronized (members) {
        all = List.copyOf(members);
      }
      for (Member m : all) {
        if (closing) return;
        if (!m.failed) m.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(System.currentTimeMillis())).build());
      }
    }
  }

  /** Pings every stream and counts those that answered within the timeout. */
  int held(long timeoutMillis) throws InterruptedException {
    long stamp = System.currentTimeMillis();
    for (Member m : members) m.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(stamp)).build());
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    int answered;
    do {
      answered = 0;
      for (Member m : members) if (!m.failed && m.lastPong.get() >= stamp) answered++;
      if (answered == members.size()) break;
      Thread.sleep(50);
    } while (System.nanoTime() < deadline);
    return answered;
  }

  /**
   * Sends user messages round-robin over the streams at {@code perSecond} for {@code seconds},
   * paced in 10 ms slices; every event carries a unique {@code event_id}.
   */
  void sendEvents(int perSecond, int seconds) throws InterruptedException {
    long start = System.nanoTime();
    long total = (long) perSecond * seconds;
    int next = 0;
    for (long i = 0; i < total; i++) {
      long due = start + (long) (i * 1e9 / perSecond);
      long wait = due - System.nanoTime();
      if (wait > 1_000_000) TimeUnit.NANOSECONDS.sleep(wait);
      Member m = members.get(next);
      next = (next + 1) % members.size();
      if (m.failed) continue;
      m.send(StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setEventType("user_message").setRole("user")
          .setConversationId(m.conversationId).setUserId(m.userId).setContent(Sentences.pick(i))
          .putMetadata("event_id", "load-" + i).setTimestampMs(System.currentTimeMillis())).build());
      sent.incrementAndGet();
    }
    // The period lasts its full length whatever the rate: at rate 0 the streams are held idle.
    long left = start + TimeUnit.SECONDS.toNanos(seconds) - System.nanoTime();
    if (left > 0) TimeUnit.NANOSECONDS.sleep(left);
  }

  int size() {
    return members.size();
  }

  @Override
  public void close() {
    closing = true;
    for (Member m : members) {
      try {
        synchronized (m) {
          m.requests.onCompleted();
        }
      } catch (RuntimeException ignored) {
        // already gone
      }
    }
    // A gentle shutdown lets the server see each stream end instead of a reset per stream.
    for (ManagedChannel c : channels) c.shutdown();
    for (ManagedChannel c : channels) {
      try {
        if (!c.awaitTermination(5, TimeUnit.SECONDS)) c.shutdownNow();
      } catch (InterruptedException e) {
        c.shutdownNow();
        Thread.currentThread().interrupt();
      }
    }
  }
}
