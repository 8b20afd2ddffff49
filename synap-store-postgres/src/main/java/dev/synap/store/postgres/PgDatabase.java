package dev.synap.store.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.synap.core.store.StoreException;
import dev.synap.core.store.StoreSettings;
import dev.synap.core.store.StoreUnavailableException;
import dev.synap.core.store.jdbc.GroupCommit;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/**
 * PostgreSQL through a HikariCP pool. Small writes go through {@link GroupCommit} (one commit for
 * every write waiting at that moment); multi-statement operations that must be atomic on their own
 * (completing a batch of messages, deleting a user) run in a transaction of their own; reads run
 * in auto-commit on any pooled connection.
 *
 * <p>Durability: {@code synchronous_commit} is set {@code on} for every connection, whatever the
 * server's default, so a commit has reached the WAL on disk before anyone is acknowledged.
 *
 * <p>Unreachable database: a failure to connect (or a connection lost mid-way, or a server shutting
 * down) becomes {@link StoreUnavailableException}; the pool waits at most {@link
 * #CONNECTION_TIMEOUT_MS} for a connection, so a request answers 503 quickly instead of hanging,
 * and the pool reconnects by itself when the database is back.
 */
final class PgDatabase implements AutoCloseable {
  /** How long a caller waits for a pooled connection before the store is called unavailable. */
  static final long CONNECTION_TIMEOUT_MS = 3_000;
  /** Committer threads: rounds in flight at once, each one transaction on one connection. */
  private static final int COMMITTERS = 2;

  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final HikariDataSource pool;
  private final GroupCommit commits;

  PgDatabase(StoreSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(settings.url());
    if (settings.user() != null && !settings.user().isBlank()) config.setUsername(settings.user());
    if (settings.password() != null) config.setPassword(settings.password());
    config.setMaximumPoolSize(settings.poolSize());
    config.setMinimumIdle(Math.min(2, settings.poolSize()));
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
    config.setPoolName("synap-pg");
    config.setConnectionInitSql("SET synchronous_commit = on");
    // Fail the start at once when the database cannot be reached: a node must not come up without its store.
    config.setInitializationFailTimeout(CONNECTION_TIMEOUT_MS);
    try {
      this.pool = new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new StoreUnavailableException("cannot connect to " + settings + ": " + rootMessage(e), e);
    }
    this.commits = new GroupCommit("synap-pg", COMMITTERS, pool::getConnection, PgDatabase::translate);
  }

  /** Runs {@code work} durably, grouped with concurrent writes; returns after the commit that contains it. */
  <T> T write(Work<T> work) {
    return commits.write(work::run);
  }

  /** Runs {@code work} in a transaction of its own on one connection; commits, or rolls back and rethrows. */
  <T> T transaction(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException ignored) {
          // the original failure is what the caller needs
        }
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /** Runs {@code work} in auto-commit mode on a pooled connection. */
  <T> T read(Work<T> work) {
    try (Connection c = pool.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw translate(e);
    }
  }

  /**
   * Connection-level failures (SQLSTATE class 08, the server shutting down or not accepting
   * connections yet: 57P01-57P03, a pool that found no live connection in time) mean "try again
   * later"; everything else is a plain store failure.
   */
  static StoreException translate(SQLException e) {
    return unavailable(e)
        ? new StoreUnavailableException("PostgreSQL unavailable: " + e.getMessage(), e)
        : new StoreException(e.getMessage(), e);
  }

  static boolean unavailable(SQLException e) {
    String state = e.getSQLState();
    return e instanceof SQLTransientConnectionException
        || state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02") || state.equals("57P03"));
  }

  private static String rootMessage(Throwable t) {
    while (t.getCause() != null) t = t.getCause();
    return t.getMessage();
  }

  @Override
  public void close() {
    commits.close();
    pool.close();
  }
}
