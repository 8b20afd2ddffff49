package dev.synap.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.entity.EntityRegistry;
import dev.synap.core.extract.RuleExtractor;
import dev.synap.core.priority.ReadPriority;
import dev.synap.core.priority.ReadPriorityTest;
import dev.synap.core.store.sqlite.SqliteSystemOfRecord;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Extraction, the heaviest background work after embedding, waits while a client read runs. */
class ReadsFirstTest {
  @TempDir Path dir;

  @Test
  void extractionWaitsForAReadInFlightAndCatchesUpAfterIt() throws Exception {
    ReadPriority priority = new ReadPriority(60_000);
    try (SqliteSystemOfRecord store = new SqliteSystemOfRecord(dir);
        IngestPipeline pipeline = new IngestPipeline(store.messages(), new EntityRegistry(store.entities()), new RuleExtractor(), 2, 1000,
            priority)) {
      pipeline.start();
      CountDownLatch endRead = new CountDownLatch(1);
      Thread read = ReadPriorityTest.heldRead(priority, endRead);
      String id = pipeline.record(PipelineFixture.request("c1", "Kai", "I love climbing in the Alps", "2026-01-01T10:00:00Z")).messageId();
      Thread.sleep(500);
      // Acknowledged and durable, but not extracted while the read runs.
      assertThat(store.messages().status(PipelineFixture.INSTANCE, id).orElseThrow().status()).isIn("queued", "processing");
      endRead.countDown();
      read.join();
      long deadline = System.nanoTime() + 10_000_000_000L;
      String status;
      do {
        status = store.messages().status(PipelineFixture.INSTANCE, id).orElseThrow().status();
        Thread.sleep(10);
      } while ((status.equals("queued") || status.equals("processing")) && System.nanoTime() < deadline);
      assertThat(status).isEqualTo("completed");
      assertThat(priority.yields()).isPositive();
    }
  }
}
