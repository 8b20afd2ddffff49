package dev.synap.core.priority;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Reads first: a client waiting for context outranks extraction and compaction, which only have to
 * catch up eventually.
 *
 * <p>A read a client waits on runs inside {@link #read}. Background loops call {@link
 * #awaitTurn()} before each unit of their work (one message extracted, one compaction job): while
 * any read is in flight, the unit waits until the reads are done, so on two cores a fetch does not
 * share the CPU with two extraction workers. The embedder does not wait: reads match what it has not
 * indexed yet, so holding it back makes them slower (measured). Shared resources that queue their users (the
 * store's read connections) ask {@link #inClientRead()} to serve such reads from a lane of their
 * own, so a fetch does not wait behind a flood of anticipation reads.
 *
 * <p>Background work never stops for good: one unit waits at most {@code maxWait}, so under a
 * continuous read load each background thread still gets at least one unit per {@code maxWait}
 * (its bounded share), and a unit already running is not preempted (units are small: milliseconds).
 * The queue they work on keeps everything acknowledged; reads meanwhile find committed memories that
 * are not yet indexed through the store.
 *
 * <p>Thread-safe. Entering and leaving a read is two atomic operations (plus a signal when the last
 * read leaves and someone waits); {@code awaitTurn} with no read in flight is one volatile read.
 */
public final class ReadPriority {
  /** No waiting at all: for tools that run background work alone (benches, admin commands). */
  public static final ReadPriority NONE = new ReadPriority(0);

  private final long maxWaitNanos;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger waiters = new AtomicInteger();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition idle = lock.newCondition();
  private final AtomicLong yields = new AtomicLong();
  private final AtomicLong yieldedNanos = new AtomicLong();

  /** @param maxWaitMillis the longest one unit of background work waits for reads (0: never waits) */
  public ReadPriority(long maxWaitMillis) {
    if (maxWaitMillis < 0) throw new IllegalArgumentException("maxWaitMillis must not be negative");
    this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
  }

  /** Bound while a client read runs on this thread (see {@link #inClientRead}). */
  private static final ScopedValue<Boolean> CLIENT_READ = ScopedValue.newInstance();

  /** Runs {@code read} as a read a client waits on: background work steps back until it returns. */
  public <T> T read(Supplier<T> read) {
    inFlight.incrementAndGet();
    try {
      return ScopedValue.where(CLIENT_READ, Boolean.TRUE).call(read::get);
    } finally {
      readDone();
    }
  }

  /** True on a thread running a client read ({@link #read}), for resources with a lane for those. */
  public static boolean inClientRead() {
    return CLIENT_READ.isBound();
  }

  private void readDone() {
    if (inFlight.decrementAndGet() == 0 && waiters.get() > 0) {
      lock.lock();
      try {
        idle.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /**
   * Called by background work before each unit: returns at once when no read is in flight, else
   * when the reads are done or {@code maxWait} has passed, whichever comes first.
   */
  public void awaitTurn() throws InterruptedException {
    if (maxWaitNanos == 0 || inFlight.get() == 0) return;
    long start = System.nanoTime();
    waiters.incrementAndGet();
    lock.lock();
    try {
      long left = maxWaitNanos;
      while (inFlight.get() > 0 && left > 0) left = idle.awaitNanos(left);
    } finally {
      lock.unlock();
      waiters.decrementAndGet();
      yields.incrementAndGet();
      yieldedNanos.addAndGet(System.nanoTime() - start);
    }
  }

  /** Reads in flight now. */
  public int readsInFlight() {
    return inFlight.get();
  }

  /** How often background work waited for reads, and for how long in all (for metrics). */
  public long yields() {
    return yields.get();
  }

  public double yieldedSeconds() {
    return yieldedNanos.get() / 1e9;
  }
}
