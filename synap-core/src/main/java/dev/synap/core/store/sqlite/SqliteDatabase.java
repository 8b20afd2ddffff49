package dev.synap.core.store.sqlite;

import dev.synap.core.priority.ReadPriority;
import dev.synap.core.store.jdbc.GroupCommit;
import dev.synap.core.store.jdbc.GroupCommit.Pending;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * SQLite in WAL mode with one writer and a small pool of readers.
 *
 * <p>Design: every write is a {@link Work} handed to a single writer thread. The writer drains all
 * work that is waiting, runs it inside one transaction and commits once (group commit), then
 * completes each caller's future. A caller therefore returns only after its change is fsynced
 * ({@code synchronous=FULL}), yet many concurrent callers share one fsync: this is what lets
 * acknowledged-and-durable writes reach thousands per second on a small machine. One failing item
 * rolls back alone and does not poison the batch (see {@link #runRound}; the optimistic and
 * isolated passes are {@link GroupCommit}'s, shared with the PostgreSQL store, while the
 * foreground/background lanes are SQLite's own, as it has one writer).
 *
 * <p>Readers use their own connections; WAL lets them read a consistent snapshot while the writer
 * commits.
 */
final class SqliteDatabase implements AutoCloseable {

  /** A unit of work run on the writer connection inside the group transaction. */
  @FunctionalInterface
  interface Work<T> extends GroupCommit.Work<T> {}


  private static final int MAX_BATCH = 512;
  /** Background time in a round without foreground writes; it ends early when one arrives. */
  private static final long BACKGROUND_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  /**
   * Background time in a round that carries acknowledgements: their callers are blocked on this
   * very commit, so nothing new arrives to end the slice early. Small, but not zero: under
   * constant acknowledgement load it is what keeps extraction moving.
   */
  private static final long SHARED_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  private final String url;
  private final Connection writer;
  private final BlockingQueue<Pending<?>> writes = new LinkedBlockingQueue<>();
  private final BlockingQueue<Pending<?>> background = new LinkedBlockingQueue<>();
  /** Work that must run outside any transaction (a checkpoint refuses to run inside one). */
  private final BlockingQueue<Pending<?>> outsideTransaction = new LinkedBlockingQueue<>();
  private final Object signal = new Object();
  private final java.util.Map<String, PreparedStatement> statements = new java.util.HashMap<>();
  private final BlockingQueue<Connection> readers;
  /** Reader connections only client reads use (fetches): a couple suffice, they are short. */
  private static final int CLIENT_READERS = 2;
  private final BlockingQueue<Connection> clientReaders;
  private final List<Connection> allReaders = new ArrayList<>();
  private final Thread writerThread;
  private volatile boolean closed;
  private final List<Integer> migratedAtOpen;

  SqliteDatabase(Path file, int readerCount) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      this.url = "jdbc:sqlite:" + file.toAbsolutePath();
      this.writer = open(false);
      try (Statement s = writer.createStatement()) {
        s.execute("PRAGMA journal_mode=WAL");
        s.execute("PRAGMA synchronous=FULL");
        // Deleted rows are overwritten with zeros instead of lingering in free space: a deleted
        // user's words must not be recoverable from the file (see checkpoint()).
        s.execute("PRAGMA secure_delete=ON");
      }
      this.migratedAtOpen = Migrations.apply(writer);
      this.readers = new ArrayBlockingQueue<>(readerCount);
      this.clientReaders = new ArrayBlockingQueue<>(CLIENT_READERS);
      for (int i = 0; i < readerCount + CLIENT_READERS; i++) {
        Connection r = open(true);
        (i < readerCount ? readers : clientReaders).add(r);
        allReaders.add(r);
      }
    } catch (Exception e) {
      throw new StorageException("cannot open database " + file + ": " + e.getMessage(), e);
    }
    this.writerThread = Thread.ofPlatform().name("synap-sqlite-writer").daemon(true).start(this::writeLoop);
  }

  private Connection open(boolean readOnly) throws SQLException {
    Connection c = DriverManager.getConnection(url);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA busy_timeout=10000");
      s.execute("PRAGMA foreign_keys=ON");
      s.execute("PRAGMA cache_size=-32000");
      if (readOnly) s.execute("PRAGMA query_only=ON");
    }
    return c;
  }

  List<Integer> migratedAtOpen() {
    return migratedAtOpen;
  }

  /** Runs {@code work} durably; returns after the commit that contains it. */
  <T> T write(Work<T> work) {
    return await(work, writes);
  }

  /**
   * As {@link #write}, for bulk work that nobody is waiting on interactively (extraction
   * completions with their consolidation reads), given as independent units. The writer runs
   * units in the time left after foreground work and stops between two units as soon as a
   * foreground write arrives, so an acknowledgement waits for at most one unit, never for a
   * whole batch of them. Results align with {@code units}.
   */
  <T> List<T> writeInBackground(List<Work<T>> units) {
    if (closed) throw new StorageException("database is closed", null);
    List<CompletableFuture<T>> futures = new ArrayList<>(units.size());
    for (Work<T> unit : units) {
      CompletableFuture<T> done = new CompletableFuture<>();
      futures.add(done);
      background.add(new Pending<>(unit, done));
    }
    synchronized (signal) {
      signal.notifyAll();
    }
    List<T> out = new ArrayList<>(units.size());
    for (CompletableFuture<T> f : futures) out.add(join(f));
    return out;
  }

  private <T> T await(Work<T> work, BlockingQueue<Pending<?>> queue) {
    if (closed) throw new StorageException("database is closed", null);
    CompletableFuture<T> done = new CompletableFuture<>();
    queue.add(new Pending<>(work, done));
    synchronized (signal) {
      signal.notifyAll();
    }
    return join(done);
  }

  /**
   * Copies every committed page from the WAL into the database file and truncates the WAL to
   * zero bytes, so that old page images (say, of rows just deleted) are left in neither file.
   * Runs on the writer between two rounds; waits for readers of older snapshots to finish (the
   * busy timeout), and tries again a few times while they keep it from completing.
   *
   * @return whether the WAL was fully checkpointed and truncated
   */
  boolean checkpoint() {
    if (closed) throw new StorageException("database is closed", null);
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    outsideTransaction.add(new Pending<>(c -> {
      for (int attempt = 0; attempt < 5; attempt++) {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
          if (rs.next() && rs.getInt(1) == 0) return true; // first column: 1 when readers kept it from completing
        }
      }
      return false;
    }, done));
    synchronized (signal) {
      signal.notifyAll();
    }
    return join(done);
  }

  private static <T> T join(CompletableFuture<T> done) {
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while waiting for commit", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException re) throw re;
      throw new StorageException(cause.getMessage(), cause);
    }
  }

  /**
   * Runs {@code work} on a reader connection. Reads a client waits on ({@link
   * ReadPriority#inClientRead}) have connections of their own: under a stream flood, anticipation
   * reads (one per event) keep the shared ones busy, and a fetch must not queue behind them.
   */
  <T> T read(Work<T> work) {
    BlockingQueue<Connection> lane = ReadPriority.inClientRead() ? clientReaders : readers;
    Connection c;
    try {
      c = lane.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageException("interrupted while waiting for a reader", e);
    }
    try {
      return work.run(c);
    } catch (SQLException e) {
      throw new StorageException(e.getMessage(), e);
    } finally {
      lane.add(c);
    }
  }

  /**
   * Each round is one transaction and one fsync: every waiting foreground write, then background
   * units: for {@link #SHARED_SLICE_NANOS} when the round carries foreground writes, else for as
   * long as no foreground write is waiting, up to {@link #BACKGROUND_SLICE_NANOS}. Idle, background
   * work commits in large groups; under acknowledgement load it yields within one unit.
   */
  private void writeLoop() {
    List<Pending<?>> batch = new ArrayList<>();
    while (!closed || !writes.isEmpty() || !background.isEmpty() || !outsideTransaction.isEmpty()) {
      try {
        runOutsideTransaction();
        writes.drainTo(batch, MAX_BATCH);
        if (!batch.isEmpty() || !background.isEmpty()) {
          runRound(batch);
          continue;
        }
        synchronized (signal) {
          if (writes.isEmpty() && background.isEmpty() && outsideTransaction.isEmpty()) signal.wait(100);
        }
      } catch (InterruptedException e) {
        if (closed) break;
      } finally {
        batch.clear();
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void runOutsideTransaction() {
    Pending<?> p;
    while ((p = outsideTransaction.poll()) != null) {
      try {
        writer.setAutoCommit(true); // ends the (empty) transaction the driver opens after each commit
        complete((Pending<Object>) p, p.work().run(writer), null);
      } catch (Throwable t) {
        complete(p, null, t);
      }
    }
  }

  /**
   * Runs a round in one transaction. Optimistically without savepoints (they cost two statements
   * per item); if any item fails, the whole transaction is rolled back and the round re-run with a
   * savepoint around each item, so only the failing items fail.
   */
  private void runRound(List<Pending<?>> batch) {
    List<Object> results = new ArrayList<>(batch.size());
    List<Throwable> errors = new ArrayList<>(batch.size());
    try {
      writer.setAutoCommit(false);
      boolean clean = GroupCommit.runAll(writer, batch, results, errors);
      long deadline = System.nanoTime() + (batch.isEmpty() ? BACKGROUND_SLICE_NANOS : SHARED_SLICE_NANOS);
      Pending<?> unit;
      while (clean && writes.isEmpty() && System.nanoTime() < deadline && (unit = background.poll()) != null) {
        batch.add(unit);
        clean = GroupCommit.runAll(writer, List.of(unit), results, errors);
      }
      if (!clean) {
        writer.rollback();
        results.clear();
        errors.clear();
        GroupCommit.runIsolated(writer, batch, results, errors);
      }
      writer.commit();
    } catch (SQLException commitFailure) {
      try {
        writer.rollback();
      } catch (SQLException ignored) {
        // the original failure is what callers need to see
      }
      for (Pending<?> p : batch) p.done().completeExceptionally(new StorageException("commit failed: " + commitFailure.getMessage(), commitFailure));
      return;
    }
    for (int i = 0; i < batch.size(); i++) complete(batch.get(i), results.get(i), errors.get(i));
  }

  /**
   * A prepared statement of the writer connection, kept for reuse: preparing costs more than
   * running the small statements of the hot write path. Only for use inside {@link #write} work.
   */
  PreparedStatement cached(Connection c, String sql) throws SQLException {
    if (c != writer) return c.prepareStatement(sql);
    PreparedStatement ps = statements.get(sql);
    if (ps == null) {
      ps = writer.prepareStatement(sql);
      statements.put(sql, ps);
    }
    ps.clearParameters();
    return ps;
  }

  @SuppressWarnings("unchecked")
  private static <T> void complete(Pending<T> p, Object result, Throwable error) {
    if (error == null) {
      p.done().complete((T) result);
    } else if (error instanceof SQLException se) {
      p.done().completeExceptionally(new StorageException(se.getMessage(), se));
    } else {
      p.done().completeExceptionally(error);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      writerThread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      try (Statement s = writer.createStatement()) {
        s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      }
      writer.close();
      for (Connection r : allReaders) r.close();
    } catch (SQLException e) {
      throw new StorageException("close failed: " + e.getMessage(), e);
    }
  }
}
