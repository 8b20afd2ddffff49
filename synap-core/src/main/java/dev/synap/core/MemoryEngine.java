package dev.synap.core;

import dev.synap.core.anticipate.AnticipationPlanner;
import dev.synap.core.compact.AutoCompaction;
import dev.synap.core.compact.CompactionSettings;
import dev.synap.core.compact.Compactor;
import dev.synap.core.extract.Extractor;
import dev.synap.core.extract.TurnExtractor;
import dev.synap.core.ingest.IngestPipeline;
import dev.synap.core.retrieve.LexicalRetriever;
import dev.synap.core.retrieve.Retriever;
import dev.synap.core.store.SystemOfRecord;
import dev.synap.core.store.sqlite.SqliteSystemOfRecord;
import dev.synap.core.tenant.Tenancy;
import java.nio.file.Path;

/**
 * The memory engine, assembled: system of record, tenancy, the ingest pipeline, retrieval and
 * anticipation. The server is a thin edge over this; benchmarks and tests may use it directly.
 */
public final class MemoryEngine implements AutoCloseable {

  /** Engine settings; see the README for the matching configuration keys. */
  public record Config(Path dataDir, int extractWorkers, long maxQueued) {
    public static Config defaults(Path dataDir) {
      return new Config(dataDir, 2, 100_000);
    }
  }

  private final SystemOfRecord store;
  private final Tenancy tenancy;
  private final IngestPipeline ingest;
  private final Retriever retriever;
  private final Extractor extractor;
  private final AnticipationPlanner planner = new AnticipationPlanner();
  private final Compactor compactor;
  private final AutoCompaction autoCompaction;

  private MemoryEngine(SystemOfRecord store, Extractor extractor, Config config) {
    this(store, extractor, config, CompactionSettings.defaults().withoutAuto());
  }

  private MemoryEngine(SystemOfRecord store, Extractor extractor, Config config, CompactionSettings compaction) {
    this.store = store;
    this.tenancy = new Tenancy(store.tenants());
    this.extractor = extractor;
    this.ingest = new IngestPipeline(store.messages(), extractor, config.extractWorkers(), config.maxQueued());
    this.retriever = new LexicalRetriever(store.memories());
    this.compactor = new Compactor(store.messages(), store.memories(), store.compactions(), compaction);
    this.autoCompaction = compaction.autoEnabled() ? new AutoCompaction(compactor, compaction) : null;
    if (autoCompaction != null) ingest.onProcessed(autoCompaction::onProcessed);
    onUserDeleted((instanceId, userId) -> store.compactions().deleteUser(instanceId, userId));
  }

  /** Opens (or creates) the embedded store in {@code config.dataDir()} and starts ingestion. */
  public static MemoryEngine open(Config config) {
    return open(config, CompactionSettings.fromEnvironment(System.getenv()));
  }

  /** As {@link #open(Config)}, with explicit compaction settings instead of the environment's. */
  public static MemoryEngine open(Config config, CompactionSettings compaction) {
    MemoryEngine engine = new MemoryEngine(new SqliteSystemOfRecord(config.dataDir()), new TurnExtractor(), config, compaction);
    engine.compactor.recoverInterrupted();
    engine.ingest.start();
    return engine;
  }

  /** Opens the store for administration only (keys, instances): no ingestion workers. */
  public static MemoryEngine openForAdmin(Path dataDir) {
    return new MemoryEngine(new SqliteSystemOfRecord(dataDir), new TurnExtractor(), Config.defaults(dataDir));
  }

  public SystemOfRecord store() {
    return store;
  }

  public Tenancy tenancy() {
    return tenancy;
  }

  public IngestPipeline ingest() {
    return ingest;
  }

  public Extractor extractor() {
    return extractor;
  }

  public Retriever retriever() {
    return retriever;
  }

  public AnticipationPlanner planner() {
    return planner;
  }

  /** Conversation compaction: jobs, versions, short-term context. */
  public Compactor compactions() {
    return compactor;
  }

  /**
   * Forgets a user: every memory, raw message and conversation of theirs, in one transaction.
   * Callers holding derived state (indexes, caches) are told through {@link #onUserDeleted}.
   */
  public SystemOfRecord.Deleted deleteUser(String instanceId, String customerId, String userId) {
    SystemOfRecord.Deleted d = store.deleteUser(instanceId, customerId, userId);
    for (var l : userDeletedListeners) l.accept(instanceId, userId);
    return d;
  }

  private final java.util.List<java.util.function.BiConsumer<String, String>> userDeletedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Called with (instanceId, userId) after a user's data was deleted from the system of record. */
  public void onUserDeleted(java.util.function.BiConsumer<String, String> listener) {
    userDeletedListeners.add(listener);
  }

  @Override
  public void close() {
    ingest.close();
    if (autoCompaction != null) autoCompaction.close();
    compactor.close();
    store.close();
  }
}
