package dev.synap.core;

import dev.synap.core.analytics.UsageQuery;
import dev.synap.core.analytics.UsageRecorder;
import dev.synap.core.anticipate.AnticipationPlanner;
import dev.synap.core.control.ControlPlane;
import dev.synap.core.control.MemoryConfigs;
import dev.synap.core.control.RetentionJob;
import dev.synap.core.compact.AutoCompaction;
import dev.synap.core.compact.CompactionSettings;
import dev.synap.core.compact.Compactor;
import dev.synap.core.extract.Extractor;
import dev.synap.core.entity.EntityRegistry;
import dev.synap.core.extract.RuleExtractor;
import dev.synap.core.extract.llm.LlmExtractor;
import dev.synap.core.extract.llm.LlmSettings;
import dev.synap.core.ingest.IngestPipeline;
import dev.synap.core.embed.CachingEmbedder;
import dev.synap.core.embed.E5SmallEmbedder;
import dev.synap.core.priority.ReadPriority;
import dev.synap.core.retrieve.HybridRetriever;
import dev.synap.core.retrieve.graph.GraphSettings;
import dev.synap.core.retrieve.graph.GraphWalk;
import dev.synap.core.retrieve.LexicalRetriever;
import dev.synap.core.retrieve.Retriever;
import dev.synap.core.retrieve.question.LlmQuestionRewriter;
import dev.synap.core.retrieve.question.QuestionPlans;
import dev.synap.core.retrieve.question.QuestionSettings;
import dev.synap.core.retrieve.lucene.ChangeFollower;
import dev.synap.core.retrieve.lucene.IndexText;
import dev.synap.core.retrieve.lucene.MemoryIndex;
import dev.synap.core.store.MessageStore;
import dev.synap.core.store.SystemOfRecord;
import dev.synap.core.store.StoreSettings;
import dev.synap.core.store.Stores;
import dev.synap.core.tenant.Tenancy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The memory engine, assembled: system of record, tenancy, the ingest pipeline, retrieval and
 * anticipation. The server is a thin edge over this; benchmarks and tests may use it directly.
 */
public final class MemoryEngine implements AutoCloseable {

  /**
   * Engine settings; see the README for the matching configuration keys.
   *
   * @param llm an OpenAI-compatible endpoint for extraction, or null for the offline extractor only
   */
  public record Config(Path dataDir, int extractWorkers, long maxQueued, LlmSettings llm, String nodeId) {
    /** Without explicit LLM settings, {@code SYNAP_LLM_BASE_URL} (and friends) in the environment enable it. */
    public Config(Path dataDir, int extractWorkers, long maxQueued) {
      this(dataDir, extractWorkers, maxQueued, LlmSettings.fromEnvironment(System.getenv()).orElse(null));
    }

    public Config(Path dataDir, int extractWorkers, long maxQueued, LlmSettings llm) {
      this(dataDir, extractWorkers, maxQueued, llm, null);
    }

    /** The same, for the node named {@code id} (its leases on shared work carry the name). */
    public Config withNodeId(String id) {
      return new Config(dataDir, extractWorkers, maxQueued, llm, id);
    }

    MessageStore.Lease lease() {
      return nodeId == null ? MessageStore.Lease.local() : new MessageStore.Lease(nodeId, MessageStore.Lease.DEFAULT_DURATION);
    }

    public static Config defaults(Path dataDir) {
      return new Config(dataDir, 2, 100_000);
    }

    /** The offline rule extractor (strict typing or not), fronted by the LLM extractor when one is configured. */
    Extractor extractor(boolean strictTypes) {
      RuleExtractor offline = new RuleExtractor(strictTypes);
      return llm == null ? offline : new LlmExtractor(llm, offline);
    }
  }

