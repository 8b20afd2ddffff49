package dev.synap.server.grpc;

import dev.synap.core.MemoryEngine;
import dev.synap.core.MemoryWrites;
import dev.synap.core.anticipate.PlanPredictor;
import dev.synap.core.anticipate.Predictor;
import dev.synap.core.anticipate.RetrievalLoad;
import dev.synap.core.model.Memory;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.proto.v1.SynapServiceGrpc;
import dev.synap.proto.v1.TelemetryAck;
import dev.synap.proto.v1.TelemetryEvent;
import dev.synap.server.auth.Caller;
import dev.synap.server.auth.GrpcAuthInterceptor;
import dev.synap.server.limit.RateLimits;
import dev.synap.server.telemetry.ClientTelemetry;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.LoggerFactory;

/** The synap.v1.SynapService implementation: Listen streams and telemetry. */
public final class SynapGrpcService extends SynapServiceGrpc.SynapServiceImplBase {
  private final MemoryEngine engine;
  private final StreamRegistry registry = new StreamRegistry();
  private final ListenMetrics metrics;
  private final RateLimits limits;
  private final ClientTelemetry telemetry;

  private final MeterRegistry meters;
  private final CompactionPush compactionPush;
  private final int maxStreamsPerKey;
  private final RetrievalLoad load;
  private final Predictor planner;
  private volatile Predictor predictor;
  private volatile Duration telemetryTimeout = TelemetryIngest.DEFAULT_TIMEOUT;
  /** Deadlines of telemetry calls; one daemon thread, cancelled tasks removed at once. */
  private final ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1,
      Thread.ofPlatform().daemon().name("synap-grpc-timer").factory());

  /** Stores Listen events behind their pushes (see ListenSession#recordInOrder). */
  private final ExecutorService recorder = Executors.newThreadPerTaskExecutor(
      Thread.ofVirtual().name("synap-listen-record-", 0).factory());

  /** @param maxStreamsPerKey open Listen streams one API key may hold; more are refused with {@code RESOURCE_EXHAUSTED} */
  public SynapGrpcService(MemoryEngine engine, MeterRegistry meters, RateLimits limits, ClientTelemetry telemetry, int maxStreamsPerKey) {
    this.engine = engine;
    this.maxStreamsPerKey = maxStreamsPerKey;
    timers.setRemoveOnCancelPolicy(true);
    this.limits = limits;
    this.telemetry = telemetry;
    this.meters = meters;
    this.load = RetrievalLoad.forCores(engine.ingest().pressure()::busy);
    this.planner = new PlanPredictor(engine.retriever(), engine.store().memories(), load);
    this.predictor = planner;
    this.metrics = new ListenMetrics(meters);
    meters.gauge("synap.listen.streams", registry, StreamRegistry::size);
    this.compactionPush = new CompactionPush(engine, registry);
    engine.compactions().onCompleted(compactionPush::push);
    engine.ingest().onProcessed(this::onMemoriesWritten);
    engine.writes().onChange(this::onMemoryChanged);
  }

  /** How long an {@code IngestTelemetry} call may stay open (tests shorten it). */
  public void telemetryTimeout(Duration timeout) {
    this.telemetryTimeout = timeout;
  }

  /** Switches the predictor for streams opened from now on (benchmarks compare predictors in one run). */
  public void predictor(Predictor predictor) {
    this.predictor = predictor;
  }

  /** The product's predictor, the one streams use unless another was set. */
  public Predictor planner() {
    return planner;
  }

  /** This service behind its own call interceptor (a stream states its client's cache capacity, {@link ClientCacheHeader}); auth and limits wrap it. */
  public ServerServiceDefinition definition() {
    return ServerInterceptors.intercept(this, new ClientCacheHeader());
  }

  /** New memories reach the streams that hold bundles of their owner. */
  private void onMemoriesWritten(dev.synap.core.model.Message message, java.util.List<dev.synap.core.model.Memory> memories) {
    deliverMemories(message.instanceId(), message.userId(), message.customerId(), memories);
  }

  /** Memories of one owner, written through this node or another ({@link ClusterRelay}), reach the streams holding that owner. */
  void deliverMemories(String instanceId, String userId, String customerId, java.util.List<Memory> memories) {
    if (memories.isEmpty() || (userId == null && customerId == null)) return;
    String owner = StreamRegistry.ownerKey(instanceId, userId, customerId);
    for (ListenSession s : registry.holding(owner)) {
      try {
        s.onMemoriesWritten(userId, customerId, memories);
      } catch (RuntimeException e) {
        // one slow or broken stream must not stop ingestion
      }
    }
  }

  /** A compaction completed on this node or another reaches the streams following its conversation. */
  void pushCompaction(dev.synap.core.compact.Compaction c) {
    compactionPush.push(c);
  }

  /**
   * An edited memory reaches the streams holding its owner's bundles like a new one: the client
   * replaces the version it holds (its updated_at moved). A removal has no frame in the wire
   * contract; a client's cached copy ages out with its bundle's ttl_hint_seconds.
   */
  private void onMemoryChanged(MemoryWrites.Change change) {
    Memory m = change.memory();
    if (change.kind() != MemoryWrites.Kind.UPDATED || (m.userId() == null && m.customerId() == null)) return;
    for (ListenSession s : registry.holding(StreamRegistry.ownerKey(m.instanceId(), m.userId(), m.customerId()))) {
      try {
        s.onMemoriesWritten(m.userId(), m.customerId(), java.util.List.of(m));
      } catch (RuntimeException e) {
        // one slow or broken stream must not fail the edit
      }
    }
  }

  @Override
  public StreamObserver<StreamEvent> listen(StreamObserver<StreamResponse> responseObserver) {
    Caller caller = GrpcAuthInterceptor.CALLER.get();
    ListenSession session = new ListenSession(caller, (ServerCallStreamObserver<StreamResponse>) responseObserver, engine, registry, metrics,
        predictor, load, recorder, ClientCacheHeader.BUNDLES.get());
    if (!registry.tryAdd(session, maxStreamsPerKey)) {
      responseObserver.onError(Status.RESOURCE_EXHAUSTED
          .withDescription("this API key already holds " + maxStreamsPerKey + " open Listen streams (listen.max_streams_per_key)").asRuntimeException());
      return new StreamObserver<>() {
        @Override
        public void onNext(StreamEvent value) {}

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      };
    }
    return new ListenGate(session, caller, limits, metrics);
  }

  @Override
  public StreamObserver<TelemetryEvent> ingestTelemetry(StreamObserver<TelemetryAck> responseObserver) {
    return new TelemetryIngest(responseObserver, telemetry, timers, telemetryTimeout);
  }

  /** The open streams (for tests of this package). */
  java.util.Collection<ListenSession> streams() {
    return registry.all();
  }

  public int openStreams() {
    return registry.size();
  }

  /** Waits (up to {@code timeout}) for Listen events still being stored; call after the gRPC server stopped. */
  public void awaitRecorded(Duration timeout) {
    timers.shutdownNow();
    recorder.shutdown();
    try {
      if (!recorder.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        LoggerFactory.getLogger(SynapGrpcService.class).warn("listen events still being stored at shutdown; clients replay unconfirmed ones");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Sends {@code closing} to every stream and ends it; clients reconnect to the next server. */
  public void closeAll(String reason) {
    for (ListenSession s : registry.all()) s.closeGracefully(reason);
  }

  /** Ends streams that sent nothing for {@code maxIdleMillis}; a live client reconnects at once. */
  public int closeIdle(long maxIdleMillis) {
    long cutoff = System.currentTimeMillis() - maxIdleMillis;
    int closed = 0;
    for (ListenSession s : registry.all()) {
      if (s.lastSeenMillis() < cutoff) {
        s.closeIdle("no frame for " + maxIdleMillis / 1000 + " s");
        closed++;
      }
    }
    return closed;
  }

  public int closeRevoked(Set<String> revokedKeyHashes) {
    return registry.closeRevoked(revokedKeyHashes);
  }
}
