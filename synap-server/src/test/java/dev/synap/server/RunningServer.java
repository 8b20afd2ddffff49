package dev.synap.server;

import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.proto.v1.SynapServiceGrpc;
import dev.synap.server.config.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A real server on loopback (random ports, temp folder) with raw REST and gRPC access, no SDK. */
final class RunningServer implements AutoCloseable {
  final SynapServer server;
  final String key;
  final HttpClient http = HttpClient.newHttpClient();

  RunningServer(Path dir) {
    this(ServerConfig.forTests(dir));
  }

  RunningServer(ServerConfig config) {
    server = SynapServer.start(config);
    key = server.bootstrapKey().orElseThrow().secret();
  }

  /** A node that hears other nodes on {@code bus}. */
  RunningServer(ServerConfig config, dev.synap.core.store.ClusterBus bus) {
    server = SynapServer.start(config, bus);
    key = server.bootstrapKey().orElseThrow().secret();
  }

  HttpResponse<String> post(String path, String json, String apiKey) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    if (apiKey != null) b.header("Authorization", "Bearer " + apiKey);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path, String apiKey) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort() + path)).GET();
    if (apiKey != null) b.header("Authorization", "Bearer " + apiKey);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  ManagedChannel channel() {
    return NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
  }

  /** An open Listen stream whose responses collect in a queue. */
  final class Stream {
    final BlockingQueue<StreamResponse> responses = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    final StreamObserver<StreamEvent> requests;

    Stream(ManagedChannel channel, String apiKey) {
      Metadata md = new Metadata();
      md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
      md.put(Metadata.Key.of("x-client-id", Metadata.ASCII_STRING_MARSHALLER), "");
      md.put(Metadata.Key.of("x-instance-id", Metadata.ASCII_STRING_MARSHALLER), "");
      requests = SynapServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
          .listen(new StreamObserver<>() {
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

    synchronized void send(StreamEvent e) {
      requests.onNext(e);
    }

    StreamResponse next(StreamResponse.PayloadCase kind, long millis) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
      while (System.nanoTime() < deadline) {
        StreamResponse r = responses.poll(10, TimeUnit.MILLISECONDS);
        if (r != null && r.getPayloadCase() == kind) return r;
      }
      return null;
    }
  }

  /** Waits until every recorded message has been extracted and its memories are searchable. */
  void awaitIngested() throws InterruptedException {
    if (!server.engine().awaitIdle(java.time.Duration.ofSeconds(60))) throw new AssertionError("ingestion did not finish");
  }

  @Override
  public void close() {
    server.close();
  }
}