  /**
   * How memories are indexed and ranked; the defaults are what the LoCoMo bench measured best.
   *
   * @param embeddingCache how many embeddings to keep in memory (about 1.5 KB each)
   * @param strictTypes typed memories only for sentences about a person with a typed cue, every
   *     other informative sentence indexed as source evidence (issue #20); false types them all
   * @param clock what "today" is for recency and for periods a question names ("last month"); a
   *     replayed conversation (the LoCoMo bench) is asked on the day after it ended, whatever the date of the run
   */
  public record RetrievalConfig(IndexText indexText, HybridRetriever.Settings ranking, int embeddingCache, MemoryIndex.Durability durability,
      QuestionSettings questions, boolean strictTypes, Clock clock, GraphSettings graph) {
    public RetrievalConfig(IndexText indexText, HybridRetriever.Settings ranking, int embeddingCache) {
      this(indexText, ranking, embeddingCache, MemoryIndex.Durability.DEFAULT);
    }

    public RetrievalConfig(IndexText indexText, HybridRetriever.Settings ranking, int embeddingCache, MemoryIndex.Durability durability) {
      this(indexText, ranking, embeddingCache, durability, QuestionSettings.DEFAULT, true, Clock.systemUTC(), GraphSettings.DEFAULT);
    }

    /** The same, with question understanding switched as given. */
    public RetrievalConfig withQuestions(QuestionSettings q) {
      return new RetrievalConfig(indexText, ranking, embeddingCache, durability, q, strictTypes, clock, graph);
    }

    /** The same, with strict typing on or off (the ablation of issue #20 switches it off). */
    public RetrievalConfig withStrictTypes(boolean strict) {
      return new RetrievalConfig(indexText, ranking, embeddingCache, durability, questions, strict, clock, graph);
    }

    /** The same, with the graph walk (relations, turns, entities) set as given. */
    public RetrievalConfig withGraph(GraphSettings g) {
      return new RetrievalConfig(indexText, ranking, embeddingCache, durability, questions, strictTypes, clock, g);
    }

    public static RetrievalConfig defaults() {
      return new RetrievalConfig(IndexText.DEFAULT, HybridRetriever.Settings.DEFAULT, 20_000);
    }

    /** The same, committing the index on another schedule. */
    public RetrievalConfig withDurability(MemoryIndex.Durability d) {
      return new RetrievalConfig(indexText, ranking, embeddingCache, d, questions, strictTypes, clock, graph);
    }

    public RetrievalConfig withRanking(HybridRetriever.Settings r) {
      return new RetrievalConfig(indexText, r, embeddingCache, durability, questions, strictTypes, clock, graph);
    }

    public RetrievalConfig withClock(Clock c) {
      return new RetrievalConfig(indexText, ranking, embeddingCache, durability, questions, strictTypes, c, graph);
    }
  }

  /**
   * The longest one unit of background work (a message extracted, a compaction job) waits for
   * client reads in flight: reads first, but background keeps a bounded share.
   */
  static final long BACKGROUND_MAX_WAIT_MS = 100;

