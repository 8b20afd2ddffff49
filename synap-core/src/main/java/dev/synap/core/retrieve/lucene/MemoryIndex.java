package dev.synap.core.retrieve.lucene;

import dev.synap.core.embed.Embedder;
import dev.synap.core.model.Memory;
import dev.synap.core.model.Message;
import dev.synap.core.model.Scope;
import dev.synap.core.store.MemoryFilter;
import dev.synap.core.store.SystemOfRecord;
import dev.synap.core.tenant.Instance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The search index of every instance, kept in step with the system of record, which stays the
 * truth: the index can always be rebuilt from it ({@link #rebuild}), and is rebuilt automatically
 * when it disagrees with the store's memory count at start ({@link #verifyAll}).
 *
 * <p>Writes arrive after the store committed them ({@link #onProcessed}) and are applied by one
 * indexer thread in batches (one Lucene refresh per batch, not per memory). After each batch the
 * touched instances are refreshed, so the lag from commit to searchable is the time of one batch
 * (tens to a few hundred milliseconds), except during a write burst, when batches wait for the
 * burst to pass (at most ten seconds each). Either way the retriever finds committed memories that
 * are not searchable here yet through the store.
 */
public final class MemoryIndex implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MemoryIndex.class);
  private static final int BATCH = 64;
  private static final int REBUILD_PAGE = 256;
  /** The longest an indexing batch waits for a write burst to pass: the index never stops for good. */
  private static final long MAX_DEFER_NANOS = TimeUnit.SECONDS.toNanos(10);

  private sealed interface Job permits Processed, StatusChange, Rebuild {}

  private record Rebuild(String instanceId) implements Job {}

  private record Processed(Message message, List<Memory> memories) implements Job {}

  private record StatusChange(String instanceId, String memoryId, String status) implements Job {}

  private final Path root;
  private final SystemOfRecord store;
  private final Embedder embedder;
  private final IndexText text;
  private final Map<String, InstanceIndex> open = new ConcurrentHashMap<>();
  private final Set<String> rebuilding = ConcurrentHashMap.newKeySet();
  private final BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
  private final AtomicInteger pending = new AtomicInteger();
  private final Thread indexer;
  private final java.util.concurrent.ConcurrentHashMap<String, Set<String>> notYetIndexed = new java.util.concurrent.ConcurrentHashMap<>();
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
  private final BooleanSupplier deferWhile;

  public MemoryIndex(Path root, SystemOfRecord store, Embedder embedder, IndexText text) {
    this(root, store, embedder, text, () -> false);
  }

  /**
   * @param deferWhile while true (a write burst), each indexing batch waits up to ten seconds
   *     first: embedding is the heaviest background work, and acknowledgements come first
   */
  public MemoryIndex(Path root, SystemOfRecord store, Embedder embedder, IndexText text, BooleanSupplier deferWhile) {
    this.deferWhile = deferWhile;
    this.root = root;
    this.store = store;
    this.embedder = embedder;
    this.text = text;
    this.indexer = Thread.ofPlatform().name("synap-indexer").daemon(true).start(this::indexLoop);
  }

  public Embedder embedder() {
    return embedder;
  }

  /** Queues a processed message's memories for indexing; the ingest pipeline calls this after commit. */
  public void onProcessed(Message message, List<Memory> memories) {
    if (memories.isEmpty()) return;
    Set<String> waiting = notYetIndexed.computeIfAbsent(message.instanceId(), k -> java.util.concurrent.ConcurrentHashMap.newKeySet());
    for (Memory m : memories) waiting.add(m.memoryId());
    pending.incrementAndGet();
    jobs.add(new Processed(message, List.copyOf(memories)));
  }

  /**
   * Memories committed to the store but not yet searchable here (embedding takes time, and a
   * burst of writes queues up). Retrieval finds these through the store's own full-text index,
   * so read-after-write does not wait for the embedder.
   */
  public Set<String> notYetIndexed(String instanceId) {
    return notYetIndexed.getOrDefault(instanceId, Set.of());
  }

  /** Reflects a status change (superseded, retracted) made in the store. */
  public void statusChanged(String instanceId, String memoryId, String status) {
    pending.incrementAndGet();
    jobs.add(new StatusChange(instanceId, memoryId, status));
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
   * checked against the store by {@link #verifyAll}; an instance created since has all its
   * memories arriving through {@link #onProcessed}, so comparing counts then would only race with
   * the writes in flight (and rebuild for nothing).
   */
  public InstanceIndex forInstance(String instanceId) {
    InstanceIndex idx = open.get(instanceId);
    return idx != null ? idx : openIndex(instanceId, false);
  }

  /**
   * Opens the index of every instance the store knows and queues a rebuild of each one that
   * disagrees with the store (a crash between a commit and its indexing, a deleted index folder).
   * Call once at start, before ingestion runs.
   */
  public void verifyAll() {
    for (Instance i : store.tenants().instances()) openIndex(i.instanceId(), true);
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
      long stored = verify ? store.memories().count(instanceId) : -1;
      if (verify && idx.size() != stored && rebuilding.add(instanceId)) {
        if (idx.size() > 0) LOG.info("index of instance {} holds {} memories, the store {}: rebuilding", instanceId, idx.size(), stored);
        pending.incrementAndGet();
        jobs.add(new Rebuild(instanceId));
      }
    } catch (RuntimeException e) {
      if (!open.containsKey(instanceId)) idx.close(); // release the write lock, or no later open could succeed
      throw e;
    }
    open.put(instanceId, idx);
    return idx;
  }

  /** Re-derives the instance's index from the store (all statuses, so history reads keep working), now. */
  public void rebuild(String instanceId) {
    rebuildInto(instanceId, forInstance(instanceId));
    rebuilding.remove(instanceId);
  }

  public void rebuildAll() {
    for (Instance i : store.tenants().instances()) rebuild(i.instanceId());
  }

  private void rebuildInto(String instanceId, InstanceIndex idx) {
    idx.deleteAll();
    MemoryFilter all = new MemoryFilter(instanceId, null, null, null, null, Set.of(), true);
    for (int offset = 0; ; offset += REBUILD_PAGE) {
      List<Memory> page = store.memories().list(all, REBUILD_PAGE, offset);
      if (page.isEmpty()) break;
      upsertStillStored(instanceId, idx, prepare(page, Map.of()));
      if (page.size() < REBUILD_PAGE) break;
    }
    idx.refresh();
    idx.commit();
  }

  /** Adds memories whose text and vector the caller already has (bulk loads, benchmarks). */
  public void indexPrepared(String instanceId, List<IndexedMemory> memories) {
    InstanceIndex idx = forInstance(instanceId);
    idx.upsert(memories);
    idx.refresh();
  }

  /** Renders and embeds memories; {@code known} saves store reads for messages already in hand. */
  List<IndexedMemory> prepare(List<Memory> memories, Map<String, Message> known) {
    Map<String, Message> messages = new HashMap<>(known);
    Map<String, List<Message>> before = new HashMap<>();
    List<IndexText.Rendered> texts = new ArrayList<>(memories.size());
    List<Long> days = new ArrayList<>(memories.size());
    for (Memory m : memories) {
      List<String> missing = m.sourceMessageIds().stream().filter(id -> !messages.containsKey(id)).toList();
      if (!missing.isEmpty()) for (Message msg : store.messages().byIds(m.instanceId(), missing)) messages.put(msg.messageId(), msg);
      List<Message> sources = m.sourceMessageIds().stream().map(messages::get).filter(x -> x != null).toList();
      List<Message> preceding = List.of();
      if (!sources.isEmpty() && text.precedingTurns() > 0) {
        Message first = sources.getFirst();
        preceding = before.computeIfAbsent(first.messageId(),
            id -> store.messages().preceding(m.instanceId(), id, text.precedingTurns()));
      }
      texts.add(text.render(m, sources, preceding));
      days.add(IndexText.eventDay(m, sources));
    }
    IndexText.DenseText dense = text.dense();
    List<String> toEmbed = new ArrayList<>(memories.size() * 2);
    if (dense != IndexText.DenseText.CONTEXT) texts.forEach(t -> toEmbed.add(t.own()));
    if (dense != IndexText.DenseText.OWN) texts.forEach(t -> toEmbed.add(t.withContext()));
    List<float[]> vectors = embedder.embedPassages(toEmbed); // one call: the model batches them
    int n = memories.size();
    List<IndexedMemory> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      float[] own = dense == IndexText.DenseText.CONTEXT ? null : vectors.get(i);
      float[] inContext = switch (dense) {
        case OWN -> null;
        case CONTEXT -> vectors.get(i);
        case BOTH -> vectors.get(n + i);
      };
      out.add(new IndexedMemory(memories.get(i), texts.get(i).lexical(), days.get(i), own, inContext));
    }
    return out;
  }

  private void indexLoop() {
    List<Job> batch = new ArrayList<>();
    while (running) {
      try {
        if (paused) {
          Thread.sleep(20);
          continue;
        }
        Job first = jobs.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        while (running && paused) Thread.sleep(20); // paused while this thread waited for the job: hold it

        long deferStart = System.nanoTime();
        while (running && deferWhile.getAsBoolean() && System.nanoTime() - deferStart < MAX_DEFER_NANOS) Thread.sleep(25);
        batch.add(first);
        jobs.drainTo(batch, BATCH - 1);
        apply(batch);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("indexing failed, {} jobs dropped (rebuild the index to recover): {}", batch.size(), e.toString());
      } finally {
        pending.addAndGet(-batch.size());
        batch.clear();
      }
    }
  }

  private void apply(List<Job> batch) {
    Map<String, List<Memory>> byInstance = new LinkedHashMap<>();
    Map<String, Message> known = new HashMap<>();
    Set<String> touched = new HashSet<>();
    for (Job job : batch) {
      switch (job) {
        case Processed p -> {
          known.put(p.message().messageId(), p.message());
          byInstance.computeIfAbsent(p.message().instanceId(), k -> new ArrayList<>()).addAll(p.memories());
        }
        case StatusChange s -> {
          forInstance(s.instanceId()).setStatus(s.memoryId(), s.status());
          touched.add(s.instanceId());
        }
        case Rebuild r -> rebuild(r.instanceId());
      }
    }
    byInstance.forEach((instanceId, memories) -> {
      upsertStillStored(instanceId, forInstance(instanceId), prepare(memories, known));
      touched.add(instanceId);
    });
    for (String id : touched) forInstance(id).refresh();
    byInstance.forEach((instanceId, memories) -> {
      Set<String> waiting = notYetIndexed.get(instanceId);
      if (waiting != null) for (Memory m : memories) waiting.remove(m.memoryId());
    });
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
      if (!awaitIdle(Duration.ofSeconds(10))) LOG.warn("closing the index with {} writes not applied (rebuilt on open) or a purge of deleted documents running (resumed on open)", pending.get());
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
    for (InstanceIndex idx : open.values()) {
      idx.commit();
      idx.close();
    }
    open.clear();
  }
}
