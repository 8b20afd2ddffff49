package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.proto.v1.SynapServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A consumer that stops reading gets one throttle signal and coalesced bundles, not an unbounded buffer. */
class BackPressureTest {
  @TempDir Path dir;

  @Test
  void aStalledConsumerIsThrottledAndItsBundlesCoalesced() throws Exception {
    try (RunningServer rs = new RunningServer(dir)) {
      String conv = UUID.randomUUID().toString();
      for (int i = 0; i < 12; i++) {
        rs.post("/v1/conversations/messages", "{\"conversation_id\":\"" + conv + "\",\"role\":\"user\",\"user_id\":\"pat\",\"content\":\"I visited city number "
            + i + " on my long trip" + ", with its old harbour, its markets, its museums and its many bridges".repeat(5) + ".\"}", rs.key);
      }
      rs.awaitIngested();

      // A tiny flow-control window and no reads: the server's stream stops being ready quickly.
      ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", rs.server.grpcPort()).usePlaintext().flowControlWindow(8 * 1024).build();
      Metadata md = new Metadata();
      md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + rs.key);
      List<StreamResponse> received = new CopyOnWriteArrayList<>();
      AtomicReference<ClientCallStreamObserver<StreamEvent>> call = new AtomicReference<>();
      var requests = SynapServiceGrpc.newStub(ch).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
          .listen(new ClientResponseObserver<StreamEvent, StreamResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<StreamEvent> requestStream) {
              call.set(requestStream);
              requestStream.disableAutoRequestWithInitial(0);
            }

            @Override
            public void onNext(StreamResponse r) {
              received.add(r);
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
          });
      // Reactive answers carry everything every time (clients do not cache them), so a few
      // memories are enough to fill the window.
      int events = 60;
      for (int i = 0; i < events; i++) {
        requests.onNext(StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setEventType("context_request")
            .setUserId("pat").setConversationId(conv).addSearchQueries("trip to city number " + (i % 12) + " harbour markets museums")).build());
      }
      Thread.sleep(3000); // let the server handle every event while nothing is read

      call.get().request(Integer.MAX_VALUE); // the consumer wakes up
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      long last = -1;
      while (System.nanoTime() < deadline && received.size() != last) {
        last = received.size();
        Thread.sleep(300);
      }
      long throttles = received.stream().filter(r -> r.hasSignal() && r.getSignal().getSignalType().equals("throttle")).count();
      long bundles = received.stream().filter(StreamResponse::hasContextBundle).count();
      System.out.printf("back-pressure: %d events, %d direct bundles, %d responses, %d throttles%n", events,
          bundles,
          received.size(), throttles);
      assertThat(throttles).as("one throttle signal per stall").isEqualTo(1);
      assertThat(bundles).as("bundles were coalesced while the consumer stalled").isPositive().isLessThan(events);
      requests.onCompleted();
      ch.shutdownNow();
    }
  }
}
