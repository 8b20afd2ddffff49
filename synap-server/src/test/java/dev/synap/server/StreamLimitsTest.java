package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.HeartbeatPing;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.proto.v1.SynapServiceGrpc;
import dev.synap.proto.v1.TelemetryAck;
import dev.synap.proto.v1.TelemetryEvent;
import dev.synap.server.config.ServerConfig;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What one client can make the server hold: unread replies, pings, streams, calls, telemetry. */
class StreamLimitsTest {
  @TempDir Path dir;

  private static Metadata auth(String key) {
    Metadata md = new Metadata();
    md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
    return md;
  }

  @Test
  void aClientThatNeverReadsIsClosedOnceItsUnreadPongsAndSignalsPassTheBound() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", rs.server.grpcPort()).usePlaintext().flowControlWindow(8 * 1024).build();
      try {
        List<StreamResponse> received = new CopyOnWriteArrayList<>();
        LinkedBlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
        AtomicReference<ClientCallStreamObserver<StreamEvent>> call = new AtomicReference<>();
        StreamObserver<StreamEvent> requests = SynapServiceGrpc.newStub(ch).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth(rs.key)))
            .listen(new ClientResponseObserver<StreamEvent, StreamResponse>() {
              @Override
              public void beforeStart(ClientCallStreamObserver<StreamEvent> r) {
                call.set(r);
                r.disableAutoRequestWithInitial(0);
              }

              @Override
              public void onNext(StreamResponse r) {
                received.add(r);
              }

              @Override
              public void onError(Throwable t) {
                errors.add(t);
              }

              @Override
              public void onCompleted() {}
            });
        // Each refused event costs the server one invalid_event signal naming it, which the client never reads.
        // Long ids (the longest a signal names) make the signals outgrow what the connection itself
        // absorbs unread (the client's 1 MiB HTTP/2 window) plus the server's bound: on a fast
        // flush, short ones could all fit in the window and the bound would never be reached.
        int events = 8_000;
        String padding = "-".repeat(200);
        for (int i = 0; i < events; i++) {
          requests.onNext(StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setEventType("no_such_type")
              .setContent("x").putMetadata("event_id", UUID.randomUUID() + padding)).build());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (rs.server.openStreams() > 0 && System.nanoTime() < deadline) Thread.sleep(50);
        assertThat(rs.server.openStreams()).as("the server ended the stream of a client that does not read").isZero();

        call.get().request(Integer.MAX_VALUE); // now read what was left, and the status
        Throwable error = errors.poll(30, TimeUnit.SECONDS); // a busy machine drains the unread replies slowly
        System.out.printf("unread stream: %d events sent, %d replies delivered before the status%n", events, received.size());
        assertThat(error).isNotNull();
        assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(Status.fromThrowable(error).getDescription()).contains("does not read");
        assertThat(received.size()).as("bounded replies").isLessThan(events);
      } finally {
        ch.shutdownNow();
      }
    }
  }

  @Test
  void pingsBeyondTheStreamBudgetAreNotAnswered() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      ManagedChannel channel = rs.channel();
      try {
        RunningServer.Stream s = rs.new Stream(channel, rs.key);
        long start = System.nanoTime();
        for (int i = 0; i < 2_000; i++) s.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(i + 1)).build());
        Thread.sleep(1_000);
        double seconds = (System.nanoTime() - start) / 1e9;
        List<StreamResponse> all = new java.util.ArrayList<>();
        s.responses.drainTo(all);
        long pongs = all.stream().filter(StreamResponse::hasHeartbeatPong).count();
        long notices = all.stream().filter(r -> r.hasSignal() && r.getSignal().getSignalType().equals("throttle")).count();
        System.out.printf("ping flood: 2000 pings in %.1f s, %d pongs, %d throttle notices%n", seconds, pongs, notices);
        assertThat(pongs).isGreaterThanOrEqualTo(100).isLessThanOrEqualTo((long) (100 + 50 * seconds) + 1);
        assertThat(notices).isBetween(1L, (long) seconds + 2);
        assertThat(s.errors).isEmpty();
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void aKeyHoldsAtMostTheConfiguredNumberOfStreams() throws Exception {
    try (RunningServer rs = new RunningServer(ServerConfig.forTests(dir).withStreamLimits(2, 100))) {
      ManagedChannel channel = rs.channel();
      try {
        RunningServer.Stream first = open(rs, channel);
        open(rs, channel);
        RunningServer.Stream refused = rs.new Stream(channel, rs.key);
        Throwable error = refused.errors.poll(5, TimeUnit.SECONDS);
        assertThat(error).isNotNull();
        assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(Status.fromThrowable(error).getDescription()).contains("listen.max_streams_per_key");

        first.requests.onCompleted();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (rs.server.openStreams() > 1 && System.nanoTime() < deadline) Thread.sleep(20);
        open(rs, channel); // a closed stream frees its place
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void aConnectionCarriesAtMostTheConfiguredNumberOfCalls() throws Exception {
    try (RunningServer rs = new RunningServer(ServerConfig.forTests(dir).withStreamLimits(100, 2))) {
      ManagedChannel channel = rs.channel();
      ManagedChannel other = rs.channel();
      try {
        open(rs, channel);
        open(rs, channel);
        RunningServer.Stream refused = rs.new Stream(channel, rs.key);
        Throwable error = refused.errors.poll(5, TimeUnit.SECONDS);
        assertThat(error).isNotNull();
        assertThat(Status.fromThrowable(error).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(Status.fromThrowable(error).getDescription()).contains("grpc.max_calls_per_connection");
        open(rs, other); // another connection has its own calls
      } finally {
        channel.shutdownNow();
        other.shutdownNow();
      }
    }
  }

  @Test
  void aTelemetryCallLargerThanTheBoundIsRefusedAndNothingOfItCounted() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      ManagedChannel channel = rs.channel();
      try {
        Telemetry t = new Telemetry(channel, rs.key);
        TelemetryEvent.Builder big = TelemetryEvent.newBuilder().setEventType("fetch").setStatus("success");
        for (int k = 0; k < 60; k++) big.putMetadata("k" + k, "v".repeat(4_000)); // valid: 60 entries of 4,000 characters
        for (int i = 0; i < 8; i++) t.requests.onNext(big.build()); // about 2 MB
        t.requests.onCompleted();
        Object outcome = t.outcome.poll(10, TimeUnit.SECONDS);
        assertThat(outcome).isInstanceOf(Throwable.class);
        assertThat(Status.fromThrowable((Throwable) outcome).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void aTelemetryCallLeftOpenEndsAtItsDeadline() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      rs.server.telemetryCallTimeout(Duration.ofSeconds(1));
      ManagedChannel channel = rs.channel();
      try {
        Telemetry t = new Telemetry(channel, rs.key);
        t.requests.onNext(TelemetryEvent.newBuilder().setEventType("fetch").setStatus("success").build());
        Object outcome = t.outcome.poll(10, TimeUnit.SECONDS); // never half-closed
        assertThat(outcome).isInstanceOf(Throwable.class);
        assertThat(Status.fromThrowable((Throwable) outcome).getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
      } finally {
        channel.shutdownNow();
      }
    }
  }

  /** An IngestTelemetry call; {@code outcome} gets the ack or the error. */
  private static final class Telemetry {
    final LinkedBlockingQueue<Object> outcome = new LinkedBlockingQueue<>();
    final StreamObserver<TelemetryEvent> requests;

    Telemetry(ManagedChannel channel, String key) {
      requests = SynapServiceGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth(key)))
          .ingestTelemetry(new StreamObserver<>() {
            @Override
            public void onNext(TelemetryAck ack) {
              outcome.add(ack);
            }

            @Override
            public void onError(Throwable t) {
              outcome.add(t);
            }

            @Override
            public void onCompleted() {}
          });
    }
  }

  private static RunningServer.Stream open(RunningServer rs, ManagedChannel channel) throws InterruptedException {
    RunningServer.Stream s = rs.new Stream(channel, rs.key);
    s.send(StreamEvent.newBuilder().setHeartbeatPing(HeartbeatPing.newBuilder().setTimestampMs(1)).build());
    assertThat(s.next(StreamResponse.PayloadCase.HEARTBEAT_PONG, 5000)).as("an open stream answers").isNotNull();
    return s;
  }
}
