package dev.synap.core.ingest;

import dev.synap.core.entity.EntityRegistry;
import dev.synap.core.extract.Extractor;
import dev.synap.core.extract.RuleExtractor;
import dev.synap.core.model.Memory;
import dev.synap.core.store.MemoryFilter;
import dev.synap.core.store.sqlite.SqliteSystemOfRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A real SQLite store and a running ingest pipeline in a temporary folder. */
final class PipelineFixture implements AutoCloseable {
  static final String INSTANCE = "inst-1";
  static final String USER = "user-1";
  final SqliteSystemOfRecord store;
  final EntityRegistry entities;
  final IngestPipeline pipeline;

  PipelineFixture(Path dir) {
    this(dir, new RuleExtractor());
  }

  PipelineFixture(Path dir, Extractor extractor) {
    store = new SqliteSystemOfRecord(dir);
    entities = new EntityRegistry(store.entities());
    pipeline = new IngestPipeline(store.messages(), entities, extractor, 1, 1000);
  }

  PipelineFixture start() {
    pipeline.start();
    return this;
  }

  /** Records one turn and waits until it is processed; returns its message id. */
  String say(String conversation, String speaker, String text, String isoInstant) {
    Recorded r = pipeline.record(request(conversation, speaker, text, isoInstant));
    awaitDone(r.messageId());
    return r.messageId();
  }

  static RecordRequest request(String conversation, String speaker, String text, String isoInstant) {
    return new RecordRequest(INSTANCE, conversation, USER, null, null, "user", "message", text, Map.of("speaker", speaker),
        Instant.parse(isoInstant), null);
  }

  void awaitDone(String messageId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (System.nanoTime() < deadline) {
      var status = store.messages().status(INSTANCE, messageId).orElseThrow();
      if (!status.status().equals("queued") && !status.status().equals("processing")) return;
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new AssertionError("message " + messageId + " was not processed in time");
  }

  List<Memory> current() {
    return store.memories().list(MemoryFilter.user(INSTANCE, null, USER), 1000, 0);
  }

  List<Memory> all() {
    return store.memories().list(new MemoryFilter(INSTANCE, null, null, USER, null, Set.of(), true), 1000, 0);
  }

  @Override
  public void close() {
    pipeline.close();
    store.close();
  }
}
