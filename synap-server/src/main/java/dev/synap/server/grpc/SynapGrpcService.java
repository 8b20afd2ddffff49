package dev.synap.server.grpc;

import dev.synap.core.MemoryEngine;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.proto.v1.SynapServiceGrpc;
import dev.synap.proto.v1.TelemetryAck;
import dev.synap.proto.v1.TelemetryEvent;
import dev.synap.server.auth.Caller;
import dev.synap.server.auth.GrpcAuthInterceptor;
import dev.synap.server.limit.RateLimits;
import dev.synap.server.telemetry.ClientTelemetry;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Set;

/** The synap.v1.SynapService implementation: Listen streams and telemetry. */
public final class SynapGrpcService extends SynapServiceGrpc.SynapServiceImplBase {
  private final MemoryEngine engine;
  private final StreamRegistry registry = new StreamRegistry();
  private final ListenMetrics metrics;
  private final RateLimits limits;
  private final ClientTelemetry telemetry;

  public SynapGrpcService(MemoryEngine engine, MeterRegistry meters, RateLimits limits, ClientTelemetry telemetry) {
    this.engine = engine;
    this.limits = limits;
    this.telemetry = telemetry;
    this.metrics = new ListenMetrics(meters);
    meters.gauge("synap.listen.streams", registry, StreamRegistry::size);
  }

  @Override
  public StreamObserver<StreamEvent> listen(StreamObserver<StreamResponse> responseObserver) {
    Caller caller = GrpcAuthInterceptor.CALLER.get();
    ListenSession session = new ListenSession(caller, (ServerCallStreamObserver<StreamResponse>) responseObserver, engine, registry, metrics);
    return new ListenGate(session, caller, limits);
  }

  @Override
  public StreamObserver<TelemetryEvent> ingestTelemetry(StreamObserver<TelemetryAck> responseObserver) {
    return new TelemetryIngest(responseObserver, telemetry);
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
