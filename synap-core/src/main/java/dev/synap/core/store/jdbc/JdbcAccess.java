package dev.synap.core.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * How a shared JDBC class reaches one store's database: each store keeps its own connection
 * handling (SQLite's single writer, PostgreSQL's pool and group commit) and hands the shared SQL
 * this pair of functions, so the SQL lives once for both.
 */
public interface JdbcAccess {
  @FunctionalInterface
  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} on a connection for reading. */
  <T> T read(Work<T> work);

  /** Runs {@code work} in a durable transaction; returns after its commit. */
  <T> T write(Work<T> work);

  /**
   * As {@link #write}, in a transaction of its own rather than grouped with others' writes (an entity
   * merge checks what it reads before writing). A store that groups writes overrides this.
   */
  default <T> T writeAlone(Work<T> work) {
    return write(work);
  }

  /**
   * As {@link #write}, for writes nobody waits on interactively. A store with a lane for such
   * writes (SQLite's writer runs them after foreground work) overrides this; others write at once.
   */
  default <T> T writeInBackground(Work<T> work) {
    return write(work);
  }

  /** One statement with these arguments, written as {@link #write} does; the number of rows it changed. */
  default int update(String sql, Object... args) {
    return write(c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
        return ps.executeUpdate();
      }
    });
  }
}
