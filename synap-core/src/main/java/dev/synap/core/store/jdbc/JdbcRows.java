package dev.synap.core.store.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** Column readings every SQL store does the same way. */
public final class JdbcRows {
  private JdbcRows() {}

  /** An epoch-millisecond column as an instant; SQL NULL as null. */
  public static Instant instant(ResultSet rs, int column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }
}
