package dev.synap.server.grpc;

import dev.synap.core.MemoryEngine;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.proto.v1.SynapServiceGrpc;
import dev.synap.proto.v1.TelemetryAck;
import dev.synap.proto.v1.TelemetryEvent;
import dev.synap.server.auth.Caller;
import dev.synap.server.auth.GrpcAuthInterceptor;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;

/** The synap.v1.SynapService implementation: Listen streams and telemetry. */
public final class SynapGrpcService extends SynapServiceGrpc.SynapServiceImplBase {
  private final MemoryEngine engine;
  private final StreamRegistry registry = new StreamRegistry();
  private final ListenMetrics metrics;
  private final MeterRegistry meters;

  public SynapGrpcService(MemoryEngine engine, MeterRegistry meters) {
    this.engine = engine;
    this.meters = meters;
    this.metrics = new ListenMetrics(meters);
    meters.gauge("synap.listen.streams", registry, StreamRegistry::size);
    engine.compactions().onCompleted(new CompactionPush(engine, registry)::push);
  }

  @Override
  public StreamObserver<StreamEvent> listen(StreamObserver<StreamResponse> responseObserver) {
    Caller caller = GrpcAuthInterceptor.CALLER.get();
    return new ListenSession(caller, (ServerCallStreamObserver<StreamResponse>) responseObserver, engine, registry, metrics);
  }

  @Override
  public StreamObserver<TelemetryEvent> ingestTelemetry(StreamObserver<TelemetryAck> responseObserver) {
    return new StreamObserver<>() {
      int received;

      @Override
      public void onNext(TelemetryEvent e) {
        received++;
        meters.counter("synap.client.telemetry", "event_type", e.getEventType().isBlank() ? "unknown" : truncate(e.getEventType())).increment();
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        responseObserver.onNext(TelemetryAck.newBuilder().setStatus("accepted").setEventsReceived(received).build());
        responseObserver.onCompleted();
      }
    };
  }

  private static String truncate(String s) {
    return s.length() > 64 ? s.substring(0, 64) : s;
  }

  public int openStreams() {
    return registry.size();
  }

  /** Sends {@code closing} to every stream and ends it; clients reconnect to the next server. */
  public void closeAll(String reason) {
    for (ListenSession s : registry.all()) s.closeGracefully(reason);
  }

  public int closeRevoked(Set<String> revokedKeyHashes) {
    return registry.closeRevoked(revokedKeyHashes);
  }
}
