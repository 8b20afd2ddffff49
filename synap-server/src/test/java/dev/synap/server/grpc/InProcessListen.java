package dev.synap.server.grpc;

import dev.synap.core.MemoryEngine;
import dev.synap.core.ingest.RecordRequest;
import dev.synap.core.model.Memory;
import dev.synap.core.store.MemoryFilter;
import dev.synap.core.tenant.RelationshipMode;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.HeartbeatPing;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.proto.v1.SynapServiceGrpc;
import dev.synap.server.auth.Authenticator;
import dev.synap.server.auth.GrpcAuthInterceptor;
import dev.synap.server.limit.RateLimitSettings;
import dev.synap.server.limit.RateLimits;
import dev.synap.server.telemetry.ClientTelemetry;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real engine and the real Listen service behind auth, on grpc's in-process transport: the
 * stream's parts run as in production, without sockets or the rest of the server.
 */
final class InProcessListen implements AutoCloseable {
  final MemoryEngine engine;
  final SynapGrpcService service;
  final String instanceId;
  final String key;
  private final Server server;
  private final ManagedChannel channel;
  private final String name = "listen-" + UUID.randomUUID();

  InProcessListen(Path dir) throws Exception {
    engine = MemoryEngine.open(MemoryEngine.Config.defaults(dir));
    instanceId = engine.tenancy().createInstance("parts", RelationshipMode.B2C).instanceId();
    key = engine.tenancy().createKey(instanceId, "test").secret();
    service = new SynapGrpcService(engine, new SimpleMeterRegistry(), new RateLimits(RateLimitSettings.OFF, new SimpleMeterRegistry()),
        new ClientTelemetry(new SimpleMeterRegistry()), 10);
    server = InProcessServerBuilder.forName(name).executor(Executors.newVirtualThreadPerTaskExecutor())
        .addService(ServerInterceptors.intercept(service.definition(), new GrpcAuthInterceptor(new Authenticator(engine.tenancy())))).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  /** Stores a user's turn, waits until its memories are written, and returns the one containing {@code word}. */
  Memory remember(String user, String text, String word) throws Exception {
    engine.ingest().record(new RecordRequest(instanceId, UUID.randomUUID().toString(), user, null, null, "user", "message", text, Map.of(), null, null));
    if (!engine.awaitIdle(Duration.ofSeconds(30))) throw new AssertionError("ingestion did not finish");
    List<Memory> all = engine.store().memories().list(new MemoryFilter(instanceId, null, null, user, null, Set.of(), true), 100, 0);
    return all.stream().filter(m -> m.content().contains(word)).findFirst()
        .orElseThrow(() -> new AssertionError("no memory about " + word + " in " + all.stream().map(Memory::content).toList()));
  }

  /** Opens a stream; {@code headers} are sent besides the key (e.g. the client's cache capacity). */
  Stream open(Map<String, String> headers) {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
    headers.forEach((k, v) -> md.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
    return new Stream(SynapServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md)));
  }

  static final class Stream {
    final BlockingQueue<StreamResponse> responses = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    final StreamObserver<StreamEvent> requests;

    Stream(SynapServiceGrpc.SynapServiceStub stub) {
      requests = stub.listen(new StreamObserver<>() {
        @Override
        public void onNext(StreamResponse r) {
          responses.add(r);
        }

        @Override
        public void onError(Throwable t) {
          errors.add(t);
        }

        @Override
        public void onCompleted() {}
      });
    }

    /** A user message without a conversation: planned and pushed for, not recorded (so no update pushes follow). */
    void say(String user, String text) {
      requests.onNext(StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setEventType("user_message")
          .setUserId(user).setContent(text)).build());
    }

    /**
     * Sends a ping and returns what the events before it caused: every frame before its pong, and
     * those that follow within 300 ms (a client that fell behind gets pongs before coalesced bundles).
     */
    List<StreamResponse> untilPong() throws InterruptedException {
      long stamp = System.nanoTime();
      requests.onNext(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(stamp)).build());
      List<StreamResponse> before = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        StreamResponse r = responses.poll(50, TimeUnit.MILLISECONDS);
        if (r == null) continue;
        if (r.hasHeartbeatPong() && r.getHeartbeatPong().getTimestampMs() == stamp) {
          for (StreamResponse late; (late = responses.poll(300, TimeUnit.MILLISECONDS)) != null; ) before.add(late);
          return before;
        }
        before.add(r);
      }
      throw new AssertionError("no pong within 10 s; got " + before);
    }

    /**
     * As {@link #untilPong}, then waits (up to 10 s) until at least {@code n} bundles arrived: on a
     * busy machine a later phase may follow the pong by more than the 300 ms that waits for.
     */
    List<StreamResponse> untilBundles(int n) throws InterruptedException {
      List<StreamResponse> got = new java.util.ArrayList<>(untilPong());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (got.stream().filter(StreamResponse::hasContextBundle).count() < n && System.nanoTime() < deadline) {
        StreamResponse r = responses.poll(50, TimeUnit.MILLISECONDS);
        if (r != null) got.add(r);
      }
      return got;
    }
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    service.closeAll("test over");
    engine.close();
  }
}
