package dev.synap.core.retrieve.lucene;

import dev.synap.core.embed.Embedder;
import dev.synap.core.model.Memory;
import dev.synap.core.model.Message;
import dev.synap.core.model.Scope;
import dev.synap.core.store.MemoryFilter;
import dev.synap.core.store.MemoryStore;
import dev.synap.core.store.SystemOfRecord;
import dev.synap.core.store.VectorStore;
import dev.synap.core.tenant.Instance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The search index of every instance, kept in step with the system of record, which stays the
 * truth: the index can always be rebuilt from it ({@link #rebuild}).
 *
 * <p>Writes arrive after the store committed them ({@link #onProcessed}, {@link #reindex},
 * {@link #statusChanged}) and are applied by one indexer thread in batches (one Lucene refresh per
 * batch, not per memory). After each batch the touched instances are refreshed, so the lag from
 * commit to searchable is the time of one batch (tens to a few hundred milliseconds), except during
 * a write burst, when batches wait for the burst to pass (at most ten seconds each, counting the
 * pauses between chunks of passages of a batch that was already embedding when the burst began). Either way
 * the retriever finds memories whose index entry is missing or stale through the store
 * ({@link #notYetIndexed}).
 *
 * <p>Durability. Every change to a memory appends to the store's history, whose position only
 * grows ({@code MemoryStore#changePosition}). The indexer commits each touched instance every few
 * seconds (or after a number of applied writes) and records with the commit a position P such that
 * every change at or before P is in that commit. Finding P: the indexer samples (time, position)
 * about once a second; a change is queued here within moments of its store commit, so a sample
 * taken a safety margin before the oldest write still queued (or being retried) is covered. On
 * open ({@link #verifyAll}) only the memories changed after P are read back and re-embedded: a
 * crash costs seconds of replay, not a rebuild. A rebuild runs only when the index has no position
 * (made by an older version), when more changed than a rebuild would cost, or when the replayed
 * index still disagrees with the store's memory count.
 *
 * <p>A batch that fails (the embedder threw, a disk was full) is retried with a capped backoff;
 * after a few failures its jobs are retried one by one, and a job failing on its own several times
 * is set aside and retried every minute, so one poisonous memory cannot stop the rest. Nothing is
 * dropped, and the recorded position never passes a job that was not applied, so a restart retries
 * it too. Failures are logged and counted ({@link #stats}).
 */
public final class MemoryIndex implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryIndex.class);
  private static final int BATCH = 64;
  private static final int REBUILD_PAGE = 256;
  /** The longest an indexing batch waits for a write burst to pass: the index never stops for good. */
  private static final long MAX_DEFER_NANOS = TimeUnit.SECONDS.toNanos(10);
  /**
   * Passages embedded between two looks at the write path: a batch may hold hundreds of passages
   * (seconds of CPU), and one that began just before a burst would otherwise run beside all of it.
   */
  static final int EMBED_CHUNK = 8;
  /** What is left of the current batch's {@link #MAX_DEFER_NANOS}; indexer thread only. */
  private long deferLeftNanos;
  /** The key of the change position recorded with each commit. */
  static final String POSITION_KEY = "synap.change_position";
  /** Replaying up to this many changed memories is always preferred to a rebuild. */
  private static final int REPLAY_FLOOR = 10_000;
  private static final long MAX_BACKOFF_MILLIS = 30_000;
  /** Consecutive failures after which jobs are retried one at a time, to isolate the failing one. */
  private static final int ISOLATE_AFTER = 3;
  /** Failures of a single job after which it is set aside (retried every minute). */
  private static final int SET_ASIDE_AFTER = 8;
  private static final long SET_ASIDE_RETRY_NANOS = TimeUnit.MINUTES.toNanos(1);
  /** Instances not touched still get their position moved forward this often, keeping replay short. */
  private static final long IDLE_COMMIT_NANOS = TimeUnit.MINUTES.toNanos(5);
  private static final int MAX_SAMPLES = 3_600;

  /**
   * When the index commits: every {@code commitEvery} or after {@code commitAfterJobs} applied
   * writes, whichever comes first. {@code inFlightMargin} bounds the time between a store commit and
   * its write reaching this index (microseconds in practice; the margin is generous).
   */
  public record Durability(Duration commitEvery, int commitAfterJobs, Duration inFlightMargin) {
    public static final Durability DEFAULT = new Durability(Duration.ofSeconds(10), 2_000, Duration.ofSeconds(5));
  }

  /**
   * Counters since start.
   *
   * @param replayed memories read back at open because they changed after the last commit
   * @param failedBatches indexing attempts that failed (each is retried)
   * @param setAside jobs now set aside after failing repeatedly on their own
   */
  public record Stats(long commits, long rebuilds, long replayed, long failedBatches, int setAside) {}

  private sealed interface Job permits Processed, StatusChange, Rebuild, Reindex, Follow {}

  /**
   * Changes another node made, applied in line with this node's own writes (so an older local
   * write of a memory never lands after the newer state read from the store); see {@link ChangeFollower}.
   */
  private record Follow(String instanceId, List<String> memoryIds, boolean modelAllowed,
      java.util.concurrent.CompletableFuture<Set<String>> waitingForVector) implements Job {}

  private record Rebuild(String instanceId) implements Job {}

  private record Processed(Message message, List<Memory> memories) implements Job {}

  private record StatusChange(String instanceId, String memoryId, String status) implements Job {}

  /** Memories changed in the store (edited, deleted): read back and indexed as they are now. */
  private record Reindex(String instanceId, List<String> memoryIds) implements Job {}

  private record Queued(Job job, long enqueuedNanos) {}

  private final Path root;
  private final SystemOfRecord store;
  private final Embedder embedder;
  private final IndexText text;
  private final Durability durability;
  private final Map<String, InstanceIndex> open = new ConcurrentHashMap<>();
  private final Set<String> rebuilding = ConcurrentHashMap.newKeySet();
  private final BlockingQueue<Queued> jobs = new LinkedBlockingQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final Thread indexer;
  /** Per instance, memory id to the number of queued writes of it: their index entry is missing or stale. */
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Integer>> notYetIndexed = new ConcurrentHashMap<>();
  /** Per instance, the new memories in {@link #notYetIndexed} as extraction made them (see {@link #waitingMemories}). */
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Waiting>> waitingMemories = new ConcurrentHashMap<>();
  /** The part of {@link #notYetIndexed} whose index entry exists but is out of date. */
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Integer>> staleEntries = new ConcurrentHashMap<>();
  /**
   * Held while the indexer checks that memories are still stored and adds them, and while a
   * user's documents are deleted ({@link #deleteOwner}), which runs after the store deleted the
   * user. So an indexing job that was in flight (queued or embedding) when the user was deleted
   * either finds the memories gone, or adds them before the deletion removes them: it never puts
   * deleted text back.
   */
  private final Object writeLock = new Object();
  private volatile boolean running = true;
  private volatile boolean paused;
  /** Set once {@link #verifyAll} caught every index up: from then on samples of the change position are valid. */
  private volatile boolean verified;
  private final BooleanSupplier deferWhile;
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong rebuilds = new AtomicLong();
  private final AtomicLong replayed = new AtomicLong();
  private final AtomicLong failedBatches = new AtomicLong();
  private volatile int setAsideCount;

  // Owned by the indexer thread (and by close, after that thread ended).
  private final ArrayDeque<Queued> retrying = new ArrayDeque<>();
  private final List<Queued> setAside = new ArrayList<>();
  private int failures;
  private long retryAtNanos;
  private long setAsideRetryNanos;
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();
  private long lastSampleNanos;
  /** Instances written since their last commit caught up, with the change position when they were last written. */
  private final Map<String, Long> dirty = new HashMap<>();
  private final Map<String, Long> committedPosition = new ConcurrentHashMap<>();
  private int jobsSinceCommit;
  private long lastCommitNanos = System.nanoTime();
  private long lastIdleCommitNanos = System.nanoTime();

  public MemoryIndex(Path root, SystemOfRecord store, Embedder embedder, IndexText text) {
    this(root, store, embedder, text, () -> false, Durability.DEFAULT);
  }

  /**
   * @param deferWhile while true (a write burst), each indexing batch waits up to ten seconds
   *     first: embedding is the heaviest background work, and acknowledgements come first
   */
  public MemoryIndex(Path root, SystemOfRecord store, Embedder embedder, IndexText text, BooleanSupplier deferWhile, Durability durability) {
    this.deferWhile = deferWhile;
    this.root = root;
    this.store = store;
    this.embedder = embedder;
    this.text = text;
    this.durability = durability;
    this.indexer = Thread.ofPlatform().name("synap-indexer").daemon(true).start(this::indexLoop);
  }

  public Embedder embedder() {
    return embedder;
  }

  public Stats stats() {
    return new Stats(commits.get(), rebuilds.get(), replayed.get(), failedBatches.get(), setAsideCount);
  }

  /** Queues a processed message's memories for indexing; the ingest pipeline calls this after commit. */
  public void onProcessed(Message message, List<Memory> memories) {
    if (memories.isEmpty()) return;
    enqueue(new Processed(message, List.copyOf(memories)));
  }

  /**
   * Queues memories that changed in the store (text edited, deleted) to be read back and indexed
   * as they are now; until then searches find them through the store ({@link #notYetIndexed}).
   */
  public void reindex(String instanceId, List<String> memoryIds) {
    if (memoryIds.isEmpty()) return;
    enqueue(new Reindex(instanceId, List.copyOf(memoryIds)));
  }

  /** Reflects a status change (superseded, retracted) made in the store. */
  public void statusChanged(String instanceId, String memoryId, String status) {
    enqueue(new StatusChange(instanceId, memoryId, status));
  }

  private void enqueue(Job job) {
    waiting(job, +1);
    pending.incrementAndGet();
    jobs.add(new Queued(job, System.nanoTime()));
  }

  /** Counts the job's memories in (or out of) {@link #notYetIndexed}. */
  private void waiting(Job job, int delta) {
    String instanceId;
    List<String> ids;
    switch (job) {
      case Processed p -> {
        instanceId = p.message().instanceId();
        ids = p.memories().stream().map(Memory::memoryId).toList();
      }
      case Reindex r -> {
        instanceId = r.instanceId();
        ids = r.memoryIds();
      }
      default -> {
        return;
      }
    }
    count(notYetIndexed, instanceId, ids, delta);
    if (job instanceof Reindex) count(staleEntries, instanceId, ids, delta);
    if (job instanceof Processed p) {
      ConcurrentHashMap<String, Waiting> texts = waitingMemories.computeIfAbsent(instanceId, k -> new ConcurrentHashMap<>());
      ConcurrentHashMap<String, Integer> still = notYetIndexed.get(instanceId);
      for (Memory m : p.memories()) {
        if (delta > 0) texts.put(m.memoryId(), new Waiting(m.content().toLowerCase(Locale.ROOT), m.userId(), m.customerId()));
        else if (still == null || !still.containsKey(m.memoryId())) texts.remove(m.memoryId());
      }
    }
  }

  /** A new memory waiting for the embedder, as extraction made it: its lower-cased text and owner. */
  public record Waiting(String lowerCasedText, String userId, String customerId) {}

  /**
   * New memories still waiting for the embedder, by id: lets a search pick which of them could
   * match its words and owner without reading them all from the store (it reads only those, for
   * their current state and the authoritative scope check). Edited memories are not here.
   */
  public Map<String, Waiting> waitingMemories(String instanceId) {
    ConcurrentHashMap<String, Waiting> texts = waitingMemories.get(instanceId);
    return texts == null ? Map.of() : texts;
  }

  private static void count(ConcurrentHashMap<String, ConcurrentHashMap<String, Integer>> byInstance, String instanceId, List<String> ids, int delta) {
    ConcurrentHashMap<String, Integer> counts = byInstance.computeIfAbsent(instanceId, k -> new ConcurrentHashMap<>());
    for (String id : ids) counts.compute(id, (k, n) -> {
      int next = (n == null ? 0 : n) + delta;
      return next <= 0 ? null : next;
    });
  }

  /**
   * Of {@link #notYetIndexed}, the memories whose index entry is out of date (edited or deleted
   * since it was made): searches must not trust what that entry matches.
   */
  public Set<String> stale(String instanceId) {
    ConcurrentHashMap<String, Integer> counts = staleEntries.get(instanceId);
    Set<String> local = counts == null ? Set.of() : counts.keySet();
    return withRemote(instanceId, local);
  }

  /**
   * On a shared store, changes other nodes committed that this index has not applied yet count as
   * both waiting and stale: a search reads them from the store (new or edited) and ignores their
   * index entries (edited or deleted).
   */
  private Set<String> withRemote(String instanceId, Set<String> local) {
    ChangeFollower f = follower;
    if (f == null) return local;
    Set<String> remote = f.unapplied(instanceId);
    if (remote.isEmpty()) return local;
    Set<String> both = new HashSet<>(local);
    both.addAll(remote);
    return both;
  }

  /**
   * Memories committed to the store whose index entry is missing or stale (embedding takes time,
   * and a burst of writes queues up). Retrieval finds these through the store's own full-text
   * index, and ignores their index entries, so read-after-write does not wait for the embedder.
   */
  public Set<String> notYetIndexed(String instanceId) {
    ConcurrentHashMap<String, Integer> counts = notYetIndexed.get(instanceId);
    return withRemote(instanceId, counts == null ? Set.of() : counts.keySet());
  }

  /**
   * Stops applying queued writes until {@link #resume}: they stay queued, and retrieval finds them
   * through the store meanwhile ({@link #notYetIndexed}). For maintenance windows and for tests of
   * that path.
   */
  public void pause() {
    paused = true;
  }

  public void resume() {
    paused = false;
  }

  /** Writes queued and not yet searchable (for metrics and benchmarks). */
  public int pendingJobs() {
    return pending.get();
  }

  /** Waits until every queued write is searchable and every deletion purged from the files; false on timeout. */
  public boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pending.get() > 0 || open.values().stream().anyMatch(InstanceIndex::purging)) {
      if (System.nanoTime() > deadline) return false;
      Thread.sleep(5);
    }
    return true;
  }

  /**
   * The instance's index, opened on first use. Indexes of instances that existed at start were
   * caught up with the store by {@link #verifyAll}; an instance created since has all its memories
   * arriving through {@link #onProcessed}, so comparing counts then would only race with the
   * writes in flight (and rebuild for nothing).
   */
  public InstanceIndex forInstance(String instanceId) {
    InstanceIndex idx = open.get(instanceId);
    return idx != null ? idx : openIndex(instanceId, false);
  }

  /**
   * Opens the index of every instance the store knows and catches it up with the store: the
   * memories changed after its last commit are re-indexed now, and an index that still disagrees
   * (or has no commit position) is rebuilt in the background. Call once at start, before ingestion
   * runs.
   */
  public void verifyAll() {
    for (Instance i : store.tenants().instances()) openIndex(i.instanceId(), true);
    verified = true;
  }

  /** False while the instance's index is being rebuilt (searches should use another way meanwhile). */
  public boolean ready(String instanceId) {
    forInstance(instanceId);
    return !rebuilding.contains(instanceId);
  }

  private synchronized InstanceIndex openIndex(String instanceId, boolean verify) {
    InstanceIndex idx = open.get(instanceId);
    if (idx != null && !verify) return idx;
    if (idx == null) idx = new InstanceIndex(root.resolve(safeName(instanceId)));
    try {
      if (verify) catchUp(instanceId, idx);
    } catch (RuntimeException e) {
      if (!open.containsKey(instanceId)) idx.close(); // release the write lock, or no later open could succeed
      throw e;
    }
    open.put(instanceId, idx);
    return idx;
  }

  /** Replays the changes after the index's last commit, or queues a rebuild when that cannot make it whole. */
  private void catchUp(String instanceId, InstanceIndex idx) {
    long stored = store.memories().count(instanceId);
    String committed = idx.committedData().get(POSITION_KEY);
    boolean whole = true;
    // An index of an older document shape lacks fields searches now read: rebuilt, not replayed.
    if (committed != null && !MemoryDocument.FORMAT.equals(idx.committedData().get(MemoryDocument.FORMAT_KEY))) {
      whole = false;
      committed = null;
    }
    if (committed != null) {
      long position = Long.parseLong(committed);
      committedPosition.put(instanceId, position);
      List<String> changed = store.memories().changedSince(instanceId, position);
      if (changed.size() > Math.max(REPLAY_FLOOR, stored / 2)) {
        whole = false;
      } else if (!changed.isEmpty()) {
        long start = System.nanoTime();
        for (int i = 0; i < changed.size(); i += REBUILD_PAGE) reindexNow(idx, instanceId, changed.subList(i, Math.min(changed.size(), i + REBUILD_PAGE)));
        idx.refresh();
        replayed.addAndGet(changed.size());
        LOG.info("index of instance {}: {} memories changed after its last commit, re-indexed in {} ms", instanceId, changed.size(),
            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      }
    }
    int indexed = idx.searchableCount();
    if ((!whole || indexed != stored) && rebuilding.add(instanceId)) {
      if (indexed > 0) LOG.info("index of instance {} holds {} memories, the store {}{}: rebuilding", instanceId, indexed, stored,
          whole ? "" : " (too many changes since its last commit to replay)");
      enqueue(new Rebuild(instanceId));
    }
  }

  /** Re-derives the instance's index from the store (all statuses, so history reads keep working), now. */
  public void rebuild(String instanceId) {
    rebuilds.incrementAndGet();
    long start = System.nanoTime();
    InstanceIndex idx = forInstance(instanceId);
    // Read before the store is: every change up to here is in what the rebuild reads.
    long position = store.memories().changePosition();
    int n = rebuildInto(instanceId, idx);
    idx.commit(Map.of(POSITION_KEY, Long.toString(position)));
    commits.incrementAndGet();
    committedPosition.merge(instanceId, position, Math::max);
    rebuilding.remove(instanceId);
    LOG.info("index of instance {} rebuilt: {} memories in {} s", instanceId, n, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
  }

  public void rebuildAll() {
    for (Instance i : store.tenants().instances()) rebuild(i.instanceId());
  }

  private int rebuildInto(String instanceId, InstanceIndex idx) {
    idx.deleteAll();
    MemoryFilter all = new MemoryFilter(instanceId, null, null, null, null, Set.of(), true);
    int n = 0;
    for (int offset = 0; ; offset += REBUILD_PAGE) {
      List<Memory> page = store.memories().list(all, REBUILD_PAGE, offset);
      if (page.isEmpty()) break;
      upsertStillStored(instanceId, idx, prepare(page, Map.of()));
      n += page.size();
      if (page.size() < REBUILD_PAGE) break;
    }
    idx.refresh();
    return n;
  }

  /** Indexes the memories as the store has them now; those the store no longer has leave the index. */
  private void reindexNow(InstanceIndex idx, String instanceId, List<String> memoryIds) {
    List<Memory> found = store.memories().getAll(instanceId, memoryIds);
    Set<String> gone = new HashSet<>(memoryIds);
    for (Memory m : found) gone.remove(m.memoryId());
    if (!found.isEmpty()) upsertStillStored(instanceId, idx, prepare(found, Map.of()));
    for (String id : gone) idx.delete(id);
  }

  /**
   * Applies changes another node made to the shared store (see {@link ChangeFollower}): the
   * memories are indexed as the store has them now, with their stored vectors; those gone leave
   * the index. Returns the ids that have no stored vector for their current text yet (their
   * writer is still embedding them): they stay found through the store and are tried again.
   * With {@code modelAllowed} (a writer that never stored a vector) this node embeds them.
   */
  Set<String> applyFromStore(String instanceId, List<String> memoryIds, boolean modelAllowed) throws InterruptedException {
    var done = new java.util.concurrent.CompletableFuture<Set<String>>();
    pending.incrementAndGet();
    jobs.add(new Queued(new Follow(instanceId, List.copyOf(memoryIds), modelAllowed, done), System.nanoTime()));
    try {
      return done.get();
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("applying changes from the store failed", e.getCause());
    }
  }

  private Set<String> applyNow(String instanceId, List<String> memoryIds, boolean modelAllowed) {
    InstanceIndex idx = forInstance(instanceId);
    List<Memory> found = store.memories().getAll(instanceId, memoryIds);
    Set<String> gone = new HashSet<>(memoryIds);
    for (Memory m : found) gone.remove(m.memoryId());
    Set<String> waitingForVector = new HashSet<>();
    for (Memory m : found) waitingForVector.add(m.memoryId());
    if (!found.isEmpty()) {
      List<IndexedMemory> ready = prepare(found, Map.of(), modelAllowed);
      for (IndexedMemory r : ready) waitingForVector.remove(r.memory().memoryId());
      upsertStillStored(instanceId, idx, ready);
    }
    if (!gone.isEmpty()) {
      synchronized (writeLock) {
        for (String id : gone) idx.delete(id);
      }
    }
    idx.refresh(); // searchable before the follower moves its checkpoint: never invisible in between
    return waitingForVector;
  }

  private volatile ChangeFollower follower;

  /**
   * Several nodes on one store: this index also follows the store's change log (what other nodes
   * write), and its commits never record a position past what the follower applied.
   */
  public void follow(ChangeFollower f) {
    this.follower = f;
  }

  /** The follower, when this node shares its store with others; else null. */
  public ChangeFollower follower() {
    return follower;
  }

  /** The newest position this index may record as applied (the follower's, on a shared store). */
  private long cap(long position) {
    ChangeFollower f = follower;
    return f == null ? position : Math.min(position, f.appliedUpTo());
  }

  /** Adds memories whose text and vector the caller already has (bulk loads, benchmarks). */
  public void indexPrepared(String instanceId, List<IndexedMemory> memories) {
    InstanceIndex idx = forInstance(instanceId);
    idx.upsert(memories);
    idx.refresh();
  }

  /** Renders and embeds memories; {@code known} saves store reads for messages already in hand. */
  List<IndexedMemory> prepare(List<Memory> memories, Map<String, Message> known) {
    return prepare(memories, known, true);
  }

  /**
   * As {@link #prepare(List, Map)}; without {@code modelAllowed} only memories with a stored
   * vector for their current text come back (a follower waits for the node that wrote a memory to
   * embed it, instead of running the model a second time).
   */
  List<IndexedMemory> prepare(List<Memory> memories, Map<String, Message> known, boolean modelAllowed) {
    Map<String, Message> messages = new HashMap<>(known);
    Map<String, List<Message>> before = new HashMap<>();
    List<IndexText.Rendered> texts = new ArrayList<>(memories.size());
    List<Long> days = new ArrayList<>(memories.size());
    for (Memory m : memories) {
      List<String> missing = m.sourceMessageIds().stream().filter(id -> !messages.containsKey(id)).toList();
      if (!missing.isEmpty()) for (Message msg : store.messages().byIds(m.instanceId(), missing)) messages.put(msg.messageId(), msg);
      List<Message> sources = m.sourceMessageIds().stream().map(messages::get).filter(x -> x != null).toList();
      List<Message> preceding = List.of();
      if (Boolean.TRUE.equals(m.attributes().get(MemoryStore.EDITED))) {
        // An explicit edit replaced what the turns said: search reads the memory's own text (and its day).
        texts.add(text.render(m, List.of(), List.of()));
        days.add(IndexText.eventDay(m, sources));
        continue;
      }
      if (!sources.isEmpty() && text.precedingTurns() > 0) {
        Message first = sources.getFirst();
        preceding = before.computeIfAbsent(first.messageId(),
            id -> store.messages().preceding(m.instanceId(), id, text.precedingTurns()));
      }
      texts.add(text.render(m, sources, preceding));
      days.add(IndexText.eventDay(m, sources));
    }
    IndexText.DenseText dense = text.dense();
    int n = memories.size();
    List<String> hashes = new ArrayList<>(n);
    for (IndexText.Rendered t : texts) hashes.add(textHash(dense, t));
    // Vectors stored earlier for the same text (by this node or another) are reused: the model
    // runs only for memories that are new or whose text changed, and what it computes is stored.
    Map<String, VectorStore.StoredVector> stored = storedVectors(memories);
    List<Integer> missing = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      VectorStore.StoredVector v = stored.get(memories.get(i).memoryId());
      if (v == null || !v.textHash().equals(hashes.get(i))) missing.add(i);
    }
    if (!modelAllowed) missing.clear();
    List<String> toEmbed = new ArrayList<>(missing.size() * 2);
    if (dense != IndexText.DenseText.CONTEXT) for (int i : missing) toEmbed.add(texts.get(i).own());
    if (dense != IndexText.DenseText.OWN) for (int i : missing) toEmbed.add(texts.get(i).withContext());
    // In chunks, so that a burst of acknowledged writes that starts mid-batch is let through (deferForWrites).
    List<float[]> vectors = new ArrayList<>(toEmbed.size());
    for (int from = 0; from < toEmbed.size(); from += EMBED_CHUNK) {
      if (from > 0) deferForWrites();
      vectors.addAll(embedder.embedPassages(toEmbed.subList(from, Math.min(toEmbed.size(), from + EMBED_CHUNK))));
    }
    int k = missing.size();
    Map<String, List<VectorStore.StoredVector>> computed = new LinkedHashMap<>();
    for (int j = 0; j < k; j++) {
      int i = missing.get(j);
      float[] own = dense == IndexText.DenseText.CONTEXT ? null : vectors.get(j);
      float[] inContext = switch (dense) {
        case OWN -> null;
        case CONTEXT -> vectors.get(j);
        case BOTH -> vectors.get(k + j);
      };
      Memory m = memories.get(i);
      VectorStore.StoredVector v = new VectorStore.StoredVector(m.memoryId(), hashes.get(i), own, inContext);
      stored.put(m.memoryId(), v);
      computed.computeIfAbsent(m.instanceId(), x -> new ArrayList<>()).add(v);
    }
    computed.forEach((instanceId, vs) -> store.vectors().put(instanceId, vs));
    List<IndexedMemory> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      VectorStore.StoredVector v = stored.get(memories.get(i).memoryId());
      if (v == null || !v.textHash().equals(hashes.get(i))) continue; // only without modelAllowed
      out.add(new IndexedMemory(memories.get(i), texts.get(i).lexical(), days.get(i), v.own(), v.inContext()));
    }
    return out;
  }

  private Map<String, VectorStore.StoredVector> storedVectors(List<Memory> memories) {
    Map<String, List<String>> byInstance = new LinkedHashMap<>();
    for (Memory m : memories) byInstance.computeIfAbsent(m.instanceId(), x -> new ArrayList<>()).add(m.memoryId());
    Map<String, VectorStore.StoredVector> out = new HashMap<>();
    byInstance.forEach((instanceId, ids) -> out.putAll(store.vectors().get(instanceId, ids)));
    return out;
  }

  /** What a stored vector was computed from: the model, which passages, and their exact text. */
  private String textHash(IndexText.DenseText dense, IndexText.Rendered t) {
    try {
      java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
      for (String part : new String[] {embedder.model(), dense.name(), dense == IndexText.DenseText.CONTEXT ? "" : t.own(),
          dense == IndexText.DenseText.OWN ? "" : t.withContext()}) {
        sha.update(part.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return java.util.HexFormat.of().formatHex(sha.digest(), 0, 16);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * On the indexer thread: waits while writes are being acknowledged in a burst, out of the current
   * batch's budget, so the batch as a whole waits at most {@link #MAX_DEFER_NANOS} and indexing
   * keeps a bounded share under a sustained burst (an indexer that waited longer made the backlog,
   * and the fetches that must match it through the store, worse: measured under the stream load).
   */
  private void deferForWrites() {
    if (Thread.currentThread() != indexer) return;
    long start = System.nanoTime();
    try {
      while (running && deferLeftNanos > System.nanoTime() - start && deferWhile.getAsBoolean()) Thread.sleep(10);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // closing: the loop sees it at its next wait
    } finally {
      deferLeftNanos -= System.nanoTime() - start;
    }
  }

  private void indexLoop() {
    while (running) {
      List<Queued> batch = new ArrayList<>();
      deferLeftNanos = MAX_DEFER_NANOS;
      try {
        if (paused) {
          Thread.sleep(20);
          continue;
        }
        maybeCommit();
        if (!setAside.isEmpty() && System.nanoTime() >= setAsideRetryNanos) {
          retrying.addAll(setAside);
          setAside.clear();
          setAsideCount = 0;
          failures = ISOLATE_AFTER;
        }
        if (!retrying.isEmpty()) {
          long wait = retryAtNanos - System.nanoTime();
          if (wait > 0) {
            Thread.sleep(Math.min(200, TimeUnit.NANOSECONDS.toMillis(wait) + 1));
            continue;
          }
          int n = failures >= ISOLATE_AFTER ? 1 : BATCH;
          while (batch.size() < n && !retrying.isEmpty()) batch.add(retrying.pollFirst());
        } else {
          Queued first = jobs.poll(200, TimeUnit.MILLISECONDS);
          if (first == null) continue;
          batch.add(first);
          while (running && paused) Thread.sleep(20); // paused while this thread waited for the job: hold it
          deferForWrites();
          jobs.drainTo(batch, BATCH - 1);
        }
        apply(batch);
        for (Queued q : batch) waiting(q.job(), -1);
        pending.addAndGet(-batch.size());
        jobsSinceCommit += batch.size();
        if (retrying.isEmpty()) failures = 0;
        else if (failures >= SET_ASIDE_AFTER) failures = ISOLATE_AFTER; // the failing job is behind us: count the next one afresh
      } catch (InterruptedException e) {
        return; // closing: what was not applied is replayed on the next open
      } catch (RuntimeException | Error e) {
        failed(batch, e);
      }
    }
  }

  /** Puts a failed batch back at the head of the line, to be retried after a backoff; never drops it. */
  private void failed(List<Queued> batch, Throwable e) {
    if (batch.isEmpty()) {
      LOG.warn("index commit failed (retried with the next one): {}", e.toString());
      return;
    }
    failedBatches.incrementAndGet();
    failures++;
    if (batch.size() == 1 && failures >= SET_ASIDE_AFTER) {
      setAside.add(batch.getFirst());
      setAsideCount = setAside.size();
      if (setAside.size() == 1) setAsideRetryNanos = System.nanoTime() + SET_ASIDE_RETRY_NANOS;
      LOG.error("an index write failed {} times and is set aside, retried every minute (searches read its memories from the store "
          + "meanwhile): {}", failures, e.toString());
      failures = ISOLATE_AFTER;
      return;
    }
    for (int i = batch.size() - 1; i >= 0; i--) retrying.addFirst(batch.get(i));
    long backoff = Math.min(MAX_BACKOFF_MILLIS, 100L << Math.min(16, failures - 1));
    retryAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoff);
    LOG.warn("indexing {} writes failed (failure {} in a row), retrying in {} ms: {}", batch.size(), failures, backoff, e.toString());
  }

  /**
   * Applies jobs in their order: consecutive memories of processed messages are embedded together,
   * and a status change or re-index of a memory is never overtaken by an earlier write of it.
   */
  private void apply(List<Queued> batch) {
    Map<String, List<Memory>> run = new LinkedHashMap<>();
    Map<String, Message> known = new HashMap<>();
    Set<String> touched = new HashSet<>();
    for (Queued q : batch) {
      switch (q.job()) {
        case Processed p -> {
          known.put(p.message().messageId(), p.message());
          run.computeIfAbsent(p.message().instanceId(), k -> new ArrayList<>()).addAll(p.memories());
        }
        case StatusChange s -> {
          upsertRun(run, known, touched);
          forInstance(s.instanceId()).setStatus(s.memoryId(), s.status());
          touched.add(s.instanceId());
        }
        case Reindex r -> {
          upsertRun(run, known, touched);
          reindexNow(forInstance(r.instanceId()), r.instanceId(), r.memoryIds());
          touched.add(r.instanceId());
        }
        case Rebuild r -> {
          upsertRun(run, known, touched);
          rebuild(r.instanceId());
        }
        case Follow f -> {
          upsertRun(run, known, touched);
          f.waitingForVector().complete(applyNow(f.instanceId(), f.memoryIds(), f.modelAllowed()));
          touched.add(f.instanceId());
        }
      }
    }
    upsertRun(run, known, touched);
    for (String id : touched) forInstance(id).refresh();
    if (touched.isEmpty()) return;
    // The instance stays due for commits until one records a position at least this far.
    long position = store.memories().changePosition();
    for (String id : touched) dirty.merge(id, position, Math::max);
  }

  private void upsertRun(Map<String, List<Memory>> run, Map<String, Message> known, Set<String> touched) {
    run.forEach((instanceId, memories) -> {
      upsertStillStored(instanceId, forInstance(instanceId), prepare(memories, known));
      touched.add(instanceId);
    });
    run.clear();
  }

  /**
   * Samples the change position about once a second and, when a commit is due, commits the
   * instances written since the last one with the newest position that is safe (see the class
   * comment). Runs on the indexer thread, between batches.
   */
  private void maybeCommit() {
    long now = System.nanoTime();
    if (verified && now - lastSampleNanos >= TimeUnit.SECONDS.toNanos(1)) {
      if (samples.size() >= MAX_SAMPLES) samples.pollLast(); // the newest replaces the last: older samples are the ones that count
      samples.addLast(new long[] {now, store.memories().changePosition()});
      lastSampleNanos = now;
    }
    boolean due = jobsSinceCommit >= durability.commitAfterJobs()
        || (now - lastCommitNanos >= durability.commitEvery().toNanos() && (jobsSinceCommit > 0 || !dirty.isEmpty()));
    boolean idleDue = now - lastIdleCommitNanos >= IDLE_COMMIT_NANOS;
    if (!due && !idleDue) return;
    long position = cap(safePosition(now));
    Set<String> toCommit = new HashSet<>(dirty.keySet());
    if (idleDue) {
      lastIdleCommitNanos = now;
      for (String id : open.keySet()) if (committedPosition.getOrDefault(id, -1L) < position) toCommit.add(id);
    }
    for (String id : toCommit) {
      InstanceIndex idx = open.get(id);
      if (idx == null) continue;
      long recorded = Math.max(position, committedPosition.getOrDefault(id, -1L));
      if (recorded >= 0) idx.commit(Map.of(POSITION_KEY, Long.toString(recorded)));
      else idx.commit();
      if (recorded >= 0) committedPosition.put(id, recorded);
      commits.incrementAndGet();
      // Written changes may lie past the safe position yet: commit again next time until it covers them.
      if (recorded >= dirty.getOrDefault(id, Long.MAX_VALUE)) dirty.remove(id);
    }
    jobsSinceCommit = 0;
    lastCommitNanos = now;
  }

  /**
   * The newest sampled position every change at or before which is applied: sampled a margin
   * before the oldest write not yet applied (queued, retrying or set aside), or -1 if none is.
   */
  private long safePosition(long now) {
    long oldest = now;
    Queued head = jobs.peek();
    if (head != null) oldest = Math.min(oldest, head.enqueuedNanos());
    for (Queued q : retrying) oldest = Math.min(oldest, q.enqueuedNanos());
    for (Queued q : setAside) oldest = Math.min(oldest, q.enqueuedNanos());
    long cutoff = oldest - durability.inFlightMargin().toNanos();
    long[] best = null;
    while (!samples.isEmpty() && samples.peekFirst()[0] <= cutoff) best = samples.pollFirst();
    if (best != null) samples.addFirst(best); // still the best candidate until a newer one qualifies
    return best == null ? -1 : best[1];
  }

  /**
   * Adds those of the prepared memories the store still holds (embedding takes long: a memory may
   * have been deleted since its job was queued); see {@link #writeLock}.
   */
  private void upsertStillStored(String instanceId, InstanceIndex idx, List<IndexedMemory> prepared) {
    if (prepared.isEmpty()) return;
    synchronized (writeLock) {
      Set<String> stored = new HashSet<>();
      for (Memory m : store.memories().getAll(instanceId, prepared.stream().map(p -> p.memory().memoryId()).toList())) stored.add(m.memoryId());
      idx.upsert(prepared.stream().filter(p -> stored.contains(p.memory().memoryId())).toList());
    }
  }

  /**
   * After the store deleted a user: removes the user's documents and re-derives those of every
   * conversation the user spoke in from what the store still holds there (a memory is indexed
   * with the turns before it, which may have been the user's), then rewrites the affected
   * segments (in the background: see {@link InstanceIndex#purgeDeletedInBackground}; {@link
   * #awaitIdle} waits for it), so that no index file keeps the user's words. Call after the
   * store's deletion committed.
   */
  public void deleteOwner(String instanceId, String customerId, String userId, Set<String> conversations) {
    InstanceIndex idx = forInstance(instanceId);
    List<Memory> remaining = new ArrayList<>();
    for (String conversation : conversations) {
      remaining.addAll(store.memories().list(new MemoryFilter(instanceId, Scope.CONVERSATION, null, null, conversation,
          Set.of(), true), Integer.MAX_VALUE, 0));
    }
    List<IndexedMemory> rerendered = remaining.isEmpty() ? List.of() : prepare(remaining, Map.of());
    synchronized (writeLock) {
      idx.deleteOwner(customerId, userId, conversations);
      upsertStillStored(instanceId, idx, rerendered);
      idx.purgeDeletedInBackground();
    }
  }

  /** Instance ids are opaque client input: keep them to one safe path segment. */
  static String safeName(String instanceId) {
    return instanceId.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  @Override
  public void close() {
    try {
      if (!awaitIdle(Duration.ofSeconds(10))) {
        LOG.warn("closing the index with {} writes not applied (replayed on open) or a purge of deleted documents running (resumed on open)", pending.get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // No interrupt: the loop sees the flag within its poll timeout, and an interrupt during file
    // I/O would close the IndexWriter's channel under it.
    running = false;
    try {
      indexer.join(30_000);
      if (indexer.isAlive()) {
        indexer.interrupt();
        indexer.join(5_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Ingestion and the edges stopped before the index closes: with nothing left to apply, every
    // change the store holds is in the index.
    long position = -1;
    if (verified) {
      try {
        position = cap(pending.get() == 0 ? store.memories().changePosition() : safePosition(System.nanoTime()));
      } catch (RuntimeException e) {
        LOG.warn("cannot read the change position at close; the next open replays from the last commit: {}", e.toString());
      }
    }
    for (var e : open.entrySet()) {
      long recorded = Math.max(position, committedPosition.getOrDefault(e.getKey(), -1L));
      if (recorded >= 0) e.getValue().commit(Map.of(POSITION_KEY, Long.toString(recorded)));
      else e.getValue().commit();
      e.getValue().close();
    }
    open.clear();
  }
}
