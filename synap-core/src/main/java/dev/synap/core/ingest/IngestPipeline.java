package dev.synap.core.ingest;

import dev.synap.core.InvalidInputException;
import dev.synap.core.consolidate.Consolidator;
import dev.synap.core.control.MemoryConfig;
import dev.synap.core.redact.NeverRemember;
import dev.synap.core.entity.EntityRegistry;
import dev.synap.core.extract.ExtractedMemory;
import dev.synap.core.extract.Extractor;
import dev.synap.core.extract.RetractionCues;
import dev.synap.core.model.Memory;
import dev.synap.core.model.Message;
import dev.synap.core.model.Scope;
import dev.synap.core.priority.ReadPriority;
import dev.synap.core.store.MemoryChanges;
import dev.synap.core.store.MessageStore;
import dev.synap.core.store.StoreUnavailableException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write path: record (durable, acknowledged) then extract (asynchronous, exactly once).
 *
 * <p>{@link #record} appends the message to the system of record and returns only after the
 * commit; the message row is itself the queue entry. A fixed pool of workers claims queued
 * messages, runs the extractor and commits the memories together with the "completed" mark, so a
 * crash at any point either leaves the message queued (re-run at start) or completed with its
 * memories; never half. The queue is bounded: beyond {@code maxQueued} waiting messages a record
 * is refused with {@link QueueFullException} rather than buffered without limit. A message whose
 * extraction keeps failing is tried {@link #MAX_ATTEMPTS} times and then marked failed, so it can
 * never hold up the queue (see {@link #workLoop}).
 */
public final class IngestPipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IngestPipeline.class);
  /** Without a client timestamp, identical turns within this window count as one (retries). */
  static final long DEDUP_WINDOW_MS = 5 * 60_000;
  static final int CLAIM_BATCH = 64;
  /**
   * Attempts before a message is marked failed: a failure that repeats this often is the message,
   * not the moment, and retrying it forever would hold every message behind it.
   */
  static final int MAX_ATTEMPTS = 3;
  /** Back-off of a worker while the store is unreachable: doubling from the first to the second. */
  static final long UNAVAILABLE_BACKOFF_MIN_MS = 250, UNAVAILABLE_BACKOFF_MAX_MS = 10_000;
  /** The most parts (chunks or turns) one document or transcript may become: each is a queued message. */
  public static final int MAX_PARTS = 10_000;
  /** Longest failure reason kept on a message (a reason may quote the text it choked on). */
  static final int MAX_REASON_CHARS = 500;

  private final MessageStore messages;
  private final Extractor extractor;
  private final EntityLinker linker;
  private final RetractionCues retractions = new RetractionCues();
  private final Consolidator consolidator = new Consolidator();
  /** The metadata key carrying a document's ingestion mode ({@code fast} or {@code long-range}, the default). */
  public static final String MODE_KEY = "ingest_mode";
  public static final String FAST = "fast";
  private final int workers;
  private final long maxQueued;
  private final AtomicLong queued = new AtomicLong();
  /** Above this many acknowledged messages per second, background embedding steps back. */
  static final double BUSY_PER_SECOND = 400;
  private final WritePressure pressure = new WritePressure(BUSY_PER_SECOND);
  static final long BURST_PAUSE_MS = 20;
  /**
   * During a burst a worker rests this many times as long as its last batch took (claim, extract,
   * and the commit of the completions with their consolidation), at most {@link #MAX_BURST_PAUSE_MS}:
   * measured, the completions cost the store writer more CPU than the appends being acknowledged,
   * so extraction at full speed beside a burst took a third of the cores from the acknowledgements.
   */
  static final int BURST_SHARE_FACTOR = 4;
  static final long MAX_BURST_PAUSE_MS = 1_000;
  private final Semaphore wakeUp = new Semaphore(0);
  private final List<BiConsumer<Message, List<Memory>>> listeners = new CopyOnWriteArrayList<>();
  private final List<BiConsumer<Message, List<MemoryChanges.StatusChange>>> statusListeners = new CopyOnWriteArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final ReadPriority readPriority;
  private volatile boolean running;
  /** The lease this node's claims carry; renewed while the node lives (see {@link MessageStore.Lease}). */
  private volatile MessageStore.Lease lease = MessageStore.Lease.local();
  /** On a shared store other nodes queue work this node is not told about: idle workers look in the store. */
  private volatile boolean sharedQueue;
  private Thread leaseKeeper;

  /** A pipeline without an entity registry: memories carry mention names but no entity ids. */
  public IngestPipeline(MessageStore messages, Extractor extractor, int workers, long maxQueued) {
    this(messages, null, extractor, workers, maxQueued);
  }

  public IngestPipeline(MessageStore messages, EntityRegistry entities, Extractor extractor, int workers, long maxQueued) {
    this(messages, entities, extractor, workers, maxQueued, ReadPriority.NONE);
  }

  /** @param readPriority extraction waits for client reads before each message (see {@link ReadPriority}) */
  public IngestPipeline(MessageStore messages, EntityRegistry entities, Extractor extractor, int workers, long maxQueued,
      ReadPriority readPriority) {
    this.readPriority = readPriority;
    this.messages = messages;
    this.extractor = extractor;
    this.linker = entities == null ? null : new EntityLinker(entities);
    this.workers = workers;
    this.maxQueued = maxQueued;
  }

  /** Called after a message's memories are committed, with the memories it created or reinforced. */
  public void onProcessed(BiConsumer<Message, List<Memory>> listener) {
    listeners.add(listener);
  }

  /** Called after a message's memories are committed, with the earlier memories it superseded or retracted. */
  /** Called with a message and the reason once its extraction failed for good (marked {@code failed}). */
  public void onFailed(BiConsumer<Message, String> listener) {
    failedListeners.add(listener);
  }

  private final List<BiConsumer<Message, String>> failedListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  public void onStatusChanged(BiConsumer<Message, List<MemoryChanges.StatusChange>> listener) {
    statusListeners.add(listener);
  }

  /**
   * Claims as node {@code lease.nodeId()}; with {@code sharedQueue} (several nodes on one store)
   * idle workers also look for work other nodes queued, every {@link #SHARED_POLL_MS}. Call before
   * {@link #start}.
   */
  public void leaseAs(MessageStore.Lease lease, boolean sharedQueue) {
    this.lease = lease;
    this.sharedQueue = sharedQueue;
  }

  /** How often an idle worker looks for work other nodes queued (a shared store only). */
  static final long SHARED_POLL_MS = 250;

  public synchronized void start() {
    if (running) return;
    MessageStore.Resumed resumed = messages.requeueInFlight(MAX_ATTEMPTS);
    if (resumed.queuedAgain() > 0) LOG.info("resuming {} messages left in processing by an earlier run", resumed.queuedAgain());
    if (resumed.failed() > 0) {
      LOG.warn("{} messages were left in processing by {} runs in a row and are marked failed instead of queued again",
          resumed.failed(), MAX_ATTEMPTS);
    }
    queued.set(messages.queueDepth());
    running = true;
    for (int i = 0; i < workers; i++) startWorker(i);
    wakeUp.release(workers);
    leaseKeeper = Thread.ofPlatform().name("synap-lease-keeper").daemon(true).start(this::keepLeases);
  }

  /**
   * Renews this node's leases at a third of their duration and takes back work whose lease
   * expired (a node that died; on one process, only a hang could do it): nothing a dead node
   * held waits longer than one lease. Two small writes per period, none per message.
   */
  private void keepLeases() {
    long period = Math.max(50, lease.duration().toMillis() / 3);
    while (running) {
      try {
        Thread.sleep(period);
        messages.renew(lease);
        MessageStore.Resumed back = messages.requeueExpired(MAX_ATTEMPTS);
        if (back.queuedAgain() > 0) {
          LOG.info("took back {} messages whose lease expired (their node stopped)", back.queuedAgain());
          wakeUp.release(back.queuedAgain());
        }
        if (back.failed() > 0) LOG.warn("{} messages whose lease expired had been claimed {} times and are marked failed", back.failed(), MAX_ATTEMPTS);
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (running) LOG.warn("lease renewal failed (retried next period): {}", e.toString());
      }
    }
  }

  private void startWorker(int index) {
    synchronized (threads) {
      if (!running) return; // close() is under way: it must not miss a thread to join
      // Platform threads, not virtual: extraction is CPU-bound, and a virtual thread computing holds
      // one of the few carrier threads until it blocks, so every REST handler and gRPC callback
      // (virtual threads all) would queue behind it. The OS time-slices platform threads.
      threads.add(Thread.ofPlatform().name("synap-extract-" + index).daemon(true).start(() -> workLoop(index)));
    }
  }

  /** Which memory configuration applies to an instance's message (per-instance knobs; the default until one is applied). */
  public interface Policy {
    MemoryConfig forMessage(String instanceId, Instant recordedAt);

    /** The configuration new text is redacted under (the one in force now). */
    MemoryConfig current(String instanceId);
  }

  /**
   * Until the engine gives the instances' configurations: what an instance with none applied runs
   * ({@link MemoryConfig#UNCONFIGURED}: every extraction kept), never the 0.7 threshold of an
   * applied default, which would silently drop the offline extractor's plain statements (0.6).
   */
  private volatile Policy policy = new Policy() {
    @Override
    public MemoryConfig forMessage(String instanceId, Instant recordedAt) {
      return MemoryConfig.UNCONFIGURED;
    }

    @Override
    public MemoryConfig current(String instanceId) {
      return MemoryConfig.UNCONFIGURED;
    }
  };

  public void policy(Policy p) {
    this.policy = p;
  }

  /** Redacts what the instance must never remember, before anything is stored. */
  public String redact(String instanceId, String text) {
    return NeverRemember.redact(policy.current(instanceId).neverRemember(), text);
  }

  private Map<String, String> redact(String instanceId, Map<String, String> metadata) {
    if (metadata == null || metadata.isEmpty()) return metadata;
    Map<String, String> out = new java.util.LinkedHashMap<>();
    metadata.forEach((k, v) -> out.put(k, redact(instanceId, v)));
    return out;
  }

  private RecordRequest redacted(RecordRequest r) {
    return new RecordRequest(r.instanceId(), r.conversationId(), r.userId(), r.customerId(), r.sessionId(), r.role(), r.kind(),
        redact(r.instanceId(), r.content()), redact(r.instanceId(), r.metadata()), r.occurredAt(), r.idempotencyKey());
  }

  public Recorded record(RecordRequest r) {
    return recordAll(List.of(r)).getFirst();
  }

  /** Records several messages in one durable transaction; results align with the input. */
  public List<Recorded> recordAll(List<RecordRequest> requests) {
    requireRoom(requests.size());
    Instant now = Instant.now();
    List<Message> batch = new ArrayList<>(requests.size());
    List<String> keys = new ArrayList<>(requests.size());
    for (RecordRequest original : requests) {
      RecordRequest r = redacted(original);
      Instant occurred = r.occurredAt() == null ? now : r.occurredAt();
      batch.add(new Message(UUID.randomUUID().toString(), r.instanceId(), r.conversationId(), r.userId(), r.customerId(),
          r.sessionId(), r.role(), r.kind() == null ? "message" : r.kind(), r.content(),
          r.metadata() == null ? Map.of() : Map.copyOf(r.metadata()), occurred, now));
      keys.add(dedupKey(r, now));
    }
    List<MessageStore.Appended> appended;
    pressure.appending();
    try {
      appended = messages.appendAll(batch, keys);
    } finally {
      pressure.appended();
    }
    List<Recorded> out = new ArrayList<>(appended.size());
    int fresh = 0;
    for (int i = 0; i < appended.size(); i++) {
      MessageStore.Appended a = appended.get(i);
      if (!a.duplicate()) fresh++;
      out.add(new Recorded(a.messageId(), requests.get(i).conversationId(), requests.get(i).sessionId(), now, a.duplicate()));
    }
    pressure.recorded(requests.size());
    if (fresh > 0) {
      queued.addAndGet(fresh);
      wakeUp.release();
    }
    return out;
  }

  /** Outcome of a document or transcript ingestion. */
  public record DocumentAccepted(String ingestionId, String documentId, boolean duplicate, int parts, Instant queuedAt) {}

  /**
   * Refuses with {@link QueueFullException} when {@code messages} more would not fit in the queue.
   * Edges call it before parsing or chunking a large body, so a full queue costs the caller a
   * refusal and the server nothing.
   */
  public void requireRoom(int messages) {
    long depth = queued.get();
    if (depth + messages > maxQueued) throw new QueueFullException(depth, 1);
  }

  /**
   * Accepts a whole document or transcript: one durable transaction stores the ingestion and one
   * queued message per part. The same id with the same content is a duplicate (the earlier
   * ingestion is returned); the same id with other content is a conflict. Admission (the part
   * count and the queue's room) is checked before the content is hashed or looked up.
   */
  public DocumentAccepted ingestDocument(DocumentRequest d) {
    if (d.parts().size() > MAX_PARTS) {
      throw new InvalidInputException("the " + d.kind() + " has more than " + MAX_PARTS + " parts (" + d.parts().size() + "); split it");
    }
    requireRoom(d.parts().size());
    String hash = contentHash(d.parts());
    var existing = messages.findIngestion(d.instanceId(), d.kind(), d.documentId());
    if (existing.isPresent()) {
      if (!existing.get().contentHash().equals(hash)) {
        throw new dev.synap.core.ConflictException(d.kind() + "_conflict",
            "a different " + d.kind() + " was already ingested with id '" + d.documentId() + "'");
      }
      return new DocumentAccepted(existing.get().ingestionId(), d.documentId(), true, 0, existing.get().queuedAt());
    }
    Instant now = Instant.now();
    String ingestionId = UUID.randomUUID().toString();
    List<Message> batch = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < d.parts().size(); i++) {
      DocumentRequest.Part p = d.parts().get(i);
      Map<String, String> meta = new java.util.HashMap<>(d.metadata() == null ? Map.of() : d.metadata());
      meta.put("part_index", Integer.toString(i));
      meta.put("document_id", d.documentId());
      if (p.speaker() != null) meta.put("speaker", p.speaker());
      Instant at = p.at() != null ? p.at() : d.createdAt() != null ? d.createdAt() : now;
      String kind = d.kind().equals("transcript") ? "message" : "document";
      batch.add(new Message(UUID.randomUUID().toString(), d.instanceId(), d.conversationId(), d.userId(), d.customerId(), null, p.role(),
          kind, redact(d.instanceId(), p.content()), Map.copyOf(redact(d.instanceId(), meta)), at, now));
      keys.add("ing:" + ingestionId + ":" + i);
    }
    var ingestion = new MessageStore.Ingestion(ingestionId, d.instanceId(), d.documentId(), d.kind(), hash, d.userId(), d.customerId(), now);
    messages.appendIngestion(ingestion, batch, keys);
    pressure.recorded(batch.size());
    queued.addAndGet(batch.size());
    wakeUp.release();
    return new DocumentAccepted(ingestionId, d.documentId(), false, batch.size(), now);
  }

  static String dedupKey(RecordRequest r, Instant now) {
    if (r.idempotencyKey() != null && !r.idempotencyKey().isBlank()) return "key:" + r.idempotencyKey();
    String when = r.occurredAt() != null ? "at:" + r.occurredAt().toEpochMilli() : "win:" + now.toEpochMilli() / DEDUP_WINDOW_MS;
    return "h:" + sha256(String.join("\u0000", r.conversationId(), String.valueOf(r.role()), String.valueOf(r.kind()), r.content(), when));
  }

  /**
   * SHA-256 over {@code \0 role \1 content} for each part, fed to the digest part by part: the
   * same bytes (and so the same hash, stored with earlier ingestions) as the joined string it once
   * was built from, without the repeated concatenation that made it quadratic in the part count.
   */
  static String contentHash(List<DocumentRequest.Part> parts) {
    MessageDigest digest = sha256();
    for (DocumentRequest.Part p : parts) digest.update(("\u0000" + p.role() + "\u0001" + p.content()).getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(String s) {
    return HexFormat.of().formatHex(sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
  }

  /** The acknowledgement rate, for background work that should not compete with a burst. */
  public WritePressure pressure() {
    return pressure;
  }

  public long queueDepth() {
    return queued.get();
  }

  /**
   * One worker. Whatever a batch throws, the messages it had claimed and not finished are handed
   * back ({@link MessageStore#release}: queued again, or failed after {@link #MAX_ATTEMPTS}), so
   * nothing stays in processing behind a live server. An {@link Error} (a stack overflow in some
   * regular expression, an out-of-memory) is logged and this worker is replaced by a fresh thread:
   * before, it ended the thread silently and with every worker gone extraction stopped for every
   * tenant.
   */
  private void workLoop(int index) {
    while (running) {
      List<Message> unfinished = new ArrayList<>();
      try {
        if (!wakeUp.tryAcquire(sharedQueue ? SHARED_POLL_MS : 200, TimeUnit.MILLISECONDS) && queued.get() <= 0 && !sharedQueue) continue;
        unfinished.addAll(messages.claimQueued(lease, CLAIM_BATCH));
        if (unfinished.isEmpty()) continue;
        wakeUp.release(); // more may be waiting: let another worker look too
        long batchStart = System.nanoTime();
        process(unfinished);
        // During a write burst extraction keeps going, but with a rest between batches in
        // proportion to what the batch cost, so the acknowledgements (which are what clients wait
        // on) keep most of the cores; the queue is durable and drains at full speed afterwards.
        long rest = Math.max(TimeUnit.MILLISECONDS.toNanos(BURST_PAUSE_MS), BURST_SHARE_FACTOR * (System.nanoTime() - batchStart));
        pressure.awaitQuiet(Math.min(rest, TimeUnit.MILLISECONDS.toNanos(MAX_BURST_PAUSE_MS)));
      } catch (InterruptedException e) {
        return;
      } catch (StoreUnavailableException e) {
        // The database is unreachable: nothing was completed. Hand the claimed messages back once
        // it answers again, and back off meanwhile instead of spinning on a dead connection.
        if (!running) return;
        LOG.warn("ingest worker {}: store unavailable, backing off: {}", index, e.getMessage());
        if (!handBackWhenReachable(unfinished, e)) return;
      } catch (RuntimeException e) {
        if (running) LOG.warn("ingest worker error: {}", e.toString());
        releaseAll(unfinished, e);
      } catch (Throwable e) {
        LOG.error("extraction worker {} failed; replacing it", index, e);
        releaseAll(unfinished, e);
        synchronized (threads) {
          threads.remove(Thread.currentThread());
        }
        startWorker(index);
        return;
      }
    }
  }

  /**
   * Hands back {@code unfinished} (see {@link #release}), retrying with a back-off (up to {@link
   * #UNAVAILABLE_BACKOFF_MAX_MS}) while the store is unreachable: left in processing, they would
   * wait for the next start. False when the pipeline stopped meanwhile.
   */
  private boolean handBackWhenReachable(List<Message> unfinished, Throwable cause) {
    long backoff = UNAVAILABLE_BACKOFF_MIN_MS;
    while (running) {
      try {
        Thread.sleep(backoff);
        for (Message m : List.copyOf(unfinished)) {
          // Queued again whatever its attempts: an outage is not the message's fault.
          messages.release(m.messageId(), Integer.MAX_VALUE, reason(cause));
          unfinished.remove(m);
          wakeUp.release();
        }
        return true;
      } catch (StoreUnavailableException e) {
        backoff = Math.min(backoff * 2, UNAVAILABLE_BACKOFF_MAX_MS);
      } catch (InterruptedException e) {
        return false;
      } catch (RuntimeException e) {
        releaseAll(unfinished, e);
        return true;
      }
    }
    return false;
  }

  /** Hands back messages a failed batch left unfinished; best effort, as the store may be what failed. */
  private void releaseAll(List<Message> unfinished, Throwable cause) {
    for (Message m : unfinished) {
      try {
        release(m, cause);
      } catch (RuntimeException e) {
        // They stay in processing; the next start puts them back in the queue.
        LOG.warn("could not hand back message {}: {}", m.messageId(), e.toString());
      }
    }
    unfinished.clear();
  }

  private void release(Message m, Throwable cause) {
    MessageStore.Release r = messages.release(m.messageId(), MAX_ATTEMPTS, reason(cause));
    if (r == MessageStore.Release.QUEUED_AGAIN) {
      wakeUp.release();
    } else {
      queued.decrementAndGet(); // failed for good, or finished after all: either way no longer waiting
      if (r == MessageStore.Release.FAILED) {
        LOG.warn("message {} failed extraction {} times; marked failed: {}", m.messageId(), MAX_ATTEMPTS, reason(cause));
        for (BiConsumer<Message, String> l : failedListeners) {
          try {
            l.accept(m, reason(cause));
          } catch (RuntimeException e) {
            LOG.warn("failure listener failed: {}", e.getMessage());
          }
        }
      }
    }
  }

  static String reason(Throwable t) {
    String s = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    return s.length() <= MAX_REASON_CHARS ? s : s.substring(0, MAX_REASON_CHARS) + "...";
  }

  /** Processes one message (tests re-run single messages this way). */
  void process(Message m) {
    process(new ArrayList<>(List.of(m)));
  }

  /**
   * Extracts and links a claimed batch outside any transaction, then completes all of it in one
   * commit (one fsync per batch, not per message). Consolidation (supersede, retract, reinforce)
   * is decided and applied inside that transaction, message by message, so a re-run after a
   * crash starts from the same committed state and cannot apply anything twice.
   *
   * <p>{@code unfinished} holds the claimed messages; each is removed once it is settled, so the
   * caller knows what to hand back if this throws. A message whose extraction throws anything,
   * {@link Error}s included, is handed back alone and the rest of the batch goes on.
   */
  private void process(List<Message> unfinished) {
    List<MessageStore.Completion> completions = new ArrayList<>(unfinished.size());
    List<Message> extracted = new ArrayList<>(unfinished.size());
    for (Message m : List.copyOf(unfinished)) {
      try {
        readPriority.awaitTurn();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // finish the batch: it is claimed, and completes in one commit
      }
      try {
        MemoryConfig config = policy.forMessage(m.instanceId(), m.recordedAt());
        // The instance's knobs: a disabled category is not extracted, a low-confidence one not stored.
        List<ExtractedMemory> found = extractor.extract(m).stream()
            .filter(e -> config.extracts(e.type()) && e.confidence() >= config.confidenceThreshold()).toList();
        // Documents ingested in mode "fast" skip entity linking and consolidation: their memories are
        // stored as extracted, sooner, without superseding or reinforcing what is already known.
        boolean fast = FAST.equals(m.metadata().get(MODE_KEY));
        List<Memory> candidates = toMemories(m, linker == null || fast ? found : linker.link(m, found));
        RetractionCues.Retraction retraction = "message".equals(m.kind()) ? retractions.detect(m.content()).orElse(null) : null;
        completions.add(new MessageStore.Completion(m.messageId(), fast ? ledger -> new MemoryChanges(candidates, List.of(), List.of())
            : ledger -> consolidator.decide(m, candidates, retraction, ledger)));
        extracted.add(m);
      } catch (Throwable e) {
        LOG.warn("extraction of message {} failed: {}", m.messageId(), reason(e));
        release(m, e);
        unfinished.remove(m);
      }
    }
    if (completions.isEmpty()) return;
    List<MemoryChanges> results = messages.completeAll(completions);
    unfinished.clear();
    try {
      notifyListeners(extracted, results);
    } finally {
      // Only now: a queue seen empty means the listeners (the index's bookkeeping of memories
      // still to embed, pushes to streams) know every memory, so a read right after finds them.
      queued.addAndGet(-completions.size());
    }
  }

  private void notifyListeners(List<Message> extracted, List<MemoryChanges> results) {
    for (int i = 0; i < results.size(); i++) {
      MemoryChanges changes = results.get(i);
      if (changes == null) continue;
      List<Memory> produced = new ArrayList<>(changes.inserts());
      produced.addAll(changes.reinforced());
      for (BiConsumer<Message, List<Memory>> l : listeners) {
        try {
          l.accept(extracted.get(i), produced);
        } catch (RuntimeException e) {
          LOG.warn("ingest listener failed: {}", e.getMessage());
        }
      }
      if (changes.statusChanges().isEmpty()) continue;
      for (BiConsumer<Message, List<MemoryChanges.StatusChange>> l : statusListeners) {
        try {
          l.accept(extracted.get(i), changes.statusChanges());
        } catch (RuntimeException e) {
          LOG.warn("ingest listener failed: {}", e.getMessage());
        }
      }
    }
  }

  static List<Memory> toMemories(Message m, List<ExtractedMemory> extracted) {
    Scope scope = m.userId() != null ? Scope.USER : m.customerId() != null ? Scope.CUSTOMER : Scope.CLIENT;
    List<Memory> out = new ArrayList<>(extracted.size());
    Instant now = Instant.now();
    for (int i = 0; i < extracted.size(); i++) {
      ExtractedMemory e = extracted.get(i);
      // Deterministic ids: re-running a message after a crash yields the same memory ids.
      String id = UUID.nameUUIDFromBytes((m.messageId() + "#" + i).getBytes(StandardCharsets.UTF_8)).toString();
      out.add(new Memory(id, m.instanceId(), m.userId(), m.customerId(), m.conversationId(), scope, e.type(), e.content(),
          Math.max(0, Math.min(1, e.confidence())), e.category(), e.attributes(), e.eventDate(), null, e.temporalCategory(),
          List.of(m.messageId()), "current", m.occurredAt(), now));
    }
    return out;
  }

  /**
   * Stops the workers after the batch each is on. They are not interrupted first: an interrupt
   * during file I/O closes the channel under whoever is writing (SQLite, Lucene listeners).
   */
  @Override
  public void close() {
    running = false;
    if (leaseKeeper != null) leaseKeeper.interrupt();
    List<Thread> toJoin;
    synchronized (threads) {
      toJoin = List.copyOf(threads);
    }
    for (Thread t : toJoin) {
      try {
        t.join(10_000);
        if (t.isAlive()) {
          t.interrupt();
          t.join(2_000);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
