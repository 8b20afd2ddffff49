package dev.synap.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.MemoryEngine;
import dev.synap.core.ingest.RecordRequest;
import dev.synap.core.model.Memory;
import dev.synap.core.store.MemoryFilter;
import dev.synap.core.store.MessageStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM records messages and is killed with SIGKILL mid-ingestion. After a restart every
 * message it acknowledged is present exactly once, and each has its complete set of memories.
 */
class KillNineTest {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedMessageSurvivesKillNineExactlyOnceWithItsMemories() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CrashChild.class.getName(), dir.toString(), "100000")
        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    Map<Integer, String> acked = new HashMap<>();
    String instance = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("READY ")) instance = line.substring(6);
        if (line.startsWith("ACK ")) {
          String[] p = line.split(" ");
          acked.put(Integer.parseInt(p[1]), p[2]);
          if (acked.size() == 1500) {
            // SIGKILL: no shutdown hooks, no flush. (Process.destroyForcibly would also close our pipe.)
            new ProcessBuilder("kill", "-9", Long.toString(child.pid())).start().waitFor();
          }
        }
      }
    }
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(acked.size()).isGreaterThanOrEqualTo(1500);

    try (MemoryEngine engine = MemoryEngine.open(MemoryEngine.Config.defaults(dir))) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (engine.ingest().queueDepth() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
      assertThat(engine.ingest().queueDepth()).isZero();

      // Present exactly once: re-recording with the same idempotency keys finds every one.
      for (var e : acked.entrySet()) {
        var again = engine.ingest().record(new RecordRequest(instance, "6f1c2a52-4b8e-4f5e-9d61-3a7b2c9e8d10", "user-" + (e.getKey() % 7), null, null,
            "user", "message", "Note " + e.getKey() + ": I enjoy visiting museum number " + e.getKey() + " with my sister.", Map.of(), null, "key-" + e.getKey()));
        assertThat(again.duplicate()).isTrue();
        assertThat(again.messageId()).isEqualTo(e.getValue());
        MessageStore.Status s = engine.store().messages().status(instance, e.getValue()).orElseThrow();
        assertThat(s.status()).as("message %d", e.getKey()).isEqualTo("completed");
        assertThat(s.memoriesCreated()).as("memories of message %d", e.getKey()).isPositive();
      }
      // No duplicated memories: one memory per (message, content).
      List<Memory> all = engine.store().memories().list(new MemoryFilter(instance, null, null, null, null, Set.of(), true), 1_000_000, 0);
      Set<String> seen = new HashSet<>();
      for (Memory m : all) assertThat(seen.add(m.sourceMessageIds() + "|" + m.content())).as("duplicate memory %s", m.content()).isTrue();
      int totalMessages = 0;
      for (int u = 0; u < 7; u++) totalMessages += engine.store().messages().byUser(instance, "user-" + u, 1_000_000).size();
      System.out.printf("kill -9: %d acknowledged, %d stored, %d memories%n", acked.size(), totalMessages, all.size());
      assertThat(totalMessages).isGreaterThanOrEqualTo(acked.size());
    }
  }
}
