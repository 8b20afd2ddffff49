package dev.synap.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.proto.v1.ContextBundleProto;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.proto.v1.StreamSignal;
import dev.synap.proto.v1.SynapServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The outbox over a real gRPC call (in-process) whose client reads only when told: what waits,
 * what is coalesced, in which order it leaves, and when a client that never reads is cut off.
 * The test's service turns each event's content into one outbox call: {@code bundle KEY NAME}
 * or {@code signal SIZE}.
 */
class OutboxTest {
  private final String name = "outbox-" + UUID.randomUUID();
  private final List<String> undelivered = new CopyOnWriteArrayList<>();
  private final AtomicReference<Outbox> outbox = new AtomicReference<>();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    ListenMetrics metrics = new ListenMetrics(meters);
    server = InProcessServerBuilder.forName(name).directExecutor().addService(new SynapServiceGrpc.SynapServiceImplBase() {
      @Override
      public StreamObserver<StreamEvent> listen(StreamObserver<StreamResponse> responses) {
        Outbox box = new Outbox((ServerCallStreamObserver<StreamResponse>) responses, metrics, b -> undelivered.add(b.getDecisionId()), () -> {});
        outbox.set(box);
        return new StreamObserver<>() {
          @Override
          public void onNext(StreamEvent e) {
            String[] words = e.getConversationEvent().getContent().split(" ");
            if (words[0].equals("bundle")) {
              box.bundle(words[1], StreamResponse.newBuilder().setContextBundle(ContextBundleProto.newBuilder().setDecisionId(words[2])).build());
            } else {
              box.control(StreamResponse.newBuilder().setSignal(StreamSignal.newBuilder().setSignalType("note")
                  .setReason("x".repeat(Integer.parseInt(words[1])))).build());
            }
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {
            box.complete();
          }
        };
      }
    }).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  /** A client that reads nothing until {@link #read} is called. */
  private final class SlowClient {
    final BlockingQueue<StreamResponse> received = new LinkedBlockingQueue<>();
    final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    ClientCallStreamObserver<StreamEvent> requests;

    SlowClient() {
      SynapServiceGrpc.newStub(channel).listen(new ClientResponseObserver<StreamEvent, StreamResponse>() {
        @Override
        public void beforeStart(ClientCallStreamObserver<StreamEvent> r) {
          requests = r;
          r.disableAutoRequestWithInitial(0);
        }

        @Override
        public void onNext(StreamResponse value) {
          received.add(value);
        }

        @Override
        public void onError(Throwable t) {
          errors.add(t);
        }

        @Override
        public void onCompleted() {}
      });
    }

    void send(String content) {
      requests.onNext(StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setContent(content)).build());
    }

    List<String> read(int frames) throws InterruptedException {
      requests.request(frames);
      List<String> out = new ArrayList<>();
      for (int i = 0; i < frames; i++) {
        StreamResponse r = received.poll(5, TimeUnit.SECONDS);
        if (r == null) break;
        out.add(r.hasContextBundle() ? "bundle " + r.getContextBundle().getDecisionId() : r.getSignal().getSignalType());
      }
      return out;
    }
  }

  @Test
  void whileTheClientDoesNotReadANewerBundleReplacesTheOneWaitingUnderItsKey() throws Exception {
    SlowClient c = new SlowClient();
    c.send("bundle ann first-1");
    c.send("bundle ann first-2");
    c.send("bundle bob only");
    c.send("bundle ann first-3");
    c.send("signal 10");
    // Control frames first, in order; then the pending bundles, a replaced key behind the others.
    assertThat(c.read(10)).containsExactly("throttle", "note", "bundle only", "bundle first-3");
    assertThat(undelivered).as("replaced bundles are reported, so their items do not count as held").containsExactly("first-1", "first-2");
    assertThat(c.received.poll(100, TimeUnit.MILLISECONDS)).isNull();
    c.send("bundle ann next");
    assertThat(c.read(1)).as("caught up: written at once, no new throttle").containsExactly("bundle next");
  }

  @Test
  void aClientThatLetsSignalsPileUpUnreadIsClosedWithResourceExhausted() throws Exception {
    SlowClient c = new SlowClient();
    c.send("bundle ann waiting");
    for (int i = 0; i < Outbox.MAX_BACKLOG_BYTES / 1_000 + 2; i++) c.send("signal 1000");
    c.requests.request(Integer.MAX_VALUE);
    Throwable t = c.errors.poll(5, TimeUnit.SECONDS);
    assertThat(Status.fromThrowable(t).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(undelivered).as("pending bundles are dropped before the stream is closed").containsExactly("waiting");
  }
}
