package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.model.Memory;
import dev.synap.core.model.MemoryType;
import dev.synap.core.model.Scope;
import dev.synap.core.store.ClusterBus;
import dev.synap.proto.v1.ConversationEvent;
import dev.synap.proto.v1.StreamEvent;
import dev.synap.proto.v1.StreamResponse;
import dev.synap.server.config.ServerConfig;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes across nodes: a memory another node committed to the shared store, announced on the
 * bus, reaches the streams this node holds for its owner; what this node writes is announced for
 * the others. "Another node" is played by the test: it writes to the store the server uses (as a
 * node on the same PostgreSQL would) and publishes on its own view of an in-process bus.
 */
class ClusterRelayTest {
  @TempDir Path dir;

  @Test
  void aMemoryWrittenThroughAnotherNodeReachesTheStreamHoldingItsOwnerAndLocalWritesAreAnnounced() throws Exception {
    ClusterBus.InProcess bus = ClusterBus.inProcess();
    ClusterBus otherNode = bus.node("node-b");
    List<ClusterBus.Notice> heard = new CopyOnWriteArrayList<>();
    otherNode.subscribe(heard::add);
    try (RunningServer a = new RunningServer(ServerConfig.forTests(dir).withNodeId("node-a"), bus.node("node-a"))) {
      ManagedChannel channel = a.channel();
      try {
        assertThat(a.post("/api/v1/memories/create", "{\"document\":\"Lea keeps a durian on the kitchen shelf.\",\"user_id\":\"lea\"}", a.key)
            .statusCode()).isEqualTo(200);
        a.awaitIngested();
        RunningServer.Stream stream = a.new Stream(channel, a.key);
        String conv = UUID.randomUUID().toString();
        stream.send(StreamEvent.newBuilder().setConversationEvent(ConversationEvent.newBuilder().setEventType("user_message").setRole("user")
            .setContent("what fruit does Lea keep on the kitchen shelf?").setUserId("lea").setConversationId(conv)).build());
        assertThat(stream.next(StreamResponse.PayloadCase.CONTEXT_BUNDLE, 10_000)).as("the stream now holds lea's bundles").isNotNull();
        assertThat(heard).as("node-a announced lea's new memory").anySatisfy(n -> {
          assertThat(n.kind()).isEqualTo(ClusterBus.Kind.MEMORIES_WRITTEN);
          assertThat(n.nodeId()).isEqualTo("node-a");
          assertThat(n.subject()).isEqualTo("lea");
        });

        // node-b commits a memory of lea's to the shared store and announces it.
        String instance = a.server.engine().tenancy().instances().getFirst().instanceId();
        Instant now = Instant.now();
        Memory remote = new Memory(UUID.randomUUID().toString(), instance, "lea", null, conv, Scope.USER, MemoryType.FACT,
            "Lea bought a rambutan at the market.", 0.9, null, Map.of(), null, null, "perpetual", List.of(), "current", now, now);
        a.server.engine().store().memories().insert(List.of(remote));
        long sent = System.nanoTime();
        otherNode.publish(new ClusterBus.Notice(ClusterBus.Kind.MEMORIES_WRITTEN, "node-b", instance, "lea", null, List.of(remote.memoryId())));
        StreamResponse update;
        do {
          update = stream.next(StreamResponse.PayloadCase.CONTEXT_BUNDLE, 5_000);
        } while (update != null && !update.getContextBundle().getOriginPatternId().equals("memory_write.update")
            || update != null && !update.getContextBundle().toString().contains(remote.memoryId()));
        assertThat(update).as("a memory_write.update bundle with node-b's memory").isNotNull();
        assertThat(update.getContextBundle().toString()).contains("rambutan");
        System.out.printf("cross-node push in one JVM: %.1f ms%n", (System.nanoTime() - sent) / 1e6);
      } finally {
        channel.shutdownNow();
      }
    }
  }
}
