package dev.synap.core.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synap.core.extract.ExtractedMemory;
import dev.synap.core.extract.Extractor;
import dev.synap.core.extract.RuleExtractor;
import dev.synap.core.model.Message;
import dev.synap.core.store.MessageStore;
import dev.synap.core.store.sqlite.SqliteSystemOfRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules for a message whose extraction fails: it is retried at most {@link IngestPipeline#MAX_ATTEMPTS}
 * times, then marked failed with the reason, and it never holds up the messages behind it; a worker
 * that meets an {@link Error} is replaced, not lost.
 */
class ExtractionFailureTest {
  @TempDir Path dir;

  /** The real rule extractor, except that a message containing "poison" throws what {@code failure} makes. */
  private static final class PoisonedExtractor implements Extractor {
    final RuleExtractor real = new RuleExtractor();
    final AtomicInteger poisonCalls = new AtomicInteger();
    final java.util.function.Supplier<Throwable> failure;

    PoisonedExtractor(java.util.function.Supplier<Throwable> failure) {
      this.failure = failure;
    }

    @Override
    public List<ExtractedMemory> extract(Message m) {
      if (m.content().contains("poison")) {
        poisonCalls.incrementAndGet();
        Throwable t = failure.get();
        if (t instanceof Error e) throw e;
        throw (RuntimeException) t;
      }
      return real.extract(m);
    }
  }

  private static MessageStore.Status status(PipelineFixture f, String messageId) {
    return f.store.messages().status(PipelineFixture.INSTANCE, messageId).orElseThrow();
  }

  private static String record(PipelineFixture f, String text) {
    return f.pipeline.record(PipelineFixture.request("c1", "Caroline", text, "2024-01-01T10:00:00Z")).messageId();
  }

  @Test
  void anErrorFromTheExtractorFailsOnlyThatMessageAndTheWorkerGoesOn() {
    PoisonedExtractor extractor = new PoisonedExtractor(StackOverflowError::new);
    try (PipelineFixture f = new PipelineFixture(dir, extractor).start()) { // one worker
      String poison = record(f, "poison pill");
      String normal = record(f, "I adopted a dog named Toby last week.");

      f.awaitDone(normal);
      f.awaitDone(poison);

      assertThat(status(f, normal).status()).isEqualTo("completed");
      MessageStore.Status failed = status(f, poison);
      assertThat(failed.status()).isEqualTo("failed");
      assertThat(failed.error()).contains("StackOverflowError").contains(IngestPipeline.MAX_ATTEMPTS + " attempts");
      assertThat(extractor.poisonCalls).hasValue(IngestPipeline.MAX_ATTEMPTS);
      // The depth drops only after the completing commit's listeners ran (a queue seen empty means
      // they know every memory), a moment after the status above reads "completed".
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (f.pipeline.queueDepth() != 0 && System.nanoTime() < deadline) Thread.onSpinWait();
      assertThat(f.pipeline.queueDepth()).isZero();
    }
  }

  @Test
  void aMessageFailingEveryAttemptIsMarkedFailedAndNotRetriedAfterARestart() {
    PoisonedExtractor extractor = new PoisonedExtractor(() -> new IllegalStateException("model answered nonsense"));
    String poison;
    try (PipelineFixture f = new PipelineFixture(dir, extractor).start()) {
      poison = record(f, "poison pill");
      f.awaitDone(poison);
      assertThat(status(f, poison).status()).isEqualTo("failed");
      assertThat(status(f, poison).error()).contains("model answered nonsense");
    }
    try (PipelineFixture f = new PipelineFixture(dir, extractor).start()) {
      String normal = record(f, "I adopted a dog named Toby last week.");
      f.awaitDone(normal);
      assertThat(status(f, poison).status()).isEqualTo("failed");
    }
    assertThat(extractor.poisonCalls).hasValue(IngestPipeline.MAX_ATTEMPTS);
  }

  @Test
  void aMessageWhoseProcessingDiedThreeTimesIsFailedAtTheNextStartInsteadOfQueuedAgain() {
    PoisonedExtractor extractor = new PoisonedExtractor(() -> new IllegalStateException("unreachable"));
    String poison;
    try (SqliteSystemOfRecord store = new SqliteSystemOfRecord(dir)) {
      // Not started: the message stays queued. Then three runs each claim it and die before finishing
      // (what a crash of the whole process, an OutOfMemoryError or a kill -9 mid-extraction leaves).
      IngestPipeline notStarted = new IngestPipeline(store.messages(), extractor, 1, 1000);
      poison = notStarted.record(PipelineFixture.request("c1", "Caroline", "poison pill", "2024-01-01T10:00:00Z")).messageId();
      for (int run = 0; run < IngestPipeline.MAX_ATTEMPTS; run++) {
        store.messages().requeueInFlight(IngestPipeline.MAX_ATTEMPTS); // what each start does first
        assertThat(store.messages().claimQueued(64)).extracting(Message::messageId).containsExactly(poison);
      }
    }
    try (PipelineFixture f = new PipelineFixture(dir, extractor).start()) {
      String normal = record(f, "I adopted a dog named Toby last week.");
      f.awaitDone(normal);
      assertThat(status(f, normal).status()).isEqualTo("completed");
      MessageStore.Status failed = status(f, poison);
      assertThat(failed.status()).isEqualTo("failed");
      assertThat(failed.error()).contains("interrupted");
    }
    assertThat(extractor.poisonCalls).hasValue(0);
  }

  @Test
  void aMessageRetriedAfterACrashIsClaimedAloneSoItCannotTakeABatchDownWithIt() {
    try (SqliteSystemOfRecord store = new SqliteSystemOfRecord(dir)) {
      IngestPipeline notStarted = new IngestPipeline(store.messages(), new RuleExtractor(), 1, 1000);
      for (int i = 0; i < 5; i++) notStarted.record(PipelineFixture.request("c1", "Caroline", "turn " + i, "2024-01-01T10:00:0" + i + "Z"));
      assertThat(store.messages().claimQueued(3)).hasSize(3);
      store.messages().requeueInFlight(IngestPipeline.MAX_ATTEMPTS); // a crash, then a start

      assertThat(store.messages().claimQueued(64)).hasSize(1);
      assertThat(store.messages().claimQueued(64)).hasSize(1);
      assertThat(store.messages().claimQueued(64)).hasSize(1);
      assertThat(store.messages().claimQueued(64)).hasSize(2); // the never-tried ones go in a batch again
    }
  }

  @Test
  void aWorkerThatMeetsAnErrorOutsideExtractionIsReplaced() {
    AtomicBoolean thrown = new AtomicBoolean();
    try (PipelineFixture f = new PipelineFixture(dir)) { // one worker
      f.pipeline.onProcessed((message, memories) -> {
        if (thrown.compareAndSet(false, true)) throw new OutOfMemoryError("simulated: a listener ran out of memory");
      });
      f.start();
      String first = record(f, "I adopted a dog named Toby last week.");
      f.awaitDone(first);
      String second = record(f, "My sister Maria lives in Lisbon.");
      f.awaitDone(second);

      assertThat(thrown).isTrue();
      assertThat(status(f, first).status()).isEqualTo("completed");
      assertThat(status(f, second).status()).isEqualTo("completed");
    }
  }
}
