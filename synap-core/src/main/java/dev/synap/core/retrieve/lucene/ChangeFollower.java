package dev.synap.core.retrieve.lucene;

import dev.synap.core.store.SystemOfRecord;
import dev.synap.core.tenant.Instance;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's indexes fed from the store's change log when several nodes share the store.
 * The log is the memory history: every change to a memory (created, reinforced, edited,
 * superseded, retracted, deleted, its owner deleted) appends a row with a position that only
 * grows and becomes visible in order. Per instance the follower keeps the position up to which it
 * applied the log (its checkpoint), reads what came after, and applies it with the vectors the
 * writing node stored ({@link MemoryIndex#applyFromStore}): no model runs here for another node's
 * memory. A memory whose vector is not stored yet is tried again each round, and embedded here
 * only if its writer never stores one ({@link #EMBED_AFTER}: it died mid-batch).
 *
 * <p>Rounds run when woken (a notice from another node on the cluster bus) and at least every
 * {@link #POLL} (a notice is a hint; the log is the truth). Until a change is applied, searches
 * find it through the store ({@link #unapplied}): read-after-write holds across nodes. The index
 * never commits a position past {@link #appliedUpTo}, so a node that crashes replays from there.
 *
 * <p>On one node (SQLite) there is no follower: every change reaches the index in process.
 */
public final class ChangeFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFollower.class);
  static final Duration POLL = Duration.ofMillis(250);
  static final Duration AWAITING_POLL = Duration.ofMillis(40);
  /** A memory still without a stored vector after this long is embedded here: its writer is gone. */
  static final Duration EMBED_AFTER = Duration.ofSeconds(30);

  private final MemoryIndex index;
  private final SystemOfRecord store;
  private final long startPosition;
  /** Per instance: every change at or before this position is applied, or waits in {@link #awaitingVector}. */
  private final Map<String, Long> position = new ConcurrentHashMap<>();
  /** Per instance: memories changed elsewhere whose vector is not stored yet, with when they were first seen. */
  private final Map<String, Map<String, Long>> awaitingVector = new ConcurrentHashMap<>();
  /** Per instance: the position before the oldest change still awaiting its vector (the commit cap). */
  private final Map<String, Long> holdAt = new ConcurrentHashMap<>();
  private final Semaphore wake = new Semaphore(0);
  private final Thread thread;
  private volatile boolean running = true;

  /** Starts following from {@code startPosition}: the position the index was caught up to at open. */
  public ChangeFollower(MemoryIndex index, SystemOfRecord store, long startPosition) {
    this.index = index;
    this.store = store;
    this.startPosition = startPosition;
    index.follow(this);
    this.thread = Thread.ofPlatform().name("synap-change-follower").daemon(true).start(this::loop);
  }

  /** Runs a round now (another node announced a change). */
  public void wake() {
    wake.release();
  }

  /** The newest position every change at or before which this node's index holds (the commit cap). */
  public long appliedUpTo() {
    long min = Long.MAX_VALUE;
    for (Instance i : instancesKnown()) {
      String id = i.instanceId();
      min = Math.min(min, holdAt.getOrDefault(id, position.getOrDefault(id, startPosition)));
    }
    return min == Long.MAX_VALUE ? startPosition : min;
  }

  /**
   * Memories of the instance changed in the store and not applied here yet: what other nodes
   * committed since the last round, and those still waiting for their vector.
   */
  public Set<String> unapplied(String instanceId) {
    long from = position.getOrDefault(instanceId, startPosition);
    List<String> changed = store.memories().changedSince(instanceId, from);
    Map<String, Long> waiting = awaitingVector.get(instanceId);
    if (changed.isEmpty() && (waiting == null || waiting.isEmpty())) return Set.of();
    Set<String> out = new HashSet<>(changed);
    if (waiting != null) out.addAll(waiting.keySet());
    return out;
  }

  private List<Instance> instancesKnown() {
    return store.tenants().instances();
  }

  private void loop() {
    while (running) {
      try {
        // While another node's memory waits for its vector (being embedded there now), look again soon.
        boolean awaiting = awaitingVector.values().stream().anyMatch(m -> !m.isEmpty());
        wake.tryAcquire(awaiting ? AWAITING_POLL.toMillis() : POLL.toMillis(), TimeUnit.MILLISECONDS);
        wake.drainPermits();
        if (!running) return;
        for (Instance i : instancesKnown()) round(i.instanceId());
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (running) LOG.warn("following the change log failed (retried next round): {}", e.toString());
      }
    }
  }

  /** One round for one instance: read the log after the checkpoint, apply, move the checkpoint. */
  void round(String instanceId) throws InterruptedException {
    long head = store.memories().changePosition(); // read first: every change up to here is in what follows
    long from = position.getOrDefault(instanceId, startPosition);
    Map<String, Long> waiting = awaitingVector.computeIfAbsent(instanceId, k -> new ConcurrentHashMap<>());
    if (head <= from && waiting.isEmpty()) return;
    Set<String> ids = new LinkedHashSet<>(store.memories().changedSince(instanceId, from));
    ids.addAll(waiting.keySet());
    if (ids.isEmpty()) {
      position.put(instanceId, Math.max(from, head));
      return;
    }
    long now = System.nanoTime();
    List<String> overdue = new ArrayList<>();
    List<String> normal = new ArrayList<>();
    for (String id : ids) {
      Long since = waiting.get(id);
      if (since != null && now - since > EMBED_AFTER.toNanos()) overdue.add(id);
      else normal.add(id);
    }
    Set<String> stillWaiting = new HashSet<>(normal.isEmpty() ? Set.of() : index.applyFromStore(instanceId, normal, false));
    if (!overdue.isEmpty()) {
      LOG.info("{} memories of instance {} got no stored vector within {} s (their node stopped): embedding them here", overdue.size(),
          instanceId, EMBED_AFTER.toSeconds());
      index.applyFromStore(instanceId, overdue, true);
    }
    Map<String, Long> next = new HashMap<>();
    for (String id : stillWaiting) next.put(id, waiting.getOrDefault(id, now));
    waiting.clear();
    waiting.putAll(next);
    if (waiting.isEmpty()) holdAt.remove(instanceId);
    else holdAt.putIfAbsent(instanceId, from);
    position.put(instanceId, Math.max(from, head));
  }

  @Override
  public void close() {
    running = false;
    wake.release(); // no interrupt: it could land in Lucene's file I/O and close the writer's channel
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
