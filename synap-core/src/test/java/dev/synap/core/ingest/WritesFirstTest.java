package dev.synap.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.entity.EntityRegistry;
import dev.synap.core.extract.RuleExtractor;
import dev.synap.core.store.sqlite.SqliteSystemOfRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Extraction steps back while writes are acknowledged in a burst (see {@link WritePressure}), and
 * catches up once the burst is over: every acknowledged message is extracted, none is lost.
 */
class WritesFirstTest {
  @TempDir Path dir;

  @Test
  void extractionRestsDuringABurstAndCompletesEveryAcknowledgedMessageAfterIt() throws Exception {
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    try (SqliteSystemOfRecord store = new SqliteSystemOfRecord(dir);
        IngestPipeline pipeline = new IngestPipeline(store.messages(), new EntityRegistry(store.entities()), new RuleExtractor(), 2, 1_000_000)) {
      pipeline.start();
      // A bounded burst (16 x 150 messages), not a timed one: on a fast machine a 3 s burst left more
      // catch-up work than a slow one, and the catch-up bound below must hold on both.
      java.util.concurrent.atomic.AtomicInteger writing = new java.util.concurrent.atomic.AtomicInteger(16);
      long maxBacklog = 0;
      try (ExecutorService clients = Executors.newFixedThreadPool(16)) {
        for (int c = 0; c < 16; c++) {
          int client = c;
          clients.submit(() -> {
            for (int i = 0; i < 150; i++) {
              acknowledged.add(pipeline.record(PipelineFixture.request("c" + client, "Kai", "I moved to city number " + i + " last year",
                  "2026-01-01T10:00:00Z")).messageId());
            }
            writing.decrementAndGet();
            return null;
          });
        }
        while (writing.get() > 0) {
          maxBacklog = Math.max(maxBacklog, pipeline.queueDepth());
          Thread.sleep(20);
        }
      }
      assertThat(pipeline.pressure().busy()).as("the burst counted as one (over %s/s)", IngestPipeline.BUSY_PER_SECOND).isTrue();
      // Precondition: the burst outran extraction, so the catch-up below is exercised. (This alone
      // does not tell the new rest from the old fixed pause: the bench's CPU per stage does.)
      assertThat(maxBacklog).isGreaterThan(IngestPipeline.CLAIM_BATCH * 4L);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (pipeline.queueDepth() > 0 && System.nanoTime() < deadline) Thread.sleep(20);
      assertThat(pipeline.queueDepth()).isZero();
      for (String id : List.copyOf(acknowledged)) {
        assertThat(store.messages().status(PipelineFixture.INSTANCE, id).orElseThrow().status()).isEqualTo("completed");
      }
    }
  }
}
