package dev.synap.core.store.jdbc;

import dev.synap.core.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Group commit for a networked SQL store: concurrent writers hand their work to a few committer
 * threads, each of which drains whatever is waiting (up to {@link #MAX_BATCH}), runs it in one
 * transaction on one pooled connection and commits once. A caller returns only after the commit
 * that holds its change (durable before acknowledged), yet many callers share one commit, so one
 * WAL flush and one round trip of {@code COMMIT} instead of one per write. The embedded SQLite store
 * runs the same rounds ({@link #runRound}) on its single writer thread.
 *
 * <p>A failing item must not poison its neighbours: the round runs optimistically without
 * savepoints (they cost two statements per item); if any item fails, the transaction is rolled
 * back and re-run with a savepoint around each item, so only the failing items fail. A commit that
 * fails fails every item of the round, and none of them was acknowledged.
 */
public final class GroupCommit implements AutoCloseable {

  /** A unit of work run on the committer's connection inside the round's transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Where committers get their connection (a pool): one per round, returned after it. */
  @FunctionalInterface
  public interface ConnectionSource {
    Connection get() throws SQLException;
  }

  /** A unit of work and the future its caller waits on. */
  public record Pending<T>(Work<T> work, CompletableFuture<T> done) {}

  static final int MAX_BATCH = 512;
  private final BlockingQueue<Pending<?>> queue = new LinkedBlockingQueue<>();
  private final ConnectionSource connections;
  private final Function<SQLException, StoreException> translate;
  private final List<Thread> committers = new ArrayList<>();
  private volatile boolean closed;

  /**
   * @param committers rounds that may be in flight at once (each holds one connection while it commits)
   * @param translate turns a driver failure into the store's typed exception (unavailable or not)
   */
  public GroupCommit(String name, int committers, ConnectionSource connections, Function<SQLException, StoreException> translate) {
    this.connections = connections;
    this.translate = translate;
    for (int i = 0; i < committers; i++) {
      this.committers.add(Thread.ofPlatform().name(name + "-committer-" + i).daemon(true).start(this::commitLoop));
    }
  }

  /** Runs {@code work} durably; returns after the commit that contains it. */
  public <T> T write(Work<T> work) {
    if (closed) throw new StoreException("store is closed", null);
    CompletableFuture<T> done = new CompletableFuture<>();
    queue.add(new Pending<>(work, done));
    return join(done);
  }

  private void commitLoop() {
    List<Pending<?>> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        Pending<?> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) continue;
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        try (Connection c = connections.get()) {
          runRound(c, batch, translate);
        } catch (SQLException noConnection) {
          StoreException e = translate.apply(noConnection);
          for (Pending<?> p : batch) p.done().completeExceptionally(e);
        }
      } catch (InterruptedException e) {
        if (closed) break;
      } catch (RuntimeException e) {
        for (Pending<?> p : batch) p.done().completeExceptionally(e);
      } finally {
        batch.clear();
      }
    }
  }

  /**
   * Runs {@code batch} in one transaction on {@code c} and completes each item's future: its
   * result, or its own failure. Leaves {@code c} in auto-commit mode.
   */
  public static void runRound(Connection c, List<Pending<?>> batch, Function<SQLException, StoreException> translate) {
    List<Object> results = new ArrayList<>(batch.size());
    List<Throwable> errors = new ArrayList<>(batch.size());
    try {
      c.setAutoCommit(false);
      if (!runAll(c, batch, results, errors)) {
        c.rollback();
        results.clear();
        errors.clear();
        runIsolated(c, batch, results, errors);
      }
      c.commit();
    } catch (SQLException commitFailure) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // the original failure is what callers need to see
      }
      StoreException e = translate.apply(commitFailure);
      for (Pending<?> p : batch) p.done().completeExceptionally(e);
      return;
    } finally {
      try {
        c.setAutoCommit(true);
      } catch (SQLException ignored) {
        // a broken connection is evicted by the pool
      }
    }
    for (int i = 0; i < batch.size(); i++) complete(batch.get(i), results.get(i), errors.get(i), translate);
  }

  /** Runs items in order; false at the first failure (the caller then re-runs the round isolated). */
  public static boolean runAll(Connection c, List<Pending<?>> items, List<Object> results, List<Throwable> errors) {
    for (Pending<?> p : items) {
      try {
        results.add(p.work().run(c));
        errors.add(null);
      } catch (Throwable t) {
        return false;
      }
    }
    return true;
  }

  /** Runs each item inside a savepoint of its own, so a failure rolls back that item alone. */
  public static void runIsolated(Connection c, List<Pending<?>> batch, List<Object> results, List<Throwable> errors) throws SQLException {
    try (Statement s = c.createStatement()) {
      for (Pending<?> p : batch) {
        s.execute("SAVEPOINT item");
        try {
          results.add(p.work().run(c));
          errors.add(null);
          s.execute("RELEASE SAVEPOINT item");
        } catch (Throwable t) {
          results.add(null);
          errors.add(t);
          s.execute("ROLLBACK TO SAVEPOINT item");
          s.execute("RELEASE SAVEPOINT item");
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Pending<T> p, Object result, Throwable error, Function<SQLException, StoreException> translate) {
    if (error == null) {
      p.done().complete((T) result);
    } else if (error instanceof SQLException se) {
      p.done().completeExceptionally(translate.apply(se));
    } else {
      p.done().completeExceptionally(error);
    }
  }

  /** Waits for a future, rethrowing what the work threw as it was thrown. */
  public static <T> T join(CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StoreException("interrupted while waiting for a commit", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      if (e.getCause() instanceof Error err) throw err;
      throw new StoreException(e.getCause().getMessage(), e.getCause());
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Thread t : committers) {
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
