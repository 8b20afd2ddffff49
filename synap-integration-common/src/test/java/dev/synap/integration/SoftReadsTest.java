package dev.synap.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synap.sdk.Synap;
import dev.synap.sdk.SynapException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Memory down: reads answer empty and count, writes throw the SDK's typed exceptions. */
class SoftReadsTest {
  @Test
  void readsFailSoftAndWritesThrowWhenTheServerIsDown() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort(); // closed again: nothing listens there
    }
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (Synap synap = Synap.builder().apiKey("sk_live_test").baseUrl("http://127.0.0.1:" + port).grpcPort(port)
        .connectTimeout(Duration.ofMillis(300)).requestTimeout(Duration.ofMillis(500)).build()) {
      SynapMemory memory = SynapMemory.builder(synap).userId("alice").integration("test").meterRegistry(meters).build();

      Recall recall = memory.recall("dog", 5, null);
      assertThat(recall.source()).isEqualTo(Recall.UNAVAILABLE);
      assertThat(recall.items()).isEmpty();
      assertThat(memory.reads().failures("recall")).isEqualTo(1.0);

      assertThatThrownBy(() -> memory.record(memory.conversation("chat-1"), "user", "hello")).isInstanceOf(SynapException.class);
    }
  }
}