  private final SystemOfRecord store;
  private final ReadPriority readPriority = new ReadPriority(BACKGROUND_MAX_WAIT_MS);
  private final Tenancy tenancy;
  private final EntityRegistry entities;
  private final IngestPipeline ingest;
  private final MemoryIndex index;
  private final CachingEmbedder embeddings;
  private final MemoryWrites writes;
  private final Retriever retriever;
  private final Extractor extractor;
  private final AnticipationPlanner planner = new AnticipationPlanner();
  private final Compactor compactor;
  private final AutoCompaction autoCompaction;
  /** Feeds the index from the store's change log when other nodes write to the same store; null on one node. */
  private ChangeFollower follower;
  private final UsageRecorder usage;
  private final UsageQuery usageQuery;
  private final ControlPlane control;
  private final MemoryConfigs memoryConfigs;
  private final RetentionJob retention;
  private final dev.synap.core.control.BriefRefiner briefRefiner;
  /** Flushes usage counts every few seconds and runs retention hourly (null for admin-only engines). */
  private Thread usageFlusher;
  /** Called with (instanceId, userId) after a user's data was deleted (derived state cleans up). */
  private final java.util.List<java.util.function.BiConsumer<String, String>> userDeletedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  private MemoryEngine(SystemOfRecord store, Extractor extractor, Config config, RetrievalConfig retrieval, CompactionSettings compaction) {
    this.store = store;
    this.tenancy = new Tenancy(store.tenants());
    this.extractor = extractor;
    this.entities = new EntityRegistry(store.entities());
    this.ingest = new IngestPipeline(store.messages(), entities, extractor, config.extractWorkers(), config.maxQueued(), readPriority);
    this.ingest.leaseAs(config.lease(), store.shared());
    // Search indexes live beside the store and are rebuilt from it when they disagree.
    this.embeddings = new CachingEmbedder(new E5SmallEmbedder(), retrieval.embeddingCache());
    this.index = new MemoryIndex(config.dataDir().resolve("index"), store, embeddings, retrieval.indexText(),
        // Embedding waits out write bursts, but not client reads: measured, an indexer that stepped
        // back for reads let the not-yet-indexed backlog grow past what a fetch can match by id,
        // sending fetches to the slower full-text fallback, which kept more reads in flight.
        ingest.pressure()::busy, retrieval.durability());
    this.ingest.onProcessed(index::onProcessed);
    this.memoryConfigs = new MemoryConfigs(store.memoryConfigs(), store.control());
    this.ingest.policy(new IngestPipeline.Policy() {
      @Override
      public dev.synap.core.control.MemoryConfig forMessage(String instanceId, java.time.Instant recordedAt) {
        return memoryConfigs.forMessage(instanceId, recordedAt);
      }

      @Override
      public dev.synap.core.control.MemoryConfig current(String instanceId) {
        return memoryConfigs.active(instanceId);
      }
    });
    this.writes = new MemoryWrites(store.memories(), index, ingest::redact);
    this.ingest.onStatusChanged(writes::consolidated);
    this.retriever = new HybridRetriever(index, store.memories(), new LexicalRetriever(store.memories()), retrieval.ranking(), retrieval.clock(),
        questionPlans(retrieval.questions(), config.llm()), new GraphWalk(retrieval.graph(), store.relations(), entities::entities));
    this.compactor = new Compactor(store.messages(), store.memories(), store.compactions(), compaction, readPriority);
    this.autoCompaction = compaction.autoEnabled() ? new AutoCompaction(compactor, compaction) : null;
    if (autoCompaction != null) ingest.onProcessed(autoCompaction::onProcessed);
    this.usage = new UsageRecorder(store.usage(), Clock.systemUTC());
    this.usageQuery = new UsageQuery(store.usage(), usage);
    ingest.onProcessed((m, produced) -> usage.record(m.instanceId(), dev.synap.core.analytics.Metric.MEMORIES_STORED, m.userId(), m.customerId(),
        produced.size(), null));
    compactor.onCompleted(c -> usage.record(c.instanceId(), dev.synap.core.analytics.Metric.CONTEXT_COMPACT, c.userId(), null, 1,
        c.completedAt() == null ? null : (double) java.time.Duration.between(c.initiatedAt(), c.completedAt()).toMillis()));
    // A deleted instance leaves derived state too: its (now empty) index is rebuilt, caches forget it.
    this.control = new ControlPlane(store.tenants(), store.control(), store.memories(), tenancy, usageQuery, id -> {
      index.rebuild(id);
      entities.invalidate(id);
      embeddings.clear();
    });
    if (autoCompaction != null) {
      autoCompaction.perInstance(id -> memoryConfigs.configured(id) ? memoryConfigs.active(id).compaction() : null);
    }
    this.briefRefiner = new dev.synap.core.control.BriefRefiner(config.llm());
    this.retention = new RetentionJob(store.tenants(), store.memories(), writes, memoryConfigs);
  }

  /** The rules' question plans, with the LLM's rewrite in accurate mode when one is configured and allowed. */
  private static QuestionPlans questionPlans(QuestionSettings q, LlmSettings llm) {
    return new QuestionPlans(q.plans(), q.llmRewrite() && llm != null ? new LlmQuestionRewriter(llm, q.llmTimeout()) : null);
  }

  /** Opens (or creates) the embedded store in {@code config.dataDir()} and starts ingestion. */
  public static MemoryEngine open(Config config) {
    return open(config, RetrievalConfig.defaults(), CompactionSettings.fromEnvironment(System.getenv()));
  }

  public static MemoryEngine open(Config config, RetrievalConfig retrieval) {
    return open(config, retrieval, CompactionSettings.fromEnvironment(System.getenv()));
  }

  /** As {@link #open(Config)}, with explicit compaction settings instead of the environment's. */
  public static MemoryEngine open(Config config, CompactionSettings compaction) {
    return open(config, RetrievalConfig.defaults(), compaction);
  }

  /** As the other factories, on the embedded store in {@code config.dataDir()}. */
  public static MemoryEngine open(Config config, RetrievalConfig retrieval, CompactionSettings compaction) {
    return open(Stores.open(StoreSettings.embedded(config.dataDir())), config, retrieval, compaction);
  }

  /**
   * Starts the engine on a store opened by the caller ({@link Stores#open}); the engine owns it
   * from here and closes it, also when starting fails. Search indexes stay in {@code config.dataDir()}.
   */
  public static MemoryEngine open(SystemOfRecord store, Config config, RetrievalConfig retrieval, CompactionSettings compaction) {
    MemoryEngine engine;
    try {
      engine = new MemoryEngine(store, config.extractor(retrieval.strictTypes()), config, retrieval, compaction);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    try {
      return engine.start();
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  private MemoryEngine start() {
    MemoryEngine engine = this;
    engine.compactor.recoverInterrupted();
    // Several nodes on one store: read before the catch-up, so the follower misses nothing after it.
    long followFrom = engine.store.shared() ? engine.store.memories().changePosition() : -1;
    engine.index.verifyAll();
    if (engine.store.shared()) engine.follower = new ChangeFollower(engine.index, engine.store, followFrom);
    engine.ingest.start();
    engine.usageFlusher = Thread.ofVirtual().name("synap-usage-flush").start(engine::housekeeping);
    return engine;
  }

  /** Opens the store for administration only (keys, instances): no ingestion workers. */
  public static MemoryEngine openForAdmin(Path dataDir) {
    return openForAdmin(StoreSettings.embedded(dataDir));
  }

  /** As {@link #openForAdmin(Path)}, on the store these settings name. */
  public static MemoryEngine openForAdmin(StoreSettings settings) {
    SystemOfRecord store = Stores.open(settings);
    try {
      return new MemoryEngine(store, new RuleExtractor(), Config.defaults(settings.dataDir()), RetrievalConfig.defaults(),
          CompactionSettings.defaults().withoutAuto());
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
  }

  /**
   * Waits until every recorded message is extracted and its memories are searchable; false on
   * timeout. The quiet state is checked twice, because a message leaves the queue a moment before
   * its memories reach the indexer.
   */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int quietChecks = 0;
    while (quietChecks < 2) {
      if (System.nanoTime() > deadline) return false;
      boolean quiet = ingest.queueDepth() == 0 && store.messages().queueDepth() == 0
          && index.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      quietChecks = quiet ? quietChecks + 1 : 0;
      Thread.sleep(quiet ? 30 : 10);
    }
    return true;
  }

  public SystemOfRecord store() {
    return store;
  }

  public Tenancy tenancy() {
    return tenancy;
  }

  public EntityRegistry entities() {
    return entities;
  }

  public IngestPipeline ingest() {
    return ingest;
  }

  public Extractor extractor() {
    return extractor;
  }

  /** The engine's retriever: hybrid (BM25 + dense) over the Lucene index. */
  public Retriever retriever() {
    return retriever;
  }

  /** Reads a client waits on mark themselves here; background work steps back while they run. */
  public ReadPriority readPriority() {
    return readPriority;
  }

  public MemoryIndex index() {
    return index;
  }

  /** Edits, deletions and status changes of single memories: store, index and listeners together. */
  public MemoryWrites writes() {
    return writes;
  }

  public AnticipationPlanner planner() {
    return planner;
  }

  /** User profiles, derived from current memories on every request. */
  public dev.synap.core.profile.ProfileBuilder profiles() {
    return new dev.synap.core.profile.ProfileBuilder(store.memories());
  }

  /** Conversation compaction: jobs, versions, short-term context. */
  public Compactor compactions() {
    return compactor;
  }

  /**
   * Forgets a user (see {@link SystemOfRecord#deleteUser} for what goes), leaving no copy of their
   * words in the store's files, the search index or the engine's caches. The store goes first: an
   * indexing job in flight then finds the memories gone ({@link MemoryIndex#deleteOwner}).
   * Callers holding derived state of their own are told through {@link #onUserDeleted}.
   */
  public SystemOfRecord.Deleted deleteUser(String instanceId, String customerId, String userId) {
    SystemOfRecord.Deleted d = store.deleteUser(instanceId, customerId, userId);
    forgetInDerivedState(instanceId, customerId, userId, d); // the embedding cache is keyed by text: the user's among them
    for (var l : userDeletedListeners) l.accept(instanceId, userId);
    return d;
  }

  /** Forgets a customer and all its users (B2B), with the completeness of {@link #deleteUser}. */
  public SystemOfRecord.Deleted deleteCustomer(String instanceId, String customerId) {
    SystemOfRecord.Deleted d = store.deleteCustomer(instanceId, customerId);
    forgetInDerivedState(instanceId, customerId, null, d);
    return d;
  }

  /**
   * Forgets one conversation (see {@link SystemOfRecord#deleteConversation} for what goes): the
   * store first, then the index (its documents dropped, the memories it still holds re-derived,
   * segments purged in the background) and the engine's caches, as for a user.
   */
  public SystemOfRecord.Deleted deleteConversation(String instanceId, String conversationId) {
    SystemOfRecord.Deleted d = store.deleteConversation(instanceId, conversationId);
    forgetInDerivedState(instanceId, null, null, d);
    return d;
  }

  private void forgetInDerivedState(String instanceId, String customerId, String userId, SystemOfRecord.Deleted d) {
    entities.invalidate(instanceId);
    index.deleteOwner(instanceId, customerId, userId, d.touchedConversations());
    embeddings.clear();
  }

  /** Called with (instanceId, userId) after a user's data was deleted from the system of record. */
  public void onUserDeleted(java.util.function.BiConsumer<String, String> listener) {
    userDeletedListeners.add(listener);
  }

  /** Usage counts (analytics) recorded on the hot path. */
  public UsageRecorder usage() {
    return usage;
  }

  public UsageQuery usageQuery() {
    return usageQuery;
  }

  /** Instances, keys with permissions, the admin credential, the audit log. */
  public ControlPlane control() {
    return control;
  }

  /** Each instance's memory configuration: the active version and the review workflow. */
  public MemoryConfigs memoryConfigs() {
    return memoryConfigs;
  }

  /** Improves a brief's rule-made configuration with the optional LLM (unchanged without one). */
  public dev.synap.core.control.BriefRefiner briefRefiner() {
    return briefRefiner;
  }

  /** Ages out memories past their instance's retention (hourly; callable on demand). */
  public RetentionJob retention() {
    return retention;
  }

  private void housekeeping() {
    long lastRetention = System.currentTimeMillis() - 3_540_000; // first run a minute after start
    while (true) {
      try {
        Thread.sleep(5_000);
        usage.flush();
        if (System.currentTimeMillis() - lastRetention >= 3_600_000) {
          lastRetention = System.currentTimeMillis();
          retention.runOnce(java.time.Instant.now());
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        // counts stay in memory and are retried on the next flush
      }
    }
  }

  @Override
  public void close() {
    if (usageFlusher != null) usageFlusher.interrupt();
    try {
      usage.flush();
    } catch (RuntimeException ignored) {
      // closing anyway: at most one flush interval of counts is lost
    }
    ingest.close();
    if (autoCompaction != null) autoCompaction.close();
    compactor.close();
    if (follower != null) follower.close();
    index.close();
    store.close();
  }
}
